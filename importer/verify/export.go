package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/state"
)

// Files verify keeps in its directory while it works. Both are removed
// when a verify finishes, so the next one exports afresh.
const (
	// ExportFile is the downloaded export (NDJSON, 0600): personal data,
	// never a password.
	ExportFile = "verify-export.ndjson"
	// CheckpointFile remembers the export job, so a verify killed after
	// creating it polls the same job, and one killed after the download
	// reuses the file.
	CheckpointFile = "verify-export.json"
)

// ErrExportRefused says the store would not export: verify falls back to
// lookups.
var ErrExportRefused = errors.New("export refused")

// checkpoint is CheckpointFile.
type checkpoint struct {
	Store string `json:"user_store_id"`
	JobID string `json:"job_id"`
	Size  int64  `json:"size,omitempty"` // the complete file's size; 0 before the download
}

// exportColumns are the attributes verify reads (held), each under its
// User key, so a line decodes as a User would. Without a legacy-id
// attribute, sink.Ours also matches on WeCom and social identifiers, so
// they are read too. A store that refuses them (an unknown code) exports
// every attribute instead.
func exportColumns(legacyAttr int) []ciam.ExportPropertyMap {
	codes := []string{"userId", "userName", "email", "phoneNumber", "nickname", "address", "birthdate", "userGroups",
		"customAttributes", "indexedAttribute1", "indexedAttribute2", "indexedAttribute3", "indexedAttribute4", "indexedAttribute5"}
	if legacyAttr == 0 {
		codes = append(codes, "weComUserId", "wechatOpenId", "wechatUnionId", "alipayUserId", "qqOpenId", "qqUnionId")
	}
	var m []ciam.ExportPropertyMap
	for _, c := range codes {
		m = append(m, ciam.ExportPropertyMap{UserPropertyCode: c, ColumnName: string(c[0]-'a'+'A') + c[1:]})
	}
	return m
}

// exporter fetches the store's export into dir.
type exporter struct {
	api      *paced
	dir      string
	store    string
	legacy   int // the legacy-id attribute, 0 without
	poll     time.Duration
	timeout  time.Duration
	reused   bool // the file of an earlier, killed verify was complete
	recreate bool // a job of the checkpoint was gone or failed
}

// fetch returns the path of a complete export file: the one a killed
// verify downloaded, or the download of the job it created, or of a new
// job. ErrExportRefused when the store refuses or fails the export.
func (x *exporter) fetch(ctx context.Context) (string, error) {
	path := filepath.Join(x.dir, ExportFile)
	cp, err := x.readCheckpoint()
	if err != nil {
		return "", err
	}
	if cp.Size > 0 && fileSize(path) == cp.Size {
		x.reused = true
		return path, nil
	}
	job, err := x.resume(ctx, cp)
	if err != nil {
		return "", err
	}
	if job == nil {
		if job, err = x.create(ctx); err != nil {
			return "", err
		}
	}
	if job, err = x.wait(ctx, job.Id); err != nil {
		return "", err
	}
	if err := x.download(ctx, job, path); err != nil {
		return "", err
	}
	return path, nil
}

// resume polls the job of the checkpoint; nil when there is none to poll
// (no checkpoint, another store, the job gone or failed).
func (x *exporter) resume(ctx context.Context, cp checkpoint) (*ciam.Job, error) {
	if cp.JobID == "" || cp.Store != x.store {
		return nil, nil
	}
	job, err := x.job(ctx, cp.JobID)
	if err != nil || job == nil || job.Status == ciam.JobFailed {
		x.recreate = true
		return nil, err
	}
	return job, nil
}

