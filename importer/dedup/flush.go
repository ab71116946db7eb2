package dedup

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Flush writes the identifiers queued by Settled durably. Call it once the
// journal entries that carry them are durable and before the snapshot that
// stops replaying those entries (the checkpoint's settler does). It
// implements checkpoint.Ledger with Settled; now is unused.
func (t *Table) Flush(time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err != nil {
		return t.err
	}
	limit := len(t.mem.slots) * 7 / 8
	for len(t.queue) > 0 {
		room := limit - t.mem.n
		if room <= 0 {
			if err := t.spill(); err != nil {
				return err
			}
			continue
		}
		chunk := t.queue[:min(room, len(t.queue))]
		if err := t.appendWAL(chunk); err != nil {
			return err
		}
		for _, r := range chunk {
			t.mem.put(r)
			if p, ok := t.pend[r.h]; ok && p.tag == r.tag {
				delete(t.pend, r.h)
			}
		}
		t.queue = t.queue[len(chunk):]
	}
	t.queue = t.queue[:0]
	return nil
}

// spill writes the in-memory table out as a run, then starts an empty log:
// the new manifest names both, and the old log goes once it is written.
func (t *Table) spill() error {
	recs, i := t.mem.sorted(), 0
	next := func() (record, bool) {
		if i == len(recs) {
			return record{}, false
		}
		i++
		return recs[i-1], true
	}
	r, err := t.newRun(next)
	if err != nil {
		return err
	}
	oldWAL := t.man.WAL
	walName := fmt.Sprintf("wal-%d.log", t.man.Next)
	t.man.Next++
	wal, err := os.OpenFile(filepath.Join(t.dir, walName), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("start log: %w", err)
	}
	t.runs, t.total = append(t.runs, r), t.total+r.n
	t.man.Runs, t.man.WAL = append(t.man.Runs, r.name), walName
	if err := t.writeManifest(); err != nil {
		wal.Close()
		return err
	}
	t.wal.Close()
	t.wal = wal
	t.mem.reset()
	if err := os.Remove(filepath.Join(t.dir, oldWAL)); err != nil {
		return fmt.Errorf("remove old log: %w", err)
	}
	if len(t.runs) > t.cfg.MaxRuns {
		return t.merge()
	}
	return t.growFilter()
}

// newRun writes a run of the records next yields under a new name.
func (t *Table) newRun(next func() (record, bool)) (*run, error) {
	name := fmt.Sprintf("run-%d", t.man.Next)
	t.man.Next++
	return writeRun(t.dir, name, !t.cfg.NoSync, next, t.filter.add)
}

// merge replaces all runs by one; a hash in several runs keeps the
// record of the oldest (its first holder).
func (t *Table) merge() error {
	its := make([]*runIter, len(t.runs))
	heads := make([]record, len(t.runs))
	live := make([]bool, len(t.runs))
	for i, r := range t.runs {
		its[i] = r.iter()
		heads[i], live[i] = its[i].next()
	}
	next := func() (record, bool) {
		best := -1
		for i := range heads {
			if live[i] && (best < 0 || heads[i].h < heads[best].h) {
				best = i
			}
		}
		if best < 0 {
			return record{}, false
		}
		out := heads[best]
		for i := range heads { // the same hash in newer runs is dropped
			for live[i] && heads[i].h == out.h {
				heads[i], live[i] = its[i].next()
			}
		}
		return out, true
	}
	t.filter = newBloom(max(minBloomCap, t.total*3/2))
	r, err := t.newRun(next)
	if err == nil {
		for _, it := range its {
			if err == nil {
				err = it.err
			}
		}
	}
	if err != nil {
		return fmt.Errorf("merge runs: %w", err)
	}
	old := t.runs
	t.runs, t.total, t.man.Runs = []*run{r}, r.n, []string{r.name}
	if err := t.writeManifest(); err != nil {
		return err
	}
	for _, o := range old {
		o.f.Close()
		if err := os.Remove(filepath.Join(t.dir, o.name)); err != nil {
			return fmt.Errorf("remove merged run: %w", err)
		}
	}
	return nil
}

// growFilter rebuilds the filter 1.5 times as large once the runs hold more
// records than it was sized for.
func (t *Table) growFilter() error {
	if t.total <= t.filter.cap {
		return nil
	}
	t.filter = newBloom(t.total * 3 / 2)
	for _, r := range t.runs {
		it := r.iter()
		for rec, ok := it.next(); ok; rec, ok = it.next() {
			t.filter.add(rec.h)
		}
		if it.err != nil {
			return fmt.Errorf("rebuild filter: %w", it.err)
		}
	}
	return nil
}
