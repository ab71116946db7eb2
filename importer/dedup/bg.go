package dedup

import (
	"slices"
	"sync/atomic"
)

// A scratch table writes its runs in the background: when the in-memory
// table is full it is frozen (imm, still searched by lookups) and a
// fresh one takes the new records while one goroutine writes the frozen
// one out as a run, merges runs and rebuilds the filter if it must grow.
// At most one such job is in flight: a table that fills again before the
// job is done waits for it (backpressure), so memory holds at most two
// in-memory tables. The reader installs the job's result (the new runs)
// under the table's lock; the job itself only reads what lookups read (the
// frozen table, the runs), except the filter's segments, which it swaps
// under the lock.

// job is a background spill in flight and, once done is closed, its
// result.
type job struct {
	done   chan struct{}
	over   atomic.Bool // set just before done is closed: isDone without a channel operation at every Check
	imm    *memTable
	runs   []*run // the runs once installed
	merged []*run // runs replaced by runs: closed and removed when installed
	err    error
}

// makeRoom makes room for n records in the in-memory table of a scratch
// table: it installs a finished job, and freezes a full table into a new
// job, waiting for the job in flight first. The lock is released while it
// waits.
func (t *Table) makeRoom(n int) error {
	for {
		if t.bg != nil && isDone(t.bg) {
			t.install(t.bg)
		}
		if t.err != nil {
			return t.err
		}
		if t.mem.room() >= n {
			return nil
		}
		if t.bg == nil {
			t.startJob()
			continue
		}
		t.wait()
	}
}

func isDone(j *job) bool { return j.over.Load() }

// startJob freezes the in-memory table and starts a job writing it out.
func (t *Table) startJob() {
	j := &job{done: make(chan struct{}), imm: t.mem}
	t.imm, t.mem, t.spare = t.mem, t.spare, nil
	if t.mem == nil {
		t.mem = newMemTable(t.cfg.MemSlots)
	}
	t.bg = j
	runs, filter := slices.Clone(t.runs), t.filterGrowth()
	go func() {
		j.err = t.spillRun(j, runs, filter)
		j.over.Store(true)
		close(j.done)
	}()
}

// spillRun is the job's work: the frozen table as a run, the merges due,
// a grown filter if the one it was started with is too small (swapped
// in a segment at a time under the table's lock). It uses the table's
// file numbers, which nothing else does while it runs.
func (t *Table) spillRun(j *job, runs []*run, filter growth) error {
	r, err := t.newRun(j.imm.sorted())
	if err != nil {
		return err
	}
	if j.runs, j.merged, err = t.compact(append(runs, r)); err != nil {
		r.f.Close()
		return err
	}
	return t.growFilter(j.runs, filter, func(fn func()) {
		t.mu.Lock()
		defer t.mu.Unlock()
		fn()
	})
}

// install makes a finished job's runs and filter the table's and reuses
// its frozen table. A failed job's error sticks to the table.
func (t *Table) install(j *job) {
	t.bg = nil
	if j.err != nil {
		t.err = j.err
		return
	}
	t.setRuns(j.runs)
	if err := t.remove(closeRuns(j.merged)); err != nil {
		t.err = err
	}
	t.imm = nil
	j.imm.reset()
	t.spare = j.imm
}

// wait waits for the job in flight, if any, and installs it; the lock,
// held by the caller, is released while it waits.
func (t *Table) wait() {
	for t.bg != nil {
		j := t.bg
		t.mu.Unlock()
		<-j.done
		t.mu.Lock()
		if t.bg == j {
			t.install(j)
		}
	}
}
