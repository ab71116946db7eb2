package importer

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// prepare checks one mapped record (u, err from Spec.Map) in input order:
// dedup must see the rows in that order. It settles what needs no call
// (malformed, rejected, duplicate rows, rows the ledger knows) and reports
// whether the row goes on to a sink.
func (p *pipeline) prepare(rec source.Record, u *mapping.User, err error) (*sink.Row, bool) {
	j := sink.NewRow(rec)
	pass := p.Pass
	if rec.Err != nil {
		e := j.Entry(outcome.Rejected, pass)
		e.Key = rowKey(rec.Fields, p.spec.KeyField())
		e.Field, e.Message = recordField(rec.Err), rec.Err.Error()
		j.Finish(sink.Settle(e))
		return j, false
	}
	var fe *mapping.FieldError
	if err != nil && !errors.As(err, &fe) { // not the row's fault (the password generator failed)
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
	if pos, ok := p.inflight[rec.ID]; ok {
		p.dedup.check(u, rec.Line) // never deduplicated away, but later duplicates of it still are
		j.Reconcile, j.Sink = true, pos.Sink
		return j, true
	}
	if ident, first, dup := p.dedup.check(u, rec.Line); dup {
		e := j.Entry(outcome.Conflict, pass)
		e.Identifier, e.Code = ident, "Local.DuplicateInInput"
		e.Message = fmt.Sprintf("same %s as line %d of this input; not sent", ident, first)
		j.Finish(sink.Settle(e))
		return j, false
	}
	if r, ok := p.fromLedger(j); ok { // after dedup, which must see every row's identifiers
		j.Finish(r)
		return j, false
	}
	return j, true
}

// fromLedger settles a row whose legacy key an earlier run imported. Under
// ConflictUpdate, only when its mapped fields are those the ledger
// recorded; a changed row goes on to the update sink (j.Known).
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
	if p.policy == ConflictUpdate {
		if rec.Digests == nil || !bytes.Equal(rec.Digests, j.User.FieldDigests()) {
			j.Known = &sink.Known{UserID: rec.UserID, Old: rec.Digests}
			return sink.Result{}, false
		}
		e.Message = "unchanged since " + sinceDate(rec.Synced) + " (ledger); not sent"
		return sink.Settle(e), true
	}
	e.Message = "imported on " + sinceDate(rec.Imported) + " (ledger); not sent"
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
