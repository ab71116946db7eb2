package emulator

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Export job action, format and type (reference §2.8, Appendix A).
const (
	actionCreateFileExportUserJob = "CreateFileExportUserJob"
	formatNDJSON                  = "NDJSON"
	formatCSV                     = "CSV"
	// exportPath is where the emulator serves a finished export's file.
	exportPath = debugPrefix + "exports/"
	// exportChunk is how many users are encoded per hold of Server.mu.
	exportChunk = 1000
)

// Export filter keys of CreateFileExportUserJob.
const exportKeyUserGroupID = "userGroupId"

type exportPropertyMap struct {
	UserPropertyCode string `json:"UserPropertyCode"`
	ColumnName       string `json:"ColumnName"`
}

type createExportJobRequest struct {
	UserStoreId        string              `json:"UserStoreId"`
	Format             string              `json:"Format"`
	Filters            []listFilter        `json:"Filters"`
	ExportPropertyMaps []exportPropertyMap `json:"ExportPropertyMaps"`
}

// exportSpec is what an export job selects and how it writes each user.
type exportSpec struct {
	filters []listFilter
	columns []exportPropertyMap // nil: every attribute
	path    string              // the finished file; "" before
}

// createExportJob starts an export of the store's users. The reference
// documents the request and that Job.Location is "任务结果下载地址" (the
// result's download address); the file's content is not documented. The
// emulator's reading: one JSON object per line, the User object as
// DescribeUserById answers it unmasked (every key, nulls included), or,
// with ExportPropertyMaps, an object of ColumnName -> the value of the
// User key UserPropertyCode names (case-insensitive, e.g. "nickname").
// Checks: UserStoreId (MissingParameter, FailedOperation.InvalidUserStore);
// Format CSV is UnsupportedOperation (only NDJSON is emulated), another
// value InvalidParameterValue; a Filter Key other than condition or
// userGroupId, a Filter without Values, an unknown UserPropertyCode or an
// empty ColumnName InvalidParameterValue; two unfinished jobs in the store
// FailedOperation.DataFlowTooManyRequests. Users are selected when the job
// runs, not when it is created.
func (s *Server) createExportJob(req *createExportJobRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserStoreId"); aerr != nil {
		return nil, aerr
	}
	if _, aerr := s.store(req.UserStoreId); aerr != nil {
		return nil, aerr
	}
	if aerr := checkExport(req); aerr != nil {
		return nil, aerr
	}
	j := &importJob{store: req.UserStoreId, failAt: -1,
		export: &exportSpec{filters: req.Filters, columns: req.ExportPropertyMaps}}
	s.mu.Lock()
	if s.unfinishedJobs(req.UserStoreId) >= maxUnfinishedJobs {
		s.mu.Unlock()
		return nil, newError(CodeDataFlowTooManyRequests)
	}
	j.job = Job{Id: newUserID(s.idRNG), Status: JobPending, Type: JobTypeExportUser, Format: ptr(formatNDJSON),
		CreatedDate: s.cfg.Now().UnixMilli(), ErrorDetails: []ErrorDetails{}}
	s.jobs[j.store] = append(s.jobs[j.store], j)
	answer := j.snapshot()
	s.mu.Unlock()
	s.stats.exports.Add(1)
	go s.runExport(j)
	return jobResponse{Job: answer, RequestId: rid}, nil
}

func checkExport(req *createExportJobRequest) *apiError {
	switch req.Format {
	case "", formatNDJSON:
	case formatCSV:
		return errUnsupported("the emulator exports NDJSON only")
	default:
		return errParamValue("Format")
	}
	for i, f := range req.Filters {
		if (f.Key != listKeyCondition && f.Key != exportKeyUserGroupID) || len(f.Values) == 0 {
			return errParamValue(fmt.Sprintf("Filters.%d", i))
		}
	}
	for i, m := range req.ExportPropertyMaps {
		if userKey(m.UserPropertyCode) == "" || strings.TrimSpace(m.ColumnName) == "" {
			return errParamValue(fmt.Sprintf("ExportPropertyMaps.%d", i))
		}
	}
	return nil
}

// userKeys are the JSON keys of User, for ExportPropertyMaps.
var userKeys = func() []string {
	b, _ := json.Marshal(User{})
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}()

// userKey is the User key code names, ignoring case, or "".
func userKey(code string) string {
	for _, k := range userKeys {
		if strings.EqualFold(k, code) {
			return k
		}
	}
	return ""
}

// runExport waits Import.StartDelay, writes the file and completes the job
// with its Location; a write failure ends the job FAILED with ErrorDetails.
func (s *Server) runExport(j *importJob) {
	if !s.sleep(s.cfg.Import.StartDelay) {
		return
	}
	s.setJobStatus(j, JobProcessing)
	path, err := s.writeExport(j)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		j.job.Status = JobFailed
		j.job.ErrorDetails = append(j.job.ErrorDetails, ErrorDetails{Error: "export failed: " + err.Error()})
		return
	}
	j.export.path = path
	j.job.Status = JobCompleted
	j.job.Location = ptr(s.baseURL() + exportPath + j.job.Id + ".ndjson")
}

// writeExport writes the matching users to a file of the server's export
// directory, exportChunk users per hold of the lock.
func (s *Server) writeExport(j *importJob) (string, error) {
	dir, err := s.exportDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, j.job.Id+".ndjson")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("create export file: %w", err)
	}
	w := bufio.NewWriter(f)
	werr := s.encodeUsers(j, w)
	if err := w.Flush(); werr == nil {
		werr = err
	}
	if err := f.Close(); werr == nil {
		werr = err
	}
	return path, werr
}

// encodeUsers writes one line per matching user of j's store, encoding
// exportChunk users per hold of Server.mu into one buffer.
func (s *Server) encodeUsers(j *importJob, w *bufio.Writer) error {
	st := s.stores[j.store]
	cols := exportColumnsOf(j.export.columns)
	var buf []byte
	for from := 0; ; from += exportChunk {
		buf = buf[:0]
		s.mu.Lock()
		end := min(from+exportChunk, len(st.users))
		for _, r := range st.users[from:max(from, end)] {
			if r != nil && exportMatches(j.export.filters, &r.user) {
				buf = appendExportLine(buf, &r.user, cols)
			}
		}
		done := end >= len(st.users)
		s.mu.Unlock()
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
		if done {
			return nil
		}
	}
}

// exportMatches: condition as ListUser's, userGroupId an exact group id.
func exportMatches(filters []listFilter, u *User) bool {
	for _, f := range filters {
		if f.Key == exportKeyUserGroupID {
			f.Key = listKeyUserGroup
		}
		if f.matches(u) == (f.Logic != nil && !*f.Logic) {
			return false
		}
	}
	return true
}

// serveExport answers GET /_emulator/exports/<job id>.ndjson with the file
// of a finished export job (unsigned, as a pre-signed download URL), 404
// otherwise.
func (s *Server) serveExport(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, exportPath), ".ndjson")
	path := ""
	s.mu.Lock()
	for _, jobs := range s.jobs {
		for _, j := range jobs {
			if j.job.Id == id && j.export != nil {
				path = j.export.path
			}
		}
	}
	s.mu.Unlock()
	if path == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	http.ServeFile(w, r, path)
}
