package ledger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
)

// ReportMissing reads the keys the reports hold as they were written: a key
// the writer stored with a formula guard ('-7, '=x) is reported, not missing.
func TestReportMissingRestoresKeys(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.db")
	for _, key := range []string{"-7", "=x", "'q", "gone"} {
		record(t, path, testBinding, key, "uid"+key)
	}
	w, err := report.OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		o   outcome.Outcome
		key string
	}{{outcome.Skipped, "-7"}, {outcome.Created, "=x"}, {outcome.Rejected, "'q"}} {
		if err := w.Write(r.o, &outcome.Row{Line: 2, Key: r.key}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	l := openAs(t, path, testBinding)
	defer l.Close()
	n, err := ReportMissing(state.Dir{Path: dir}, l)
	if err != nil || n != 1 {
		data, _ := os.ReadFile(filepath.Join(dir, MissingFile))
		t.Fatalf("ReportMissing = %d, %v; want only gone:\n%s", n, err, data)
	}
}

// A report that is not one (another header) is an error naming it, not a
// list of every key as missing.
func TestReportMissingRefusesAForeignReport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.db")
	record(t, path, testBinding, "K1", "uid-1")
	if err := os.WriteFile(filepath.Join(dir, outcome.Created.File), []byte("key,user_id\nK1,uid-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := openAs(t, path, testBinding)
	defer l.Close()
	if _, err := ReportMissing(state.Dir{Path: dir}, l); err == nil || !strings.Contains(err.Error(), outcome.Created.File) {
		t.Errorf("ReportMissing over a foreign created.csv: %v", err)
	}
}
