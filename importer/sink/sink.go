package sink

import (
	"context"
	"sync"
)

// Sink sends mapped rows to CIAM and settles each of them: the CreateUser
// sink one call per row, the import-job sink many rows per call, the dry
// sink of validate none. A sink owns the reconciliation of its rows left in
// doubt by an earlier run (Row.Reconcile). The pipeline routes each row to
// one sink and settles the results in input order.
type Sink interface {
	// Name is the word the journal records with a row's begin entry, so a
	// resume hands a row left in doubt back to the sink that began it.
	Name() string
	// Serve takes rows from in until in is closed and finishes each of
	// them exactly once (abandoned once intake stopped). It returns when
	// every row it took has its Result.
	Serve(ctx context.Context, in <-chan *Row)
}

// Control is what the pipeline gives every sink.
type Control struct {
	Pass    int
	Stopped <-chan struct{} // closed when intake must stop
	Halt    func(error)     // stops the run on an error no row can fix
	// Begin journals j as in flight in the named sink and waits until that
	// is durable; nothing may be sent for the row before it returns nil.
	Begin func(ctx context.Context, j *Row, sink string) error
	// Cancel journals that nothing was sent for a begun row after all, and
	// waits until that is durable.
	Cancel func(ctx context.Context, j *Row) error
}

// Stopping reports whether intake must stop.
func (c *Control) Stopping() bool {
	select {
	case <-c.Stopped:
		return true
	default:
		return false
	}
}

// pool runs fn over in on n goroutines; after a stop, queued rows are
// abandoned without a call while calls already started finish. The rows
// abandoned are a tail of the rows taken, never one before a row still
// sent: the settler ends at the first abandoned row, and a later row sent
// would stay begun and unsettled after a graceful stop.
func (c *Control) pool(ctx context.Context, n int, in <-chan *Row, fn func(context.Context, *Row) Result) {
	var mu sync.Mutex
	take := func() (j *Row, ok, stop bool) { // taking a row and checking for a stop are one step
		mu.Lock()
		defer mu.Unlock()
		j, ok = <-in
		return j, ok, c.Stopping()
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
					j.Finish(Abandoned)
				default:
					j.Finish(fn(ctx, j))
				}
			}
		})
	}
	wg.Wait()
}

// Dry settles every row it gets as one a run would send: validate's
// sink, which sends nothing.
type Dry struct{}

func (Dry) Name() string { return "dry" }

func (Dry) Serve(_ context.Context, in <-chan *Row) {
	for j := range in {
		j.Finish(Result{Settled: true, Dry: true})
	}
}
