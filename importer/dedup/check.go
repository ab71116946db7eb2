package dedup

import (
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// Row is where a row comes from; with its legacy key it is the row's
// identity as the table records it.
type Row struct {
	ID   string // source.Record.ID
	Line int64
}

// Duplicate names the identifier of a row that an earlier row holds, and
// that row's line.
type Duplicate struct {
	Kind string // KindKey, KindUserName, KindEmail or KindPhone
	Line int64
}

// Check returns the first of u's identifiers (in the order of the kinds)
// that another row holds. When there is none, the row holds its
// identifiers from now on (in memory until its settle entry is flushed,
// see Take). Identifiers the same row (same source ID and legacy key)
// already holds are its own, never a duplicate. An error is a failed read
// of the table.
func (t *Table) Check(u *mapping.User, r Row) (Duplicate, bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cfg.Scratch {
		if err := t.makeRoom(len(kinds)); err != nil {
			return Duplicate{}, false, err
		}
	}
	hs := t.identifiers(u)
	tag := t.rowTag(r.ID, u.Key)
	var fresh [4]bool
	for i, h := range hs {
		if h == 0 {
			continue
		}
		held, ok, err := t.lookup(h)
		if err != nil {
			return Duplicate{}, false, err
		}
		if ok && held.tag != tag {
			return Duplicate{Kind: kinds[i], Line: int64(held.line)}, true, nil
		}
		fresh[i] = !ok
	}
	line := recordLine(r.Line)
	for i, h := range hs {
		if !fresh[i] {
			continue
		}
		rec := record{h: h, line: line, tag: tag}
		if t.cfg.Scratch { // held at once: no settle entry carries it
			t.put(rec)
			continue
		}
		t.pend[h] = rec
		t.rows[r.ID] = append(t.rows[r.ID], h)
	}
	return Duplicate{}, false, nil
}

// put adds rec to the in-memory table and to the filter, which covers the
// in-memory table and the runs.
func (t *Table) put(rec record) {
	t.mem.put(rec)
	t.filter.add(rec.h)
}

// Take returns the identifiers the row with source ID id took hold of
// since it was checked, for its settle entry's Seen field, and forgets the
// row; "" when it holds nothing new. Call it once, when the row settles.
func (t *Table) Take(id string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	hs := t.rows[id]
	delete(t.rows, id)
	return encodeSeen(hs)
}

// Settled queues the identifiers of a settle entry (its Seen field) for
// the next Flush; they are held at once. The checkpoint's settler calls it
// for every settled row, and a resume for every settle entry replayed from
// the journal: identifiers already written are skipped, so replaying an
// entry twice is harmless. A malformed Seen field or a failed read is
// returned by the next Flush.
func (t *Table) Settled(e state.Entry) {
	if e.Op != state.OpSettle || e.Seen == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err != nil {
		return
	}
	hs, err := decodeSeen(e.Seen)
	if err != nil {
		t.err = err
		return
	}
	tag, line := t.rowTag(e.ID, e.Key), recordLine(e.Line)
	for _, h := range hs {
		if _, ok, err := t.durable(h); err != nil {
			t.err = err
			return
		} else if ok {
			continue
		}
		rec := record{h: h, line: line, tag: tag}
		t.pend[h] = rec
		t.queue = append(t.queue, rec)
	}
}

// lookup finds the record of h: held in memory or written.
func (t *Table) lookup(h uint64) (record, bool, error) {
	if r, ok := t.pend[h]; ok {
		return r, true, nil
	}
	return t.durable(h)
}

// durable finds the record of h that Flush wrote. The filter, over the
// in-memory table and the runs, answers most absent hashes alone.
func (t *Table) durable(h uint64) (record, bool, error) {
	if !t.filter.has(h) {
		return record{}, false, nil
	}
	if r, ok := t.mem.get(h); ok {
		return r, true, nil
	}
	if t.imm != nil {
		if r, ok := t.imm.get(h); ok {
			return r, true, nil
		}
	}
	for _, r := range t.runs {
		rec, ok, err := r.get(h)
		if err != nil || ok {
			return rec, ok, err
		}
	}
	return record{}, false, nil
}
