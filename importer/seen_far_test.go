package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
)

// A key repeated far beyond a small in-memory table (64 slots: a run every
// 14 rows, merged every 3 runs) is found in the runs on disk, in one run
// and across a stop and resume, which reopens the table from its files.
func TestRepeatedKeyFarBeyondTheInMemoryTable(t *testing.T) {
	importer.SetSeenConfig(t, dedup.Config{MemSlots: 64, MaxRuns: 2})
	const n, dup = 400, 390 // row 390 (line 392) repeats row 0's key (line 2)
	for _, stopAfter := range []int64{0, 200} {
		t.Run(fmt.Sprintf("max-rows %d", stopAfter), func(t *testing.T) {
			e := newEnv(t, unlimited())
			input := repeatedKeyCSV(t, n, dup)
			opt := e.options(t, input)
			opt.MaxRows = stopAfter
			sum := e.run(t, context.Background(), opt)
			if stopAfter > 0 {
				runs, _ := filepath.Glob(filepath.Join(state.Dir{Path: e.dir}.Seen(), "run-*"))
				if len(runs) == 0 {
					t.Fatal("no run written before the stop: the in-memory table is not small")
				}
				sum = e.run(t, context.Background(), e.options(t, input))
			}
			if got := sum.Counts.Of(outcome.Created); got != n-1 {
				t.Errorf("created %d, want %d", got, n-1)
			}
			checkEveryRowOnce(t, input, e.dir, sum)
			if got := reportLines(t, e.dir)[report.ConflictsFile]; len(got) != 1 || got[0] != dup+2 {
				t.Errorf("conflict lines %v, want line %d", got, dup+2)
			}
			raw, err := os.ReadFile(filepath.Join(e.dir, report.ConflictsFile))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(raw), "Local.DuplicateInInput") || !strings.Contains(string(raw), "legacy_key as line 2 ") {
				t.Errorf("conflicts.csv:\n%s\nwant a duplicate of line 2", raw)
			}
		})
	}
}
