package sink

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// NameJob is the import-job sink's name in the journal.
const NameJob = "job"

// JobOptions configure the import-job sink, which carries rows with a
// legacy password hash through CreateApiImportUserJob. The reference
// documents neither a batch limit nor how fast jobs run: the defaults are
// conservative and every one is a flag.
type JobOptions struct {
	BatchSize  int           // users per CreateApiImportUserJob; default 200
	MaxJobs    int           // unfinished jobs of ours at a time; default 2 (the store's documented limit)
	Poll       time.Duration // ListJobs interval while a job runs; default 1s
	FlushAfter time.Duration // send a partial batch when no row joined it for this long; default 1s
	JobTimeout time.Duration // give up waiting for a job (rows stay in doubt for the next run); default 30m
	PageSize   int           // DescribeUser page size when confirming a batch; default 100
}

func (o JobOptions) withDefaults() JobOptions {
	if o.BatchSize <= 0 {
		o.BatchSize = 200
	}
	if o.MaxJobs <= 0 {
		o.MaxJobs = 2
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.FlushAfter <= 0 {
		o.FlushAfter = time.Second
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = 30 * time.Minute
	}
	if o.PageSize <= 0 {
		o.PageSize = 100
	}
	return o
}

// ImportJob batches rows into CreateApiImportUserJob calls, at most MaxJobs
// unfinished at a time, polls each job with ListJobs, and settles every row
// of a finished job: those named in FailedUsers by their reason, every
// other one only once a lookup confirmed its user (never "created" on the
// job's word alone). No client token exists, so an answer that may or may
// not have created a job (and rows left in doubt by an earlier run) are
// settled by lookups once every job of the store has finished; a user is
// never sent twice.
type ImportJob struct {
	*Control
	api     API // paced
	find    *Finder
	storeID string
	opt     JobOptions
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error

	// Refresh brings the user of a row that changed in the input while in
	// flight up to date (see Update.refresh); nil: it is reported as found.
	Refresh *Update

	guard *streak // lookups' answers that are not the API's

	idleOnce sync.Once // rows left in doubt wait once for the store's jobs
	idleErr  error
}

func (s *ImportJob) Name() string { return NameJob }

// batchBuffer is how many rows the pipeline should let a job sink hold.
func (o JobOptions) BatchBuffer() int {
	return o.withDefaults().BatchSize * (o.withDefaults().MaxJobs + 1)
}

func (s *ImportJob) Serve(ctx context.Context, in <-chan *Row) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, s.opt.MaxJobs)
	var batch []*Row
	flush := func() {
		if len(batch) == 0 {
			return
		}
		b := batch
		batch = nil
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			s.sendBatch(ctx, b)
		})
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case j, ok := <-in:
			if !ok {
				flush()
				wg.Wait()
				return
			}
			if s.Stopping() {
				j.Finish(Abandoned)
				continue
			}
			if j.Reconcile && s.reconcileFirst(ctx, j) {
				continue
			}
			batch = append(batch, j)
			if len(batch) >= s.opt.BatchSize {
				timer.Stop()
				flush()
			} else if len(batch) == 1 {
				timer.Reset(s.opt.FlushAfter)
			}
		case <-timer.C:
			flush()
		}
	}
}

// reconcileFirst settles a row an earlier run began in this sink, once the
// store's jobs have all finished: found, it is settled; not found, it goes
// into a batch again (reported false).
func (s *ImportJob) reconcileFirst(ctx context.Context, j *Row) bool {
	s.idleOnce.Do(func() { s.idleErr = s.waitIdle(ctx) })
	if s.idleErr != nil {
		j.Finish(s.waitFailed(ctx, s.idleErr))
		return true
	}
	if j.Gone { // after the jobs finished: a job of that run may still create its user
		j.Finish(settleGone(ctx, s.Control, s.guard, s.find, j))
		return true
	}
	f, err := s.find.find(ctx, j.User)
	if err != nil {
		j.Finish(lookupResult(ctx, s.Control, s.guard, j, err))
		return true
	}
	if f.verdict == ours && changedSinceBegin(j) && s.Refresh != nil {
		j.Finish(s.Refresh.refresh(ctx, j, f.user))
		return true
	}
	r, ok := settleFound(j, s.Pass, f, nil)
	if ok {
		j.Finish(r)
	}
	return ok
}

