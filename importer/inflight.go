package importer

import (
	"fmt"
	"sort"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// inflight holds the rows an earlier run began and never settled. A row
// read again is reconciled with the begin of its own legacy key only: the
// ID (a byte offset, a table key) names a place, and a source re-exported
// between runs puts another row there. The begins no row claimed by the end
// of the input are rows the source no longer has (gone).
type inflight struct {
	byKey map[string][]state.Position // unclaimed begins by legacy key
	byID  map[string][]state.Position // begins of older versions, without a key, by ID
}

func newInflight(m map[string]state.Position) *inflight {
	f := &inflight{byKey: map[string][]state.Position{}, byID: map[string][]state.Position{}}
	for _, p := range m {
		if p.Key == "" {
			f.byID[p.ID] = append(f.byID[p.ID], p)
		} else {
			f.byKey[p.Key] = append(f.byKey[p.Key], p)
		}
	}
	return f
}

// take claims the begin of the row with this key read at id: the begin at
// the same id first, else the earliest begin of that key elsewhere (the row
// moved). A begin without a key (an older journal) is claimed by id alone.
func (f *inflight) take(key, id string) (state.Position, bool) {
	if ps := f.byID[id]; len(ps) > 0 {
		f.byID[id] = ps[1:]
		return ps[0], true
	}
	ps := f.byKey[key]
	if len(ps) == 0 {
		return state.Position{}, false
	}
	i := 0
	for k, p := range ps {
		if p.ID == id {
			i = k
			break
		}
		if p.Line < ps[i].Line {
			i = k
		}
	}
	p := ps[i]
	f.byKey[key] = append(ps[:i:i], ps[i+1:]...)
	return p, true
}

// rest returns the begins no row claimed, in line order, and forgets them.
func (f *inflight) rest() []state.Position {
	var out []state.Position
	for _, m := range []map[string][]state.Position{f.byKey, f.byID} {
		for k, ps := range m {
			out = append(out, ps...)
			delete(m, k)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Line != out[b].Line {
			return out[a].Line < out[b].Line
		}
		return out[a].Slot() < out[b].Slot()
	})
	return out
}

// goneRow is the row of a begin no row of the input claimed: settled by a
// lookup of its journaled key in the sink that began it, never sent. Its
// settle entry keeps the resume cursor where the pass is (next, pos).
func goneRow(p state.Position, next string, pos int64) *sink.Row {
	j := sink.NewRow(source.Record{ID: p.ID, Line: p.Line, Next: next, Pos: pos})
	j.User = &mapping.User{Key: p.Key}
	j.Reconcile, j.MaybeSent, j.Gone, j.Sink, j.Begun = true, true, true, p.Sink, &p
	return j
}

// changedInFlight settles a row whose begin (same key) recorded other
// fields when the mapping stores no legacy id: the lookup by the row's
// identifiers now would not find a user created with the old ones, and a
// resend could make a second user for the key. The operator checks first.
func changedInFlight(j *sink.Row, pos state.Position, legacyAttr, pass int) (sink.Result, bool) {
	if legacyAttr > 0 || pos.Digest == "" || pos.Digest == j.User.Digest() {
		return sink.Result{}, false
	}
	e := j.Entry(outcome.Retryable, pass)
	e.Code = "Local.ChangedInFlight"
	e.Message = fmt.Sprintf("an earlier run sent this row (line %d) with other field values and the mapping stores no legacy id, "+
		"so whether CIAM holds its user under the old values cannot be checked; look for a user of legacy key %q in CIAM "+
		"(old user name, email or phone number) and delete it if there is one, then run ciam-import retry", pos.Line, j.User.Key)
	return sink.Settle(e), true
}
