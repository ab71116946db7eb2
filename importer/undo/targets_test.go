package undo

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
)

// ReadTargets gives back the keys created.csv was given (not the guarded
// cells on disk), and undone.csv guards them again.
func TestTargetsKeysRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := report.OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"-7", "=HYPERLINK(\"x\")", "plain"}
	for i, k := range keys {
		if err := w.Write(outcome.Created, &outcome.Row{Line: int64(i + 2), Key: k, UserID: "u" + k}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	targets, err := ReadTargets(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range targets {
		got = append(got, tg.Key)
	}
	if !slices.Equal(got, keys) {
		t.Errorf("target keys = %q, want %q", got, keys)
	}
	if err := writeReport(dir, targets, &progress{last: map[string]Result{}}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		for _, cell := range strings.Split(line, ",") {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("undone.csv cell %q starts a formula:\n%s", cell, data)
			}
		}
	}
}