// sendBatch journals the batch, creates its job and settles every row.
func (s *ImportJob) sendBatch(ctx context.Context, b []*Row) {
	if s.Stopping() {
		abandonAll(b)
		return
	}
	for _, j := range b {
		if err := s.Begin(ctx, j, NameJob); err != nil {
			if ctx.Err() == nil {
				s.Halt(fmt.Errorf("journal row %d: %w", j.Rec.Line, err))
			}
			abandonAll(b)
			return
		}
	}
	s.createJob(ctx, b)
}

// createJob sends b as one job. A batch the service rejects as a whole is
// split in halves until the rejected row is alone.
func (s *ImportJob) createJob(ctx context.Context, b []*Row) {
	req := &ciam.CreateApiImportUserJobRequest{UserStoreId: s.storeID}
	for _, j := range b {
		req.DataFlowUserCreateList = append(req.DataFlowUserCreateList, buildImportUser(j.User))
	}
	since := s.now().Add(-time.Minute) // clock skew between us and the service
	resp, err := s.createBusy(ctx, req)
	if err == nil && resp.Job != nil {
		s.follow(ctx, b, resp.Job.Id, since)
		return
	}
	if err == nil {
		s.inDoubt(ctx, b, since, &ciam.Error{Code: "ClientError.InvalidResponse", Message: "job created without a Job"})
		return
	}
	switch answer, ce := decide(ctx, err); {
	case answer == Stopped:
		abandonAll(b) // the begins settle it next run
	case answer == InDoubt:
		s.inDoubt(ctx, b, since, ce)
	case answer == Refused && len(b) > 1:
		s.createJob(ctx, b[:len(b)/2])
		s.createJob(ctx, b[len(b)/2:])
	case answer == Refused, answer == Later:
		for _, j := range b {
			j.Finish(settleFailure(j, s.Pass, ce))
		}
	default: // Fatal, and Taken: the call has no AlreadyExists of its own
		s.Halt(ce)
		s.cancelAll(ctx, b)
	}
}

// createBusy sends req, waiting while the store already has two unfinished
// jobs (someone else's, or ours from an earlier run).
func (s *ImportJob) createBusy(ctx context.Context, req *ciam.CreateApiImportUserJobRequest) (*ciam.CreateApiImportUserJobResponse, error) {
	deadline := s.now().Add(s.opt.JobTimeout)
	for {
		resp, err := s.api.CreateApiImportUserJob(ctx, req)
		var ce *ciam.Error
		if !errors.As(err, &ce) || !ce.Busy() || s.now().After(deadline) {
			return resp, err
		}
		if err := s.sleep(ctx, 5*s.opt.Poll); err != nil {
			return nil, err
		}
	}
}

// vanishPolls is how many answers of ListJobs in a row without the job
// make follow give it up as vanished.
const vanishPolls = 3

// follow polls the job until it finishes, then settles its rows. A job
// ListJobs stops listing is settled like a batch in doubt.
//
// Safe reading (issue 20): the reference does not say that a job stays
// listed until it finishes (a service restart may lose it). A job missing
// from vanishPolls answers in a row (a fresh job may be missing from the
// first) is given up: its rows are looked up once no job of the store is
// unfinished, instead of polling until JobTimeout.
func (s *ImportJob) follow(ctx context.Context, b []*Row, id string, since time.Time) {
	deadline := s.now().Add(s.opt.JobTimeout)
	missing := 0
	for {
		resp, err := s.api.ListJobs(ctx, &ciam.ListJobsRequest{UserStoreId: s.storeID, JobIds: []string{id}})
		if err != nil {
			if r := s.pollFailed(ctx, err); !r.Settled {
				abandonAll(b)
				return
			}
		} else if cj := findJob(resp.JobSet, id); cj != nil && cj.Finished() {
			s.settleJob(ctx, b, cj, since)
			return
		} else if missing = missingCount(missing, cj); missing >= vanishPolls {
			s.inDoubt(ctx, b, since, &ciam.Error{Code: "ImportJob.Vanished",
				Message: fmt.Sprintf("import job %s is no longer listed by ListJobs, and no user was found for this row", id)})
			return
		}
		if s.now().After(deadline) {
			abandonAll(b) // still in doubt: the next run waits for the store and looks them up
			s.Halt(fmt.Errorf("import job %s did not finish within %s; its rows are left for the next run", id, s.opt.JobTimeout))
			return
		}
		if err := s.sleep(ctx, s.opt.Poll); err != nil {
			abandonAll(b)
			return
		}
	}
}

