package dedup

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// fill checks and settles n rows of one identifier each, flushing every
// 100 rows, so that runs are written.
func fill(t *testing.T, tab *Table, n int) {
	t.Helper()
	for i := range n {
		u := user(fmt.Sprintf("K%d", i), "", "", "")
		if _, dup, err := tab.Check(u, rowAt(int64(i+2))); dup || err != nil {
			t.Fatalf("row %d: dup %v err %v", i, dup, err)
		}
		settle(tab, u, rowAt(int64(i+2)))
		if i%100 == 99 {
			if err := tab.Flush(time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// Opening a table reads each run's index and the filter from the files
// beside the runs, not the runs' records: a run whose records were
// scrambled opens while its index file is there (lookups read only the
// blocks they need), and is found damaged once the index must be rebuilt.
// A damaged filter file is rebuilt from the runs, never trusted.
func TestOpenReadsIndexAndFilterNotRuns(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{MemSlots: 1 << 6, MaxRuns: 4}
	tab := open(t, dir, cfg)
	fill(t, tab, 1000)
	if tab.man.Filter == "" || len(tab.runs) == 0 {
		t.Fatalf("no filter file (%q) or no runs (%d)", tab.man.Filter, len(tab.runs))
	}
	run0, filter := tab.runs[0].name, tab.man.Filter
	tab.Close()

	if err := os.WriteFile(filepath.Join(dir, filter), []byte("garbage!"), 0o600); err != nil {
		t.Fatal(err)
	}
	tab = open(t, dir, cfg)
	if d, dup, err := tab.Check(user("K7", "", "", ""), Row{ID: "x", Line: 5000}); !dup || d.Line != 9 || err != nil {
		t.Errorf("with a damaged filter file: %+v %v %v, want a duplicate of line 9", d, dup, err)
	}
	tab.Close()

	b, err := os.ReadFile(filepath.Join(dir, run0))
	if err != nil {
		t.Fatal(err)
	}
	copy(b, b[recordSize:2*recordSize]) // the first record a copy of the second: out of order
	if err := os.WriteFile(filepath.Join(dir, run0), b, 0o600); err != nil {
		t.Fatal(err)
	}
	tab = open(t, dir, cfg) // the index file is there: the records are not read
	tab.Close()
	if err := os.Remove(filepath.Join(dir, run0+indexSuffix)); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, cfg); err == nil {
		t.Error("a run out of order opened without its index file")
	}
}
