package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// seedInput writes n generated rows (plus extra lines) and the bench
// mapping into a new directory; it returns the input's and the mapping's
// paths.
func seedInput(t *testing.T, n int, extra ...string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	var b bytes.Buffer
	if err := sourcetest.WriteCSV(&b, n, inputSeed); err != nil {
		t.Fatal(err)
	}
	for _, l := range extra {
		b.WriteString(l + "\n")
	}
	path := filepath.Join(dir, "users.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := writeMapping(dir)
	if err != nil {
		t.Fatal(err)
	}
	return path, m
}

func TestFillSeenHoldsEveryRowBefore(t *testing.T) {
	path, m := seedInput(t, 3000)
	dir := t.TempDir()
	const rows = 2500 // more than one flush
	n, err := fillSeen(dir, path, m, rows)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4*rows { // every generated row has a key, a login, an email and a mobile
		t.Fatalf("fillSeen = %d identifiers, want %d", n, 4*rows)
	}
	tab, err := dedup.Open(state.Dir{Path: dir}.Seen(), dedup.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	if tab.Len() != 4*rows {
		t.Fatalf("table holds %d identifiers, want %d", tab.Len(), 4*rows)
	}
}

func TestFillSeenKeepsTheSeedRunsRows(t *testing.T) {
	path, m := seedInput(t, 100)
	dir := t.TempDir()
	if _, err := fillSeen(dir, path, m, 10); err != nil { // as the seed run leaves it
		t.Fatal(err)
	}
	n, err := fillSeen(dir, path, m, 50)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4*50 {
		t.Fatalf("fillSeen over a seeded table = %d identifiers, want %d", n, 4*50)
	}
}

func TestFillSeenRefusesADuplicate(t *testing.T) {
	var b bytes.Buffer
	if err := sourcetest.WriteCSV(&b, 5, inputSeed); err != nil {
		t.Fatal(err)
	}
	second := strings.Split(b.String(), "\n")[2] // line 3: the second row
	path, m := seedInput(t, 5, second)
	_, err := fillSeen(t.TempDir(), path, m, 6)
	if err == nil || !strings.Contains(err.Error(), "held by line 3") {
		t.Fatalf("fillSeen over a duplicated row: %v, want the duplicate of line 3", err)
	}
}

func TestCheckSeenRefusesATableThatDisagrees(t *testing.T) {
	path, m := seedInput(t, 20)
	dir := t.TempDir()
	n, err := fillSeen(dir, path, m, 10)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := mapping.ParseFile(m)
	if err != nil {
		t.Fatal(err)
	}
	held := settledRowAt(t, spec, path, 0)
	absent := settledRowAt(t, spec, path, 15) // read but never settled
	seen := state.Dir{Path: dir}.Seen()
	tests := []struct {
		name        string
		want        int
		first, last settledRow
		err         string
	}{
		{"agrees", n, held, held, ""},
		{"fewer identifiers than the rows have", n + 1, held, held, "holds 40 identifiers, the rows have 41"},
		{"a row not held", n, held, absent, "does not hold line 17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkSeen(seen, tt.want, tt.first, tt.last)
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("checkSeen: %v, want %q", err, tt.err)
			}
		})
	}
}

// settledRowAt maps the row (0-based) of the input at path.
func settledRowAt(t *testing.T, spec *mapping.Spec, path string, i int) settledRow {
	t.Helper()
	r, err := openFromStart(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range i {
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	u, err := spec.Map(rec.Fields)
	if err != nil {
		t.Fatal(err)
	}
	return settledRow{u, dedup.Row{ID: rec.ID, Line: rec.Line}}
}