// pollFailed decides about a failed ListJobs: settled (true) means go on
// polling; a fatal error halts the run.
func (s *ImportJob) pollFailed(ctx context.Context, err error) Result {
	switch answer, ce := decide(ctx, err); answer {
	case Stopped:
		return Abandoned
	case Fatal:
		s.Halt(ce)
		return Abandoned
	}
	return Result{Settled: true}
}

// inDoubt settles a batch whose job may or may not exist: once no job of
// the store is unfinished, every row is looked up.
func (s *ImportJob) inDoubt(ctx context.Context, b []*Row, since time.Time, cause *ciam.Error) {
	for _, j := range b {
		j.MaybeSent = true
	}
	if err := s.waitIdle(ctx); err != nil {
		for _, j := range b {
			j.Finish(s.waitFailed(ctx, err))
		}
		return
	}
	s.confirm(ctx, b, since, func(*Row) *ciam.Error { return cause })
}

// waitIdle polls ListJobs until none of the store's jobs is unfinished.
func (s *ImportJob) waitIdle(ctx context.Context) error {
	deadline := s.now().Add(s.opt.JobTimeout)
	for {
		resp, err := s.api.ListJobs(ctx, &ciam.ListJobsRequest{UserStoreId: s.storeID})
		if err == nil && !anyUnfinished(resp.JobSet) {
			return nil
		}
		var ce *ciam.Error
		if errors.As(err, &ce) && ce.Class == ciam.Fatal {
			return err
		}
		if s.now().After(deadline) {
			return fmt.Errorf("the user store still has unfinished import jobs after %s", s.opt.JobTimeout)
		}
		if err := s.sleep(ctx, s.opt.Poll); err != nil {
			return err
		}
	}
}

// waitFailed abandons a row whose in-doubt state could not be resolved, and
// halts the run unless it is stopping anyway.
func (s *ImportJob) waitFailed(ctx context.Context, err error) Result {
	if ctx.Err() == nil && !s.Stopping() {
		s.Halt(err)
	}
	return Abandoned
}

// cancelAll abandons rows of a call whose answer proved that nothing was
// created, cancelling their begins.
func (s *ImportJob) cancelAll(ctx context.Context, b []*Row) {
	for _, j := range b {
		if err := s.Cancel(ctx, j); err != nil && ctx.Err() == nil {
			s.Halt(fmt.Errorf("journal row %d: %w", j.Rec.Line, err))
		}
		j.Finish(Abandoned)
	}
}

func abandonAll(b []*Row) {
	for _, j := range b {
		j.Finish(Abandoned)
	}
}

// missingCount counts answers in a row that did not list the job: cj is
// the job as listed, nil when it was not.
func missingCount(missing int, cj *ciam.Job) int {
	if cj != nil {
		return 0
	}
	return missing + 1
}

func findJob(jobs []ciam.Job, id string) *ciam.Job {
	for i := range jobs {
		if jobs[i].Id == id {
			return &jobs[i]
		}
	}
	return nil
}

func anyUnfinished(jobs []ciam.Job) bool {
	for i := range jobs {
		if jobs[i].Type != ciam.JobTypeExportUser && !jobs[i].Finished() {
			return true
		}
	}
	return false
}

// NewImportJob makes the import-job sink: api is paced, find confirms rows,
// now is the clock (nil: time.Now).
func NewImportJob(c *Control, api API, find *Finder, storeID string, opt JobOptions, now func() time.Time) *ImportJob {
	if now == nil {
		now = time.Now
	}
	return &ImportJob{Control: c, api: api, find: find, storeID: storeID, opt: opt.withDefaults(), now: now, sleep: sleep, guard: &streak{}}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
