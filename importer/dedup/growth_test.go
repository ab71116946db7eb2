package dedup

import (
	"fmt"
	"testing"
	"time"
)

func TestGrowTo(t *testing.T) {
	for _, tc := range []struct {
		held, memCap int
		progress     float64
		want         int
	}{
		{1000, 100, 0, 1650},     // unknown: 1.5 times the need
		{1000, 100, 0.5, 2300},   // half way: the whole input's 2,000 records, 10 % over, and an in-memory table
		{1000, 100, 0.001, 4400}, // a guess this early is capped at 4 times the need
		{1000, 100, 0.99, 1650},  // near the end: never less than 1.5 times the need
		{1000, 100, 1, 1650},     // past the end (a retry pass): as if unknown
	} {
		if got := growTo(tc.held, tc.memCap, tc.progress); got != tc.want {
			t.Errorf("growTo(%d, %d, %v) = %d, want %d", tc.held, tc.memCap, tc.progress, got, tc.want)
		}
	}
}

// With Config.Progress the filter is rebuilt a few times over an input
// and ends near the size the whole input needs; without it, it grows by
// half each time. Both for validate's scratch table (spilled in the
// background) and for a state directory's (spilled by Flush).
func TestProgressSizesTheFilterForTheWholeInput(t *testing.T) {
	const rows = 60000 // 240,000 identifiers: several times minBloomCap
	for _, scratch := range []bool{true, false} {
		grows := map[bool]int{}
		for _, withProgress := range []bool{false, true} {
			var done int
			cfg := Config{NoSync: true, Scratch: scratch, MemSlots: 1 << 12}
			if withProgress {
				cfg.Progress = func() float64 { return float64(done) / rows }
			}
			tab := open(t, t.TempDir(), cfg)
			caps := map[int]bool{}
			for i := range rows {
				s := fmt.Sprint(i)
				u, r := user("K"+s, "u"+s, s+"@example.com", "+86-"+s), rowAt(int64(i+2))
				if _, dup, err := tab.Check(u, r); dup || err != nil {
					t.Fatalf("row %d: dup %v err %v", i, dup, err)
				}
				done++
				if !scratch {
					settle(tab, u, r)
					if i%500 == 0 {
						if err := tab.Flush(time.Time{}); err != nil {
							t.Fatal(err)
						}
					}
				}
				tab.mu.Lock()
				caps[tab.filter.cap] = true
				tab.mu.Unlock()
			}
			tab.mu.Lock()
			tab.wait()
			final := tab.filter.cap
			tab.mu.Unlock()
			grows[withProgress] = len(caps) - 1
			t.Logf("scratch %v, progress %v: %d rebuilds, capacity %d for %d identifiers", scratch, withProgress, len(caps)-1, final, 4*rows)
			if withProgress && (final < 4*rows || final > 4*rows*5/4+cfg.MemSlots) {
				t.Errorf("scratch %v: the filter ends with capacity %d for %d identifiers, want within 25 %% over", scratch, final, 4*rows)
			}
		}
		if grows[true] > 3 || grows[true] >= grows[false] {
			t.Errorf("scratch %v: rebuilt %d times with progress, %d without: want at most 3, and fewer", scratch, grows[true], grows[false])
		}
	}
}
