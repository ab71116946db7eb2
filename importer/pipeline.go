package importer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/ciam-import/ciam-import/importer/canary"
	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/ledger"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// queueSize bounds the rows between the reader and the settler. A row stuck
// in backoff holds the settler; the queue lets the other rows go on for
// about queueSize/rate seconds meanwhile. A sink that settles rows in
// batches asks for more (sink buffers add up).
const queueSize = 512

// stop reasons, in Summary.Stopped.
const (
	StopInterrupted = "interrupted"
	StopFatal       = "fatal"
	StopMaxRows     = "max-rows"
	StopMaxDuration = "max-duration"
)

// errStop ends the reader when intake stops.
var errStop = errors.New("intake stopped")

// pipeline is one pass over an input, the one shape every command runs:
//
//	source -> map (every core, in order) -> prepare (dedup, ledger) -> route -> sink -> settle (in order) -> report
//
// run and retry settle into the state directory; validate routes every
// valid row to a sink that sends nothing and settles into its reports only.
type pipeline struct {
	src      source.Reader
	spec     *mapping.Spec
	sinks    []sink.Sink
	route    func(*sink.Row) int // index into sinks
	seen     *dedup.Table        // the identifiers earlier rows hold (importer/dedup)
	inflight *inflight           // rows begun by an earlier run, never settled
	cursor   string              // the cursor the pass is at: where the last record read ends (gone rows settle there)
	at       *readProgress       // progress at cursor (Record.Pos), also read by the duplicate table's filter
	ledger   *ledger.Ledger      // nil without --ledger
	policy   ConflictPolicy      // ConflictUpdate: changed rows the ledger knows go to the update sink
	maxRows  int64
	canary   *canary.Quota // a canary run: intake ends at the first row whose path had its rows; nil: no limit
	queue    int           // rows between the reader and the settler; default queueSize
	settle   func(*sink.Row, sink.Result) error

	sink.Control
	stopOnce sync.Once
	stopCh   chan struct{} // closed when intake must stop
	reason   atomic.Value  // string
	limited  atomic.Bool   // --max-rows ended intake
	// ledgerChanged counts the rows the ledger skipped although their
	// mapped fields changed since it recorded them (not ConflictUpdate).
	ledgerChanged atomic.Int64
	fatal         atomic.Pointer[error] // the first error that halted the run
}

func newPipeline(pass int) *pipeline {
	p := &pipeline{stopCh: make(chan struct{}), route: func(*sink.Row) int { return 0 }, inflight: newInflight(nil), at: &readProgress{}}
	p.Control = sink.Control{Pass: pass, Stopped: p.stopCh, Halt: p.halt}
	return p
}

func (p *pipeline) stop(reason string) {
	p.stopOnce.Do(func() {
		p.reason.Store(reason)
		close(p.stopCh)
	})
}

// fatalErr is the error that halted the run, or nil.
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
	order := make(chan *sink.Row, max(p.queue, queueSize))
	ins := make([]chan *sink.Row, len(p.sinks))
	g := new(errgroup.Group)
	for i, s := range p.sinks {
		ins[i] = make(chan *sink.Row)
		g.Go(func() error { s.Serve(callCtx, ins[i]); return nil })
	}
	g.Go(func() error {
		defer func() {
			close(order)
			for _, in := range ins {
				close(in)
			}
		}()
		return p.read(callCtx, order, ins)
	})
	g.Go(func() error { return p.settleInOrder(order) })
	return g.Wait()
}

// read maps the records on every core and hands them on in input order:
// dedup and the ledger must see the rows in that order.
func (p *pipeline) read(ctx context.Context, order chan<- *sink.Row, ins []chan *sink.Row) error {
	var n int64
	err := mapInOrder(ctx, p.src, p.spec, func(rec source.Record, u *mapping.User, err error) error {
		if p.maxRows > 0 && n >= p.maxRows {
			p.limited.Store(true) // intake ends; the rows read still settle
			return errStop
		}
		n++
		if p.Stopping() {
			return errStop
		}
		j, call := p.prepare(rec, u, err)
		if call && p.canary != nil && !p.canary.Take(p.pathOf(j)) {
			p.limited.Store(true) // this row is neither sent nor settled: the next run reads it again
			return errStop
		}
		p.cursor = rec.Next
		p.at.pos.Store(rec.Pos)
		return p.handOrStop(order, ins, j, call)
	})
	if err == nil && !p.limited.Load() { // the input ended: the begins no row claimed are gone from it
		for _, pos := range p.inflight.rest() {
			if !p.hand(order, ins, goneRow(pos, p.cursor, p.at.pos.Load()), true) {
				break
			}
		}
	}
	switch {
	case err == nil, errors.Is(err, errStop):
	case errors.Is(err, context.Canceled) && ctx.Err() != nil: // our own abort, not the source's failure
		p.stop(StopInterrupted)
	default:
		p.halt(fmt.Errorf("read input: %w", err))
	}
	return nil
}

// handOrStop hands j on (hand), or answers errStop once intake stopped.
func (p *pipeline) handOrStop(order chan<- *sink.Row, ins []chan *sink.Row, j *sink.Row, call bool) error {
	if !p.hand(order, ins, j, call) {
		return errStop
	}
	return nil
}

// hand queues j for settling and, if call, sends it to its sink; false
// once intake stopped.
func (p *pipeline) hand(order chan<- *sink.Row, ins []chan *sink.Row, j *sink.Row, call bool) bool {
	if !p.enqueue(order, j) {
		return false
	}
	if call {
		select {
		case ins[p.route(j)] <- j:
		case <-p.stopCh:
			j.Finish(sink.Abandoned)
		}
	}
	return true
}

func (p *pipeline) enqueue(order chan<- *sink.Row, j *sink.Row) bool {
	select {
	case order <- j:
		return true
	case <-p.stopCh:
		return false
	}
}

// settleInOrder takes results in input order. The first abandoned row ends
// settling: rows after it are left for the next run, so the resume position
// never passes an unsettled row.
func (p *pipeline) settleInOrder(order <-chan *sink.Row) error {
	var failed error
	halted := false
	for j := range order {
		r := j.Wait()
		if halted || failed != nil || !r.Settled {
			halted = true
			p.stop(StopInterrupted) // a row is only abandoned while stopping; make sure intake ends
			continue
		}
		if err := p.settle(j, r); err != nil {
			failed = err
			p.halt(err)
		}
	}
	return failed
}

// stopReason is why intake ended early, "" when the pass read its input to
// the end.
func (p *pipeline) stopReason(canary bool) string {
	if reason, _ := p.reason.Load().(string); reason != "" {
		return reason
	}
	if p.limited.Load() && canary {
		return StopCanary
	}
	if p.limited.Load() {
		return StopMaxRows
	}
	return ""
}
