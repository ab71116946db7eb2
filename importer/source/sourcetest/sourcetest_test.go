package sourcetest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestWriteCSV(t *testing.T) {
	const n, seed = 5000, 42
	var buf bytes.Buffer
	if err := WriteCSV(&buf, n, seed); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], Columns) || len(rows) != n+1 {
		t.Fatalf("header %q and %d rows, want %q and %d", rows[0], len(rows)-1, Columns, n)
	}
	for i, got := range rows[1:] {
		if want := Row(seed, i); !slices.Equal(got, want) {
			t.Fatalf("row %d = %q, want Row() = %q", i, got, want)
		}
	}
	checkRows(t, rows[1:])
}

// checkRows checks the rows are plausible and the ids unique.
func checkRows(t *testing.T, rows [][]string) {
	t.Helper()
	unique := []int{0, 1, 2, 3} // legacy_id, login, email, mobile
	seen := make([]map[string]bool, len(Columns))
	quoted := false
	for i, r := range rows {
		for _, c := range unique {
			if seen[c] == nil {
				seen[c] = make(map[string]bool, len(rows))
			}
			if seen[c][r[c]] {
				t.Fatalf("row %d: %s %q is not unique", i, Columns[c], r[c])
			}
			seen[c][r[c]] = true
		}
		if _, err := time.Parse(time.DateOnly, r[6]); err != nil {
			t.Fatalf("row %d: birthday: %v", i, err)
		}
		for _, g := range strings.Split(r[7], ";") {
			if !slices.Contains([]string{"", "admins", "staff", "customers"}, g) {
				t.Fatalf("row %d: group %q", i, g)
			}
		}
		if len(r[3]) != 14 || !strings.HasPrefix(r[3], "+861") || r[3][4] < '3' {
			t.Fatalf("row %d: mobile %q", i, r[3])
		}
		if !strings.HasPrefix(r[2], r[1]+"@") || len(r[9]) != 60 {
			t.Fatalf("row %d: email %q, login %q, password %q", i, r[2], r[1], r[9])
		}
		quoted = quoted || strings.ContainsAny(r[8], ",\"")
	}
	if !quoted {
		t.Error("no value needed quoting")
	}
}

// TestUnique checks the ids that must be unique. They are by construction
// (permute is a bijection); this guards the arithmetic.
func TestUnique(t *testing.T) {
	n := 200_000
	ids := make([]uint64, n)
	mobiles := make([]uint64, n)
	for i := range n {
		r := makeRow(99, i)
		ids[i], mobiles[i] = r.id, r.mobile
	}
	for _, s := range [][]uint64{ids, mobiles} {
		slices.Sort(s)
		if len(slices.Compact(s)) != n {
			t.Fatal("generated ids or mobiles are not unique")
		}
	}
}

func TestWriteJSONL(t *testing.T) {
	const n, seed = 2000, 7
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, n, seed); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&buf)
	for i := 0; ; i++ {
		var obj map[string]string
		err := dec.Decode(&obj)
		if err == io.EOF {
			if i != n {
				t.Fatalf("%d rows, want %d", i, n)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		want := Row(seed, i)
		for c, name := range Columns {
			if obj[name] != want[c] || len(obj) != len(Columns) {
				t.Fatalf("row %d = %q, want Row() = %q", i, obj, want)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	gen := func(seed int64) string {
		var b strings.Builder
		if err := WriteCSV(&b, 100, seed); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if a, b := gen(1), gen(1); a != b {
		t.Error("same seed, different output")
	}
	if gen(1) == gen(2) {
		t.Error("different seeds, same output")
	}
}

// BenchmarkWriteCSV reports how fast a large export is made.
func BenchmarkWriteCSV(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		if err := WriteCSV(io.Discard, n, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/row")
}

// BenchmarkWriteJSONL reports how fast a large JSONL export is made.
func BenchmarkWriteJSONL(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		if err := WriteJSONL(io.Discard, n, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/row")
}
