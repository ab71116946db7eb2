package dedup

import (
	"errors"
	"fmt"
	"io/fs"
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

// spill writes the in-memory table out as a run (merging the runs into one
// when there are too many), then starts an empty log. The new manifest
// names the runs, the log and the filter over the runs, all durable by
// then; the files it no longer names go once it is written, so a crash
// leaves either the old table or the new one.
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
	t.runs, t.total = append(t.runs, r), t.total+r.n
	var gone []string // files the new manifest no longer names
	if len(t.runs) > t.cfg.MaxRuns {
		if gone, err = t.merge(); err != nil {
			return err
		}
	} else if err := t.growFilter(); err != nil {
		return err
	}
	gone = append(gone, t.man.WAL)
	if err := t.startWAL(); err != nil {
		return err
	}
	if t.man.Filter != "" {
		gone = append(gone, t.man.Filter)
	}
	if err := t.writeFilter(); err != nil {
		return err
	}
	t.man.Runs = t.man.Runs[:0]
	for _, r := range t.runs {
		t.man.Runs = append(t.man.Runs, r.name)
	}
	if err := t.writeManifest(); err != nil {
		return err
	}
	t.mem.reset()
	for _, name := range gone {
		if err := os.Remove(filepath.Join(t.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", name, err)
		}
	}
	return nil
}

// startWAL opens a new, empty log, which the next manifest names.
func (t *Table) startWAL() error {
	name := fmt.Sprintf("wal-%d.log", t.man.Next)
	t.man.Next++
	wal, err := os.OpenFile(filepath.Join(t.dir, name), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("start log: %w", err)
	}
	t.wal.Close()
	t.wal, t.man.WAL = wal, name
	return nil
}

// writeFilter writes the filter over the runs under a new name for the
// next manifest (not for a scratch table, which is never opened again).
func (t *Table) writeFilter() error {
	if t.cfg.Scratch {
		return nil
	}
	name := fmt.Sprintf("filter-%d", t.man.Next)
	t.man.Next++
	if err := writeWords(t.dir, name, !t.cfg.NoSync, t.filter.words()); err != nil {
		return err
	}
	t.man.Filter = name
	return nil
}

// newRun writes a run of the records next yields under a new name, and
// its index beside it (not for a scratch table).
func (t *Table) newRun(next func() (record, bool)) (*run, error) {
	name := fmt.Sprintf("run-%d", t.man.Next)
	t.man.Next++
	r, err := writeRun(t.dir, name, !t.cfg.NoSync, next, t.filter.add)
	if err != nil || t.cfg.Scratch {
		return r, err
	}
	if err := writeWords(t.dir, name+indexSuffix, !t.cfg.NoSync, r.index); err != nil {
		r.f.Close()
		return nil, err
	}
	return r, nil
}

// merge replaces all runs by one, with a new filter; a hash in several
// runs keeps the record of the oldest (its first holder). It returns the
// files of the runs it replaced, to remove once the manifest no longer
// names them.
func (t *Table) merge() ([]string, error) {
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
		return nil, fmt.Errorf("merge runs: %w", err)
	}
	var gone []string
	for _, o := range t.runs {
		o.f.Close()
		gone = append(gone, o.name, o.name+indexSuffix)
	}
	t.runs, t.total = []*run{r}, r.n
	return gone, nil
}

// growFilter rebuilds the filter 1.5 times as large once the runs hold more
// records than it was sized for.
func (t *Table) growFilter() error {
	if t.total <= t.filter.cap {
		return nil
	}
	t.filter = newBloom(t.total * 3 / 2)
	for _, r := range t.runs {
		if err := r.each(t.filter.add); err != nil {
			return fmt.Errorf("rebuild filter: %w", err)
		}
	}
	return nil
}
