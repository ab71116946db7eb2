package sink

import (
	"sync/atomic"
	"time"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// Row is one input row on its way through the pipeline: its record, its
// mapped user, and what an earlier run or the ledger knows of it. It gets
// exactly one Result (Finish), which the pipeline's settler takes (Wait).
type Row struct {
	Rec       source.Record
	User      *mapping.User // nil for a row that could not be mapped
	Reconcile bool          // begun by an earlier run and never settled: look up first
	Sink      string        // Reconcile: the name of the sink that began it
	MaybeSent bool          // a request for this row may already have reached CIAM
	Known     *Known        // the ledger's user of this row, to update (ConflictUpdate)
	// Begun is the begin an earlier run journaled for this row (same legacy
	// key; its ID differs from Rec.ID when the row moved in the input):
	// the row's settle entry ends it too.
	Begun *state.Position
	// Gone marks a row begun by an earlier run that the source no longer
	// has: Rec and User hold only its journaled position and key. It is
	// settled by a lookup of its key, never sent.
	Gone     bool
	Attempts atomic.Int64 // API calls made for the row, retries included
	// FirstSent is when this run first sent the row's CreateUser (zero:
	// not yet): a user found stored since then is this row's own.
	FirstSent time.Time
	done      chan Result
}

// NewRow starts the row of rec.
func NewRow(rec source.Record) *Row { return &Row{Rec: rec, done: make(chan Result, 1)} }

// Finish hands the row its result; it must be called exactly once.
func (j *Row) Finish(r Result) { j.done <- r }

// Wait returns the row's result once Finish was called.
func (j *Row) Wait() Result { return <-j.done }

// Entry starts the settle entry of this row with outcome o in pass.
func (j *Row) Entry(o outcome.Outcome, pass int) state.Entry {
	e := state.Entry{Op: state.OpSettle, Line: j.Rec.Line, ID: j.Rec.ID, Next: j.Rec.Next, Pos: j.Rec.Pos,
		Outcome: o.Name, Pass: pass, Attempts: int(j.Attempts.Load())}
	if j.User != nil {
		e.Key = j.User.Key
	}
	if j.Begun != nil && j.Begun.ID != j.Rec.ID {
		e.Was = j.Begun.ID
	}
	return e
}

// Known is what the ledger says about a row routed to the update sink.
type Known struct {
	UserID string
	Old    mapping.FieldDigests // nil: recorded without digests, every field counts as changed
}

// Result is what a sink or the reader decided for one row. A row that is
// not Settled was abandoned (shutdown, fatal error): the next run reads it
// again. Dry marks a row a dry run would have sent.
type Result struct {
	Settled bool
	Dry     bool
	Entry   state.Entry
}

// Settle is the result that settles a row with e.
func Settle(e state.Entry) Result { return Result{Settled: true, Entry: e} }

// Abandoned is the result of a row left for the next run.
var Abandoned = Result{}
