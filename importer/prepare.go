package importer

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/checkpoint"
	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// prepare checks one mapped record (u, err from Spec.Map) in input order:
// the duplicate table must see the rows in that order: the first row (in
// input order, across runs) keeps an identifier, a later one settles as a
// conflict naming the first one's line. It settles what needs no call
// (malformed, rejected, duplicate rows, rows the ledger knows) and reports
// whether the row goes on to a sink.
func (p *pipeline) prepare(rec source.Record, u *mapping.User, err error) (*sink.Row, bool) {
	j := sink.NewRow(rec)
	pass := p.Pass
	if gone, ok := errors.AsType[*checkpoint.GoneError](rec.Err); ok { // a retry pass's row the input no longer has: looked up by its queued key
		p.inflight.take(gone.Key, gone.ID) // its settle ends a begin of it by this pass too
		return goneRow(state.Position{Line: gone.Line, ID: gone.ID, Key: gone.Key}, rec.Next, rec.Pos), true
	}
	if rec.Err != nil {
		e := j.Entry(outcome.Rejected, pass)
		e.Key = rowKey(rec.Fields, p.spec.KeyField())
		e.Field, e.Message = recordField(rec.Err), rec.Err.Error()
		j.Finish(sink.Settle(e))
		return j, false
	}
	// errors.AsType, not errors.As, whose target would cost every row an allocation
	fe, isField := errors.AsType[*mapping.FieldError](err)
	if err != nil && !isField { // not the row's fault (the password generator failed)
		p.halt(fmt.Errorf("map line %d: %w", rec.Line, err))
		j.Finish(sink.Abandoned)
		return j, false
	}
	if err != nil {
		e := j.Entry(outcome.Rejected, pass)
		e.Key = rowKey(rec.Fields, p.spec.KeyField())
		e.Field, e.Message = fe.Field, err.Error()
		j.Finish(sink.Settle(e))
		return j, false
	}
	if u.ViaImportJob() {
		if field, reason := sink.ImportUserProblem(u); field != "" {
			e := j.Entry(outcome.Rejected, pass)
			e.Key, e.Field, e.Message = u.Key, field, reason
			j.Finish(sink.Settle(e))
			return j, false
		}
	}
	j.User = u
	j.MaybeSent = p.Pass > 0 // a retryable row may have been in doubt: an AlreadyExists is looked up
	d, dup, err := p.seen.Check(u, dedup.Row{ID: rec.ID, Line: rec.Line})
	if err != nil {
		p.halt(err)
		j.Finish(sink.Abandoned)
		return j, false
	}
	if pos, ok := p.inflight.take(u.Key, rec.ID); ok { // a begin of this key, never of another row at this ID
		// never deduplicated away (it may have been sent), but later duplicates of it still are
		j.Begun = new(pos) // a copy made here: &pos would put pos on the heap for every row
		if r, ok := changedInFlight(j, pos, p.spec.LegacyIDAttribute(), pass); ok {
			j.Finish(r)
			return j, false
		}
		j.Reconcile, j.Sink = true, pos.Sink
		return j, true
	}
	if dup {
		e := j.Entry(outcome.Conflict, pass)
		e.Identifier, e.Code = d.Kind, "Local.DuplicateInInput"
		e.Message = fmt.Sprintf("same %s as line %d of this input; not sent", d.Kind, d.Line)
		j.Finish(sink.Settle(e))
		return j, false
	}
	if r, ok := p.fromLedger(j); ok { // after the duplicate check, which must see every row's identifiers
		j.Finish(r)
		return j, false
	}
	return j, true
}

// fromLedger settles a row whose legacy key an earlier run imported. Under
// ConflictUpdate, only when its mapped fields are those the ledger
// recorded; a changed row goes on to the update sink (j.Known). Under the
// other policies a changed row (its field digests differ from the
// ledger's) is skipped with its own message and counted in ledgerChanged.
func (p *pipeline) fromLedger(j *sink.Row) (sink.Result, bool) {
	if p.ledger == nil {
		return sink.Result{}, false
	}
	rec, ok, err := p.ledger.Get(j.User.Key)
	if err != nil {
		p.halt(err)
		return sink.Abandoned, true
	}
	if !ok {
		return sink.Result{}, false
	}
	e := j.Entry(outcome.Skipped, p.Pass)
	e.UserID = rec.UserID
	changed := rec.Digests != nil && !bytes.Equal(rec.Digests, j.User.FieldDigests())
	switch {
	case p.policy == ConflictUpdate && (changed || rec.Digests == nil):
		j.Known = &sink.Known{UserID: rec.UserID, Old: rec.Digests}
		return sink.Result{}, false
	case p.policy == ConflictUpdate:
		e.Message = "unchanged since " + sinceDate(rec.Synced) + " (ledger); not sent"
	case changed:
		p.ledgerChanged.Add(1)
		e.Message = "changed since " + sinceDate(rec.Synced) + " (ledger); not sent: --on-conflict update would send it"
	default:
		e.Message = "imported on " + sinceDate(rec.Imported) + " (ledger); not sent"
	}
	return sink.Settle(e), true
}

// rowKey reads the legacy key of a row that could not be mapped, for the
// report; dotted names walk into nested JSON objects.
func rowKey(fields map[string]any, name string) string {
	var v any = fields
	for _, part := range strings.Split(name, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[part]
	}
	if v == nil {
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

func recordField(err error) string {
	var re *source.RecordError
	if errors.As(err, &re) {
		return re.Field
	}
	return ""
}

// sinceDate formats a ledger date for reasons.
func sinceDate(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") + " UTC" }
