package importer

import (
	"sync/atomic"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// job is one row on its way through the pipeline. done receives exactly one
// result.
type job struct {
	rec       source.Record
	user      *mapping.User
	reconcile bool   // begun by an earlier run and never settled: look up first
	sink      string // reconcile: the sink that began it
	maybeSent bool   // a request for this row may already have reached CIAM
	known     *known // the ledger's user of this row, to update (ConflictUpdate)
	attempts  atomic.Int64
	done      chan result
}

func newJob(rec source.Record) *job { return &job{rec: rec, done: make(chan result, 1)} }

// entry starts the settle entry of this row.
func (j *job) entry(o outcome.Outcome, pass int) state.Entry {
	e := state.Entry{Op: state.OpSettle, Line: j.rec.Line, ID: j.rec.ID, Next: j.rec.Next, Pos: j.rec.Pos,
		Outcome: o.Name, Pass: pass, Attempts: int(j.attempts.Load())}
	if j.user != nil {
		e.Key = j.user.Key
	}
	return e
}

// result is what a sink or the reader decided for one row. A row that is
// not settled was abandoned (shutdown, fatal error): the next run reads it
// again. dry marks a row a dry run would have sent.
type result struct {
	settled bool
	dry     bool
	entry   state.Entry
}

func settledWith(e state.Entry) result { return result{settled: true, entry: e} }

var abandoned = result{}
