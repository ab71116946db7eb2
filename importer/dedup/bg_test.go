package dedup

import (
	"fmt"
	"testing"
)

// A scratch table writes its runs in the background: every identifier is
// found again, near and far, whether it sits in the in-memory table, in
// the frozen one being written out, or in a run, while runs are written
// and merged and the filter grows (past minBloomCap); no identifier is
// lost or held twice.
func TestScratchSpillsInBackground(t *testing.T) {
	tab := open(t, t.TempDir(), Config{Scratch: true, MemSlots: 1024, MaxRuns: 6})
	const n = 50000
	for i := range n {
		u := user(fmt.Sprintf("K%d", i), fmt.Sprintf("u%d", i), "", "")
		if _, dup, err := tab.Check(u, rowAt(int64(i+2))); dup || err != nil {
			t.Fatalf("row %d: dup %v err %v", i, dup, err)
		}
		for _, back := range []int{1, 40, 300, 700, 3000, 40000} { // the in-memory table, the frozen one, runs
			j := i - back
			if j < 0 || i%13 != 0 {
				continue
			}
			again := user(fmt.Sprintf("D%d-%d", i, back), fmt.Sprintf("u%d", j), "", "")
			d, dup, err := tab.Check(again, Row{ID: fmt.Sprintf("d%d-%d", i, back), Line: int64(n + i)})
			if err != nil || !dup || d.Kind != KindUserName || d.Line != int64(j+2) {
				t.Fatalf("row %d's user name at row %d: %+v %v %v, want a duplicate of line %d", j, i, d, dup, err, j+2)
			}
		}
	}
	tab.mu.Lock()
	tab.wait()
	runs := len(tab.runs)
	tab.mu.Unlock()
	if got := tab.Len(); got != 2*n {
		t.Errorf("%d identifiers held, want %d", got, 2*n)
	}
	if tab.filter.cap <= minBloomCap {
		t.Errorf("the filter did not grow: capacity %d", tab.filter.cap)
	}
	if runs == 0 || runs > 6 {
		t.Errorf("%d runs, want 1..6", runs)
	}
}

// Runs merge by tiers: the newest mergeFanout runs once they are of about
// the same size, all of them past maxRuns.
func TestMergeSpan(t *testing.T) {
	sized := func(ns ...int) []*run {
		var rs []*run
		for _, n := range ns {
			rs = append(rs, &run{n: n})
		}
		return rs
	}
	for _, c := range []struct {
		sizes []int
		want  int
	}{
		{[]int{10, 10, 10}, 0},
		{[]int{10, 10, 10, 10}, 4},
		{[]int{40, 10, 10, 10}, 0},
		{[]int{40, 10, 10, 10, 10}, 4},
		{[]int{40, 40, 40, 39}, 4},
		{[]int{160, 40, 40, 40, 10, 10, 10}, 0},
		{[]int{1, 1, 1, 100, 100, 100, 10, 10, 10}, 9}, // more than maxRuns (8)
	} {
		if got := mergeSpan(sized(c.sizes...), 8); got != c.want {
			t.Errorf("sizes %v: merge %d, want %d", c.sizes, got, c.want)
		}
	}
}
