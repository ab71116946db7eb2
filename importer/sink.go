package importer

import (
	"context"
	"sync"
)

// A sink sends mapped rows to CIAM and settles each of them: the CreateUser
// sink one call per row, the import-job sink many rows per call, the dry
// sink of validate none. A sink owns the reconciliation of its rows left in
// doubt by an earlier run (job.reconcile). The pipeline routes each row to
// one sink and settles the results in input order.
type sink interface {
	// name is the word the journal records with a row's begin entry, so a
	// resume hands a row left in doubt back to the sink that began it.
	name() string
	// serve takes jobs from in until in is closed and puts exactly one
	// result into each job's done channel (abandoned once intake stopped).
	// It returns when every job it took has its result.
	serve(ctx context.Context, in <-chan *job)
}

// control is what the pipeline gives every sink.
type control struct {
	pass    int
	stopped <-chan struct{} // closed when intake must stop
	halt    func(error)     // stops the job on an error no row can fix
	// begin journals j as in flight in the named sink and waits until that
	// is durable; nothing may be sent for the row before it returns nil.
	begin func(ctx context.Context, j *job, sink string) error
	// cancel journals that nothing was sent for a begun row after all, and
	// waits until that is durable.
	cancel func(ctx context.Context, j *job) error
}

func (c *control) stopping() bool {
	select {
	case <-c.stopped:
		return true
	default:
		return false
	}
}

// pool runs fn over in on n goroutines; after a stop, queued jobs are
// abandoned without a call while calls already started finish. The jobs
// abandoned are a tail of the jobs taken, never one before a job still
// sent: the settler ends at the first abandoned row, and a later row sent
// would stay begun and unsettled after a graceful stop.
func (c *control) pool(ctx context.Context, n int, in <-chan *job, fn func(context.Context, *job) result) {
	var mu sync.Mutex
	take := func() (j *job, ok, stop bool) { // taking a job and checking for a stop are one step
		mu.Lock()
		defer mu.Unlock()
		j, ok = <-in
		return j, ok, c.stopping()
	}
	var wg sync.WaitGroup
	for range max(n, 1) {
		wg.Go(func() {
			for {
				j, ok, stop := take()
				switch {
				case !ok:
					return
				case stop:
					j.done <- abandoned
				default:
					j.done <- fn(ctx, j)
				}
			}
		})
	}
	wg.Wait()
}

// drySink settles every row it gets as one a run would send: validate's
// sink, which sends nothing.
type drySink struct{}

func (drySink) name() string { return "dry" }

func (drySink) serve(_ context.Context, in <-chan *job) {
	for j := range in {
		j.done <- result{settled: true, dry: true}
	}
}
