package importer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// prepare maps and checks one record in the reader goroutine. It settles
// what needs no call (malformed, rejected, duplicate rows) and reports
// whether the row goes to a worker.
func (p *pipeline) prepare(rec source.Record) (*job, bool) {
	if rec.Err != nil {
		return p.prepareMapped(rec, nil, nil)
	}
	u, err := p.spec.Map(rec.Fields)
	return p.prepareMapped(rec, u, err)
}

// prepareMapped is prepare for a record already mapped (u, err from
// Spec.Map), in input order: dedup must see the rows in that order.
func (p *pipeline) prepareMapped(rec source.Record, u *mapping.User, err error) (*job, bool) {
	j := newJob(rec)
	pass := p.worker.pass
	if rec.Err != nil {
		e := j.entry(OutcomeRejected, pass)
		e.Key = rowKey(rec.Fields, p.spec.KeyField())
		e.Field, e.Message = recordField(rec.Err), rec.Err.Error()
		j.done <- settledWith(e)
		return j, false
	}
	var fe *mapping.FieldError
	if err != nil && !errors.As(err, &fe) { // not the row's fault (the password generator failed)
		p.halt(fmt.Errorf("map line %d: %w", rec.Line, err))
		j.done <- abandoned
		return j, false
	}
	if err != nil {
		e := j.entry(OutcomeRejected, pass)
		e.Key = rowKey(rec.Fields, p.spec.KeyField())
		e.Field, e.Message = fe.Field, err.Error()
		j.done <- settledWith(e)
		return j, false
	}
	j.user = u
	j.maybeSent = p.worker.pass > 0 // a retryable row may have been in doubt: an AlreadyExists is looked up
	if _, ok := p.inflight[rec.Offset]; ok {
		p.dedup.check(u, rec.Line) // never deduplicated away, but later duplicates of it still are
		j.reconcile = true
		return j, true
	}
	if ident, first, dup := p.dedup.check(u, rec.Line); dup {
		e := j.entry(OutcomeConflict, pass)
		e.Identifier, e.Code = ident, "Local.DuplicateInInput"
		e.Message = fmt.Sprintf("same %s as line %d of this input; not sent", ident, first)
		j.done <- settledWith(e)
		return j, false
	}
	if r, ok := p.fromLedger(j); ok { // after dedup, which must see every row's identifiers
		j.done <- r
		return j, false
	}
	return j, true
}

// fromLedger settles a row whose legacy key an earlier run imported.
func (p *pipeline) fromLedger(j *job) (result, bool) {
	if p.ledger == nil {
		return result{}, false
	}
	uid, at, ok, err := p.ledger.Lookup(j.user.Key)
	if err != nil {
		p.halt(err)
		return abandoned, true
	}
	if !ok {
		return result{}, false
	}
	e := j.entry(OutcomeSkipped, p.worker.pass)
	e.UserID = uid
	e.Message = "imported on " + at.UTC().Format("2006-01-02 15:04") + " UTC (ledger); not sent"
	return settledWith(e), true
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
