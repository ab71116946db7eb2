package emulator

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
)

// importJob is one CreateApiImportUserJob: its answer object, its users and
// its fate. job is guarded by Server.mu.
type importJob struct {
	store  string
	job    Job
	users  []importUser
	raw    []map[string]any // the decoded JSON of each user
	failAt int              // users processed before FAILED; -1: completes
	// vanished jobs are left out of ListJobs (ImportConfig.VanishRate).
	vanished bool
	export   *exportSpec // non-nil for a CreateFileExportUserJob
}

// createImportJob validates the request, stores a PENDING job and starts
// processing it. Checks, in order: UserStoreId (MissingParameter,
// FailedOperation.InvalidUserStore), DataFlowUserCreateList absent
// (MissingParameter) or empty (FailedOperation.ImportUserIsEmpty), longer
// than Import.BatchLimit (InvalidParameterValue), two unfinished jobs in the
// store (FailedOperation.DataFlowTooManyRequests). Users are checked one by
// one while the job runs, never here.
func (s *Server) createImportJob(req *createImportJobRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserStoreId"); aerr != nil {
		return nil, aerr
	}
	if _, aerr := s.store(req.UserStoreId); aerr != nil {
		return nil, aerr
	}
	if aerr := requireParams(p, "DataFlowUserCreateList"); aerr != nil {
		return nil, aerr
	}
	if len(req.DataFlowUserCreateList) == 0 {
		return nil, newError(CodeImportUserIsEmpty)
	}
	if lim := s.cfg.Import.BatchLimit; lim > 0 && len(req.DataFlowUserCreateList) > lim {
		return nil, errParamValue("DataFlowUserCreateList (more than the emulator's limit per call)")
	}
	j := &importJob{store: req.UserStoreId, users: req.DataFlowUserCreateList, raw: rawObjects(p["DataFlowUserCreateList"])}
	s.mu.Lock()
	if s.unfinishedJobs(req.UserStoreId) >= maxUnfinishedJobs {
		s.mu.Unlock()
		return nil, newError(CodeDataFlowTooManyRequests)
	}
	j.job = Job{Id: newUserID(s.idRNG), Status: JobPending, Type: jobTypeImport,
		CreatedDate: s.cfg.Now().UnixMilli(), ErrorDetails: []ErrorDetails{}}
	j.failAt = s.jobFate(j.job.Id, len(j.users))
	j.vanished = s.draw(j.job.Id, 0x76616e69) < s.cfg.Import.VanishRate
	s.jobs[j.store] = append(s.jobs[j.store], j)
	answer := j.job
	s.mu.Unlock()
	s.stats.jobs.Add(1)
	go s.runJob(j)
	return jobResponse{Job: answer, RequestId: rid}, nil
}

// rawObjects returns the JSON objects of a decoded list (nil entries for
// anything else), so each user's attributes can be told null from absent.
func rawObjects(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, len(list))
	for i, e := range list {
		out[i], _ = e.(map[string]any)
	}
	return out
}

// unfinishedJobs counts PENDING and PROCESSING jobs. Call with s.mu held.
func (s *Server) unfinishedJobs(store string) int {
	n := 0
	for _, j := range s.jobs[store] {
		if !j.vanished && (j.job.Status == JobPending || j.job.Status == JobProcessing) {
			n++
		}
	}
	return n
}

// jobFate draws, from the seed and the job id, whether the job fails and
// how many of its n users it processes first (Import.FailedStores).
func (s *Server) jobFate(id string, n int) int {
	im := s.cfg.Import
	if im.FailRate <= 0 {
		return -1
	}
	if s.draw(id, 0) >= im.FailRate {
		return -1
	}
	switch im.FailedStores {
	case FailedStoresNone:
		return 0
	case FailedStoresAll:
		return n
	}
	return n / 2
}

// draw is a uniform variate in [0, 1) from the seed, the job id and salt,
// one stream per decision.
func (s *Server) draw(id string, salt uint64) float64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return rand.New(rand.NewPCG(uint64(s.cfg.Seed)^salt, h.Sum64())).Float64()
}

// listJobs answers the store's jobs: those named by JobIds in that order
// (unknown ids are left out: the reference is silent), or every job in
// creation order when JobIds is absent or empty.
func (s *Server) listJobs(req *listJobsRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserStoreId"); aerr != nil {
		return nil, aerr
	}
	if _, aerr := s.store(req.UserStoreId); aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Job{}
	for _, j := range s.jobs[req.UserStoreId] {
		if !j.vanished && (len(req.JobIds) == 0 || slices.Contains(req.JobIds, j.job.Id)) {
			out = append(out, j.snapshot())
		}
	}
	if len(req.JobIds) > 0 {
		out = orderByIDs(out, req.JobIds)
	}
	return listJobsResponse{JobSet: out, RequestId: rid}, nil
}

// snapshot copies the job for an answer. Call with s.mu held.
func (j *importJob) snapshot() Job {
	c := j.job
	c.ErrorDetails = append([]ErrorDetails{}, j.job.ErrorDetails...)
	if j.job.FailedUsers != nil {
		c.FailedUsers = append([]FailedUsers{}, j.job.FailedUsers...)
	}
	return c
}

func orderByIDs(jobs []Job, ids []string) []Job {
	byID := map[string]Job{}
	for _, j := range jobs {
		byID[j.Id] = j
	}
	out := make([]Job, 0, len(jobs))
	for _, id := range ids {
		if j, ok := byID[id]; ok {
			out = append(out, j)
			delete(byID, id)
		}
	}
	return out
}

// identification is FailedUserIdentification: the first identifier the user
// carries, in the order of the reference's list of nine (§2.8); "" if none.
func (u *importUser) identification() string {
	for _, v := range u.identifiers() {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func (u *importUser) identifiers() []string {
	return []string{u.UserName, u.PhoneNumber, u.Email, u.WechatOpenId, u.WechatUnionId,
		u.AlipayUserId, u.QqOpenId, u.QqUnionId, u.WeComUserId}
}
