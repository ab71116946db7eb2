package dedup

import "fmt"

// mergeFanout is how many runs of about the same size are merged into one:
// the runs form tiers of sizes growing by this factor, so that a record is
// rewritten once per tier (O(n log n) bytes in all, not O(n²)) and a
// lookup reads at most mergeFanout-1 runs per tier.
const mergeFanout = 4

// mergeSpan is how many of the newest runs to merge into one: the newest
// mergeFanout when they are of about the same size (within twice), all of
// them when there are more than maxRuns, else none.
func mergeSpan(runs []*run, maxRuns int) int {
	if len(runs) > maxRuns {
		return len(runs)
	}
	if len(runs) < mergeFanout {
		return 0
	}
	last := runs[len(runs)-mergeFanout:]
	lo, hi := last[0].n, last[0].n
	for _, r := range last {
		lo, hi = min(lo, r.n), max(hi, r.n)
	}
	if hi <= 2*lo {
		return mergeFanout
	}
	return 0
}

// compact merges the newest runs as mergeSpan says until no merge is due.
// It returns the new list (runs, oldest first, is not modified) and the
// runs it replaced, still open: lookups may read them until the caller
// makes the new list the table's.
func (t *Table) compact(runs []*run) ([]*run, []*run, error) {
	var merged []*run
	for k := mergeSpan(runs, t.cfg.MaxRuns); k > 0; k = mergeSpan(runs, t.cfg.MaxRuns) {
		old := runs[len(runs)-k:]
		r, err := t.merge(old)
		if err != nil {
			return nil, nil, err
		}
		merged = append(merged, old...)
		runs = append(runs[:len(runs)-k:len(runs)-k], r)
	}
	return runs, merged, nil
}

// merge writes one run of the records of runs (contiguous, oldest first);
// a hash in several runs keeps the record of the oldest (its first
// holder).
func (t *Table) merge(runs []*run) (*run, error) {
	its := make([]*runIter, len(runs))
	heads := make([]record, len(runs))
	live := make([]bool, len(runs))
	for i, r := range runs {
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
	r, err := t.newRun(next)
	for _, it := range its {
		if err == nil {
			err = it.err
		}
	}
	if err != nil {
		return nil, fmt.Errorf("merge runs: %w", err)
	}
	return r, nil
}

// closeRuns closes runs and returns the names of their files.
func closeRuns(runs []*run) []string {
	var names []string
	for _, r := range runs {
		r.f.Close()
		names = append(names, r.name, r.name+indexSuffix)
	}
	return names
}

// growth is what growFilter needs to know of the table when a spill
// starts: the filter's capacity and how far through its input the table's
// user was (Config.Progress; 0: unknown).
type growth struct {
	cap      int
	progress float64
}

// filterGrowth is the table's growth now; the caller holds the lock.
func (t *Table) filterGrowth() growth {
	g := growth{cap: t.filter.cap}
	if t.cfg.Progress != nil {
		g.progress = t.cfg.Progress()
	}
	return g
}

// growFilter rebuilds the filter for growTo records when it is too small
// for what runs and one in-memory table hold; locked runs its function
// with the table's lock held (see regrow).
func (t *Table) growFilter(runs []*run, g growth, locked func(func())) error {
	held := 0
	for _, r := range runs {
		held += r.n
	}
	if held+t.mem.capacity() <= g.cap {
		return nil
	}
	return t.regrow(runs, growTo(held, t.mem.capacity(), g.progress), locked)
}

// growTo is the capacity a filter that must grow is rebuilt for: held
// records in runs plus one in-memory table of memCap, times 1.5; or, when
// the user is a fraction progress through its input, what the whole input
// will need at the rate so far (10 % over), but at most 4 times the need
// (an early guess is rough) and at least 1.5 times it.
func growTo(held, memCap int, progress float64) int {
	need := held + memCap
	c := need * 3 / 2
	if progress > 0 && progress < 1 {
		c = max(c, min(int(float64(held)/progress*1.1)+memCap, 4*need))
	}
	return c
}

// regrow rebuilds the filter for capacity records over runs a segment at
// a time, so that memory holds the old filter and one new segment: a
// segment is built from the runs' hashes in it (a contiguous range of
// each run), then swapped in, with the in-memory tables' hashes in it,
// under the table's lock (locked runs its function with it held).
func (t *Table) regrow(runs []*run, capacity int, locked func(func())) error {
	for s := range filterSegs {
		nb := &bloom{}
		nb.segs[s] = newSegment(capacity)
		for _, r := range runs {
			if err := r.eachIn(s, nb.add); err != nil {
				return fmt.Errorf("rebuild filter: %w", err)
			}
		}
		locked(func() {
			t.mem.eachIn(s, nb.add)
			if t.imm != nil {
				t.imm.eachIn(s, nb.add)
			}
			t.filter.segs[s] = nb.segs[s]
		})
	}
	locked(func() { t.filter.cap = capacity })
	return nil
}

// held runs fn: for a caller that holds the table's lock.
func held(fn func()) { fn() }
