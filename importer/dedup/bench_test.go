package dedup

import (
	"runtime/debug"
	"strconv"
	"testing"

	"github.com/ciam-import/ciam-import/mapping"
)

// BenchmarkScratch checks b.N distinct rows of four identifiers each in a
// scratch table (validate's), under the binary's soft memory limit:
// `go test -bench Scratch -benchtime 10000000x ./importer/dedup/` is the
// table's share of validate over 10^7 rows.
func BenchmarkScratch(b *testing.B) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(100 << 20))
	tab, err := Open(b.TempDir(), Config{Scratch: true})
	if err != nil {
		b.Fatal(err)
	}
	defer tab.Close()
	u := &mapping.User{}
	b.ResetTimer()
	for i := range b.N {
		s := strconv.Itoa(i)
		u.Key, u.UserName, u.Email, u.PhoneNumber = "K"+s, "user"+s, "u"+s+"@example.com", "+86-1"+s
		if _, dup, err := tab.Check(u, Row{ID: s, Line: int64(i + 2)}); dup || err != nil {
			b.Fatalf("row %d: dup %v err %v", i, dup, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(tab.runs)), "runs")
}
