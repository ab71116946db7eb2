package state

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"time"
)

func TestRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), RunsFile)
	if runs, err := ReadRuns(path); err != nil || len(runs) != 0 {
		t.Fatalf("missing history: %v, %v", runs, err)
	}
	start := time.Date(2025, 11, 29, 1, 0, 0, 0, time.UTC)
	var want []RunRecord
	for i := range 3 {
		r := RunRecord{Started: start.Add(time.Duration(i) * time.Hour), Ended: start.Add(time.Duration(i)*time.Hour + 5*time.Minute),
			Command: "ciam-import import", Counts: outcome.Counts{"read": int64(i * 10), "created": int64(i)}, ExitCode: i, Outcome: "partial"}
		want = append(want, r)
		if err := AppendRun(path, r); err != nil {
			t.Fatal(err)
		}
	}
	assertMode(t, path, 0o600)
	got, err := ReadRuns(path)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ReadRuns = %+v, %v; want %+v", got, err, want)
	}

	// A crash in the middle of an append leaves a torn line: reading ignores
	// it and the next append replaces it.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	_, _ = f.WriteString(`{"started":"2025-`)
	_ = f.Close()
	if got, err := ReadRuns(path); err != nil || len(got) != 3 {
		t.Fatalf("with a torn tail: %d runs, %v", len(got), err)
	}
	if err := AppendRun(path, want[0]); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadRuns(path); err != nil || len(got) != 4 || !reflect.DeepEqual(got[3], want[0]) {
		t.Fatalf("after append over a torn tail: %+v, %v", got, err)
	}
}

func TestRuns_Corrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), RunsFile)
	writeFile(t, path, "{}\nnot json\n{}\n")
	_, err := ReadRuns(path)
	assertCorrupt(t, err)
	assertCorrupt(t, AppendRun(path, RunRecord{}))
}
