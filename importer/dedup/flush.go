package dedup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
	for len(t.queue) > 0 {
		t.queue = t.dropHeld(t.queue)
		room := t.mem.fits(t.queue)
		if room == 0 && len(t.queue) > 0 {
			if err := t.spill(); err != nil {
				return err
			}
			continue
		}
		chunk := t.queue[:room]
		if err := t.appendWAL(chunk); err != nil {
			return err
		}
		for _, r := range chunk {
			t.put(r)
			if p, ok := t.pend[r.h]; ok && p.tag == r.tag {
				delete(t.pend, r.h)
			}
		}
		t.queue = t.queue[len(chunk):]
	}
	t.queue = t.queue[:0]
	return nil
}

// dropHeld removes from queue the records whose hash the in-memory table
// or an earlier record of queue holds (an entry replayed twice), so that
// the table holds each hash once.
func (t *Table) dropHeld(queue []record) []record {
	seen := make(map[uint64]bool, len(queue))
	out := queue[:0]
	for _, r := range queue {
		if seen[r.h] {
			continue
		}
		if _, ok := t.mem.get(r.h); ok {
			if p, ok := t.pend[r.h]; ok && p.tag == r.tag {
				delete(t.pend, r.h)
			}
			continue
		}
		seen[r.h] = true
		out = append(out, r)
	}
	return out
}

// spill writes the in-memory table out as a run (merging runs as
// compact says), then starts an empty log. The new manifest names the
// runs, the log and the filter, all durable by then; the files it no
// longer names go once it is written, so a crash leaves either the old
// table or the new one.
func (t *Table) spill() error {
	r, err := t.newRun(t.mem.sorted())
	if err != nil {
		return err
	}
	runs, merged, err := t.compact(append(slices.Clone(t.runs), r))
	if err != nil {
		return err
	}
	t.setRuns(runs)
	if err := t.growFilter(runs, t.filterGrowth(), held); err != nil {
		return err
	}
	gone := closeRuns(merged)
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
	return t.remove(gone)
}

// remove deletes the files of the table named, which no manifest names.
func (t *Table) remove(names []string) error {
	for _, name := range names {
		if err := os.Remove(filepath.Join(t.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", name, err)
		}
	}
	return nil
}

// setRuns makes runs the table's runs.
func (t *Table) setRuns(runs []*run) {
	t.runs, t.total = runs, 0
	for _, r := range runs {
		t.total += r.n
	}
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
	r, err := writeRun(t.dir, name, !t.cfg.NoSync, next)
	if err != nil || t.cfg.Scratch {
		return r, err
	}
	if err := writeWords(t.dir, name+indexSuffix, !t.cfg.NoSync, r.index); err != nil {
		r.f.Close()
		return nil, err
	}
	return r, nil
}
