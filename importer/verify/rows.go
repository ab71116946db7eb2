package verify

import (
	"context"
	"errors"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// lookupBatch is how many rows a lookup worker takes at a time.
const lookupBatch = 4

// checked is a row after its worker: mapped, and in lookup mode looked up.
type checked struct {
	m   mapped
	r   Result
	err error
}

// compareRows reads the source in order, maps each row on every core and
// gives emit its verdict: from the index, or from lookups on opt.Workers
// workers when ix is nil.
func compareRows(ctx context.Context, opt Options, api *paced, ix *index, src source.Reader, sum *Summary, emit func(Result) error) error {
	legacy := opt.Spec.LegacyIDAttribute()
	work := func(rec source.Record) checked { return checked{m: mapRecord(opt.Spec, rec, legacy)} }
	n, size := cores(), batchSize
	if ix == nil {
		l := &looker{api: api, store: opt.UserStoreID, legacyAttr: legacy}
		n, size = opt.Workers, lookupBatch
		work = func(rec source.Record) checked {
			c := checked{m: mapRecord(opt.Spec, rec, legacy)}
			if c.m.user != nil {
				c.r, c.err = l.lookup(ctx, c.m.user)
			}
			return c
		}
	}
	return inOrder(ctx, n, size, src.Next, work, func(rec source.Record, c checked) error {
		sum.Rows++
		r, err := c.r, c.err
		switch {
		case c.m.user == nil:
			r = Result{Verdict: Invalid, Fields: invalidReason(rec, c.m.err)}
		case ix != nil:
			r, err = ix.match(c.m)
		}
		if err != nil {
			return err
		}
		r.Line = rec.Line
		return emit(r)
	})
}

// mapRecord maps rec and computes its key and digest.
func mapRecord(spec *mapping.Spec, rec source.Record, legacy int) mapped {
	if rec.Err != nil {
		return mapped{err: rec.Err}
	}
	u, err := spec.Map(rec.Fields)
	if err != nil {
		return mapped{err: err}
	}
	return mapped{user: u, key: rowKey(u, legacy), digest: digest(canonRow(u))}
}

// invalidReason says why a row was not compared, never quoting a value:
// the mapping's FieldError names the field and what is wrong.
func invalidReason(rec source.Record, err error) string {
	var fe *mapping.FieldError
	switch {
	case rec.Err != nil:
		return "malformed record"
	case errors.As(err, &fe):
		return fe.Error()
	}
	return "does not map"
}
