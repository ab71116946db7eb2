package importer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// sinkJob is the import-job sink's name in the journal.
const sinkJob = "job"

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

// jobSink batches rows into CreateApiImportUserJob calls, at most MaxJobs
// unfinished at a time, polls each job with ListJobs, and settles every row
// of a finished job: those named in FailedUsers by their reason, every
// other one only once a lookup confirmed its user (never "created" on the
// job's word alone). No client token exists, so an answer that may or may
// not have created a job (and rows left in doubt by an earlier run) are
// settled by lookups once every job of the store has finished; a user is
// never sent twice.
type jobSink struct {
	*control
	api     API // paced
	find    *finder
	storeID string
	opt     JobOptions
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error

	idleOnce sync.Once // rows left in doubt wait once for the store's jobs
	idleErr  error
}

func (s *jobSink) name() string { return sinkJob }

// batchBuffer is how many rows the pipeline should let a job sink hold.
func (o JobOptions) batchBuffer() int {
	return o.withDefaults().BatchSize * (o.withDefaults().MaxJobs + 1)
}

func (s *jobSink) serve(ctx context.Context, in <-chan *job) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, s.opt.MaxJobs)
	var batch []*job
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
			if s.stopping() {
				j.done <- abandoned
				continue
			}
			if j.reconcile && s.reconcileFirst(ctx, j) {
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
func (s *jobSink) reconcileFirst(ctx context.Context, j *job) bool {
	s.idleOnce.Do(func() { s.idleErr = s.waitIdle(ctx) })
	if s.idleErr != nil {
		j.done <- s.waitFailed(ctx, s.idleErr)
		return true
	}
	f, err := s.find.find(ctx, j.user)
	if err != nil {
		j.done <- lookupResult(ctx, s.control, j, err)
		return true
	}
	switch f.verdict {
	case ours:
		j.done <- createdWith(j, s.pass, f.user, "")
		return true
	case theirs:
		j.done <- conflictWith(j, s.pass, f.identifier, nil)
		return true
	}
	return false
}

// sendBatch journals the batch, creates its job and settles every row.
func (s *jobSink) sendBatch(ctx context.Context, b []*job) {
	if s.stopping() {
		abandonAll(b)
		return
	}
	for _, j := range b {
		if err := s.begin(ctx, j, sinkJob); err != nil {
			if ctx.Err() == nil {
				s.halt(fmt.Errorf("journal row %d: %w", j.rec.Line, err))
			}
			abandonAll(b)
			return
		}
	}
	s.createJob(ctx, b)
}

// createJob sends b as one job. A batch the service rejects as a whole is
// split in halves until the rejected row is alone.
func (s *jobSink) createJob(ctx context.Context, b []*job) {
	req := &ciam.CreateApiImportUserJobRequest{UserStoreId: s.storeID}
	for _, j := range b {
		req.DataFlowUserCreateList = append(req.DataFlowUserCreateList, buildImportUser(j.user))
	}
	since := s.now().Add(-time.Minute) // clock skew between us and the service
	resp, err := s.createBusy(ctx, req)
	var ce *ciam.Error
	switch {
	case err == nil && resp.Job != nil:
		s.follow(ctx, b, resp.Job.Id, since)
	case err == nil:
		s.inDoubt(ctx, b, since, &ciam.Error{Code: "ClientError.InvalidResponse", Message: "job created without a Job"})
	case !errors.As(err, &ce) || ctx.Err() != nil:
		abandonAll(b) // cancelled: the begins settle it next run
	case ce.Class == ciam.InDoubt:
		s.inDoubt(ctx, b, since, ce)
	case ce.Class == ciam.Rejected && len(b) > 1:
		s.createJob(ctx, b[:len(b)/2])
		s.createJob(ctx, b[len(b)/2:])
	case ce.Class == ciam.Rejected:
		b[0].done <- rejectedWith(b[0], s.pass, ce)
	case ce.Class == ciam.Retryable:
		for _, j := range b {
			j.done <- retryableWith(j, s.pass, ce)
		}
	default:
		s.halt(ce)
		s.cancelAll(ctx, b)
	}
}

// createBusy sends req, waiting while the store already has two unfinished
// jobs (someone else's, or ours from an earlier run).
func (s *jobSink) createBusy(ctx context.Context, req *ciam.CreateApiImportUserJobRequest) (*ciam.CreateApiImportUserJobResponse, error) {
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

// follow polls the job until it finishes, then settles its rows.
func (s *jobSink) follow(ctx context.Context, b []*job, id string, since time.Time) {
	deadline := s.now().Add(s.opt.JobTimeout)
	for {
		resp, err := s.api.ListJobs(ctx, &ciam.ListJobsRequest{UserStoreId: s.storeID, JobIds: []string{id}})
		if err != nil {
			if r := s.pollFailed(ctx, err); !r.settled {
				abandonAll(b)
				return
			}
		} else if cj := findJob(resp.JobSet, id); cj != nil && cj.Finished() {
			s.settleJob(ctx, b, cj, since)
			return
		}
		if s.now().After(deadline) {
			abandonAll(b) // still in doubt: the next run waits for the store and looks them up
			s.halt(fmt.Errorf("import job %s did not finish within %s; its rows are left for the next run", id, s.opt.JobTimeout))
			return
		}
		if err := s.sleep(ctx, s.opt.Poll); err != nil {
			abandonAll(b)
			return
		}
	}
}

// pollFailed decides about a failed ListJobs: settled (true) means go on
// polling; a fatal error halts the job.
func (s *jobSink) pollFailed(ctx context.Context, err error) result {
	var ce *ciam.Error
	if !errors.As(err, &ce) || ctx.Err() != nil {
		return abandoned
	}
	if ce.Class == ciam.Fatal {
		s.halt(ce)
		return abandoned
	}
	return result{settled: true}
}

// inDoubt settles a batch whose job may or may not exist: once no job of
// the store is unfinished, every row is looked up.
func (s *jobSink) inDoubt(ctx context.Context, b []*job, since time.Time, cause *ciam.Error) {
	for _, j := range b {
		j.maybeSent = true
	}
	if err := s.waitIdle(ctx); err != nil {
		for _, j := range b {
			j.done <- s.waitFailed(ctx, err)
		}
		return
	}
	s.confirm(ctx, b, since, cause)
}

// waitIdle polls ListJobs until none of the store's jobs is unfinished.
func (s *jobSink) waitIdle(ctx context.Context) error {
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
// halts the job unless it is stopping anyway.
func (s *jobSink) waitFailed(ctx context.Context, err error) result {
	if ctx.Err() == nil && !s.stopping() {
		s.halt(err)
	}
	return abandoned
}

// cancelAll abandons rows of a call whose answer proved that nothing was
// created, cancelling their begins.
func (s *jobSink) cancelAll(ctx context.Context, b []*job) {
	for _, j := range b {
		if err := s.cancel(ctx, j); err != nil && ctx.Err() == nil {
			s.halt(fmt.Errorf("journal row %d: %w", j.rec.Line, err))
		}
		j.done <- abandoned
	}
}

func abandonAll(b []*job) {
	for _, j := range b {
		j.done <- abandoned
	}
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

// settled results shared by the sinks.

func createdWith(j *job, pass int, u *ciam.User, requestID string) result {
	e := j.entry(outcome.Created, pass)
	e.RequestID = requestID
	if u != nil {
		e.UserID = u.UserId
	}
	e.Digest = createdDigest(j, u, requestID)
	return settledWith(e)
}

func conflictWith(j *job, pass int, ident ciam.Identifier, ce *ciam.Error) result {
	e := j.entry(outcome.Conflict, pass)
	e.Identifier = string(ident)
	if e.Identifier == "" {
		e.Identifier = "unknown"
	}
	if ce != nil {
		e.Code, e.Message, e.RequestID = ce.Code, ce.Message, ce.RequestID
	} else {
		e.Code, e.Message = "LocalLookup.AlreadyExists", "a different user already holds this "+e.Identifier
	}
	return settledWith(e)
}

func rejectedWith(j *job, pass int, ce *ciam.Error) result {
	e := j.entry(outcome.Rejected, pass)
	e.Field, e.Code, e.Message, e.RequestID = ce.Field, ce.Code, ce.Code+": "+ce.Message, ce.RequestID
	return settledWith(e)
}

func retryableWith(j *job, pass int, ce *ciam.Error) result {
	e := j.entry(outcome.Retryable, pass)
	e.Code, e.Message, e.RequestID = ce.Code, ce.Message, ce.RequestID
	return settledWith(e)
}

// lookupResult settles a row whose lookup failed: retryable, or abandoned
// when the job is stopping or the error is fatal.
func lookupResult(ctx context.Context, c *control, j *job, err error) result {
	var ce *ciam.Error
	if !errors.As(err, &ce) || ctx.Err() != nil {
		return abandoned
	}
	if ce.Class == ciam.Fatal {
		c.halt(ce)
		return abandoned
	}
	return retryableWith(j, c.pass, ce)
}
