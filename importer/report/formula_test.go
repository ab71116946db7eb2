package report

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

// formulas are cells a spreadsheet would run, and cells near them.
var formulas = []string{`=HYPERLINK("http://evil","x")`, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
	"'=already quoted", "'", "plain", "", "a=b", "1-2"}

func TestNeutralise(t *testing.T) {
	for _, c := range formulas {
		n := Neutralise(c)
		if n != "" && n[0] != '\'' && len(c) > 0 && (c[0] == '=' || c[0] == '+' || c[0] == '-' || c[0] == '@' || c[0] == '\t' || c[0] == '\r') {
			t.Errorf("Neutralise(%q) = %q: a formula", c, n)
		}
		if got := Restore(n); got != c {
			t.Errorf("Restore(Neutralise(%q)) = %q", c, got)
		}
	}
	if got := Neutralise("plain"); got != "plain" {
		t.Errorf("a plain cell changed: %q", got)
	}
}

// TestFormulaCellsOnDisk: the report's cells on disk start with a quote
// where a formula would, and Read gives back the values written.
func TestFormulaCellsOnDisk(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []outcome.Row
	for i, c := range formulas {
		r := outcome.Row{Line: int64(i + 2), ID: c, Key: c, Code: c, Message: c, Attempts: 1}
		want = append(want, r)
		if err := w.Write(outcome.Retryable, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, RetryableFile)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r') {
				t.Errorf("cell %q on disk starts a formula", cell)
			}
		}
	}
	if got := readAll(t, path, outcome.Retryable); !reflect.DeepEqual(got, want) {
		t.Errorf("read back:\n got %+v\nwant %+v", got, want)
	}
}
