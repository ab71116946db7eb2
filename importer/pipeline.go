package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// queueSize bounds the rows between the reader and the settler. A row stuck
// in backoff holds the settler; the queue lets the other workers go on for
// about queueSize/rate seconds meanwhile.
const queueSize = 512

// stop reasons, in Summary.Stopped.
const (
	StopInterrupted = "interrupted"
	StopFatal       = "fatal"
	StopMaxRows     = "max-rows"
	StopMaxDuration = "max-duration"
)

// pipeline is one pass over an input: reader -> workers -> settler.
type pipeline struct {
	src      source.Reader
	spec     *mapping.Spec
	worker   *worker
	workers  int
	dedup    *dedup
	inflight map[int64]state.Position // rows begun by an earlier run, never settled, by offset
	ledger   *Ledger                  // nil without --ledger
	maxRows  int64
	settle   func(result) error

	stopOnce sync.Once
	stopped  chan struct{}         // closed when intake must stop
	reason   atomic.Value          // string
	limited  atomic.Bool           // --max-rows ended intake
	fatal    atomic.Pointer[error] // the first error that halted the job
}

func (p *pipeline) stop(reason string) {
	p.stopOnce.Do(func() {
		p.reason.Store(reason)
		close(p.stopped)
	})
}

// fatalErr is the error that halted the job, or nil.
func (p *pipeline) fatalErr() error {
	if e := p.fatal.Load(); e != nil {
		return *e
	}
	return nil
}

func (p *pipeline) halt(err error) {
	p.fatal.CompareAndSwap(nil, &err) // errors of any type; the first one wins
	p.stop(StopFatal)
}

// run reads, sends and settles until the input ends or intake stops. callCtx
// is for API calls: cancelling it aborts calls in flight (their rows stay
// begun in the journal and are reconciled by the next run).
func (p *pipeline) run(callCtx context.Context) error {
	order := make(chan *job, queueSize)
	work := make(chan *job, p.workers)
	g := new(errgroup.Group)
	g.Go(func() error { return p.read(order, work) })
	for range p.workers {
		g.Go(func() error { p.serve(callCtx, work); return nil })
	}
	g.Go(func() error { return p.settleInOrder(order) })
	return g.Wait()
}

// read is the only goroutine that touches the source, the mapping and dedup,
// so rows are mapped and deduplicated in input order.
func (p *pipeline) read(order, work chan<- *job) error {
	defer close(work)
	defer close(order)
	for n := int64(0); ; n++ {
		if p.maxRows > 0 && n >= p.maxRows {
			p.limited.Store(true) // intake ends; the rows read still settle
			return nil
		}
		select {
		case <-p.stopped:
			return nil
		default:
		}
		rec, err := p.src.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			p.halt(fmt.Errorf("read input: %w", err))
			return nil
		}
		j, call := p.prepare(rec)
		if !p.enqueue(order, j) || !call {
			continue
		}
		select {
		case work <- j:
		case <-p.stopped:
			j.done <- abandoned
		}
	}
}

func (p *pipeline) enqueue(order chan<- *job, j *job) bool {
	select {
	case order <- j:
		return true
	case <-p.stopped:
		return false
	}
}

// serve runs one worker until work is closed. After a stop, queued rows are
// abandoned without a call; calls already started finish.
func (p *pipeline) serve(ctx context.Context, work <-chan *job) {
	for j := range work {
		select {
		case <-p.stopped:
			j.done <- abandoned
			continue
		default:
		}
		j.done <- p.worker.process(ctx, j)
	}
}

// settleInOrder takes results in input order. The first abandoned row ends
// settling: rows after it are left for the next run, so the resume position
// never passes an unsettled row.
func (p *pipeline) settleInOrder(order <-chan *job) error {
	var failed error
	halted := false
	for j := range order {
		r := <-j.done
		if halted || failed != nil || !r.settled {
			halted = true
			p.stop(StopInterrupted) // a row is only abandoned while stopping; make sure intake ends
			continue
		}
		if err := p.settle(r); err != nil {
			failed = err
			p.halt(err)
		}
	}
	return failed
}