// create starts an export of the verify columns, or of every attribute if
// the store refuses the columns, and records its id.
func (x *exporter) create(ctx context.Context) (*ciam.Job, error) {
	var resp *ciam.CreateFileExportUserJobResponse
	var err error
	for _, cols := range [][]ciam.ExportPropertyMap{exportColumns(x.legacy), nil} {
		req := &ciam.CreateFileExportUserJobRequest{UserStoreId: x.store, Format: ciam.FormatNDJSON, ExportPropertyMaps: cols}
		err = x.api.do(ctx, ciam.ActionCreateFileExportUserJob, func(ctx context.Context) (err error) {
			resp, err = x.api.api.CreateFileExportUserJob(ctx, req)
			return err
		})
		if ciam.ClassOf(err) != ciam.Rejected {
			break
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: CreateFileExportUserJob: %w", ErrExportRefused, err)
	}
	return resp.Job, x.writeCheckpoint(checkpoint{Store: x.store, JobID: resp.Job.Id})
}

// firstPoll is the first interval between two ListJobs of the export
// job; each next one is twice the last, up to exporter.poll.
const firstPoll = 200 * time.Millisecond

// pollAfter is the interval after one of last: firstPoll (or the cap when
// smaller) first, then doubling up to the cap. A short export costs
// little latency, a long one few requests: about log2(cap/firstPoll) +
// duration/cap polls.
func pollAfter(last, cap time.Duration) time.Duration {
	if last <= 0 {
		return min(firstPoll, cap)
	}
	return min(2*last, cap)
}

// wait polls job id until it finishes, at growing intervals (pollAfter);
// FAILED or too long is ErrExportRefused.
func (x *exporter) wait(ctx context.Context, id string) (*ciam.Job, error) {
	deadline := time.Now().Add(x.timeout)
	var interval time.Duration
	for {
		job, err := x.job(ctx, id)
		switch {
		case err != nil:
			return nil, err
		case job == nil:
			return nil, fmt.Errorf("%w: job %s is no longer listed", ErrExportRefused, id)
		case job.Status == ciam.JobFailed:
			return nil, fmt.Errorf("%w: job %s failed: %s", ErrExportRefused, id, jobErrors(job))
		case job.Status == ciam.JobCompleted && job.Location == nil:
			return nil, fmt.Errorf("%w: job %s completed without a Location", ErrExportRefused, id)
		case job.Status == ciam.JobCompleted:
			return job, nil
		case time.Now().After(deadline):
			return nil, fmt.Errorf("%w: job %s not finished after %s", ErrExportRefused, id, x.timeout)
		}
		interval = pollAfter(interval, x.poll)
		if err := sleep(ctx, interval); err != nil {
			return nil, err
		}
	}
}

// job asks ListJobs about job id; nil when it is not listed.
func (x *exporter) job(ctx context.Context, id string) (*ciam.Job, error) {
	var resp *ciam.ListJobsResponse
	err := x.api.do(ctx, ciam.ActionListJobs, func(ctx context.Context) (err error) {
		resp, err = x.api.api.ListJobs(ctx, &ciam.ListJobsRequest{UserStoreId: x.store, JobIds: []string{id}})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list export job: %w", err)
	}
	for i := range resp.JobSet {
		if resp.JobSet[i].Id == id {
			return &resp.JobSet[i], nil
		}
	}
	return nil, nil
}

// download writes the job's file to path atomically (a killed download
// leaves no file), then records its size in the checkpoint.
func (x *exporter) download(ctx context.Context, job *ciam.Job, path string) error {
	err := x.api.do(ctx, actionDownload, func(ctx context.Context) error {
		body, err := x.api.api.OpenLocation(ctx, *job.Location)
		if err != nil {
			return err
		}
		defer body.Close()
		return state.WriteFileAtomicFrom(path, body, 0o600)
	})
	if err != nil {
		return fmt.Errorf("download export: %w", err)
	}
	return x.writeCheckpoint(checkpoint{Store: x.store, JobID: job.Id, Size: fileSize(path)})
}

func (x *exporter) readCheckpoint() (checkpoint, error) {
	var cp checkpoint
	data, err := state.ReadFile(filepath.Join(x.dir, CheckpointFile))
	if errors.Is(err, fs.ErrNotExist) {
		return cp, nil
	} else if err != nil {
		return cp, fmt.Errorf("read verify checkpoint: %w", err)
	}
	if err := json.Unmarshal(data, &cp); err != nil {
		return cp, fmt.Errorf("read verify checkpoint %s: %w (remove it to export again)", filepath.Join(x.dir, CheckpointFile), err)
	}
	return cp, nil
}

func (x *exporter) writeCheckpoint(cp checkpoint) error {
	data, _ := json.Marshal(cp) // cannot fail: strings and an integer
	return state.WriteFileAtomic(filepath.Join(x.dir, CheckpointFile), append(data, '\n'), 0o600)
}

// removeExport deletes the export file and checkpoint of a finished
// verify.
func removeExport(dir string) error {
	for _, name := range []string{ExportFile, CheckpointFile} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", name, err)
		}
	}
	return state.FsyncDir(dir)
}

// fileSize is path's size, -1 when it cannot be read.
func fileSize(path string) int64 {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return -1
	}
	return fi.Size()
}

func jobErrors(job *ciam.Job) string {
	if len(job.ErrorDetails) == 0 {
		return "no error details"
	}
	return job.ErrorDetails[0].Error
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
