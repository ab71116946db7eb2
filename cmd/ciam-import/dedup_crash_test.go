package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/importer/state"
)

// A legacy key repeated far down the input, with a kill -9 between its two
// rows: the resumed run finds the first row's identifiers in the state
// directory's duplicate table, so the job ends as one uninterrupted run
// would, with one user created and the repeat a Local.DuplicateInInput
// conflict naming the first row's line.
func TestCrash_RepeatedKeyAcrossKill9(t *testing.T) {
	t.Parallel()
	importBin, emBin := chaosBinaries(t)
	base := t.TempDir()
	in, mappingPath, first, repeat := writeRepeatInput(t, base, 40)
	em := startEmulator(t, emBin, base, "--rate", "10", "--seed", "1")
	stateDir := filepath.Join(base, "state")
	args := []string{"run", "--input", in, "--mapping", mappingPath, "--user-store-id", chaosStore,
		"--state-dir", stateDir, "--endpoint", em.url}

	p := startImport(t, importBin, base, "killed", args...)
	snapshot := state.Dir{Path: stateDir}.Snapshot()
	deadline := time.Now().Add(runDeadline)
	for settledLine(snapshot)[1] < first { // the first row settled and checkpointed
		if !p.running() || time.Now().After(deadline) {
			t.Fatalf("the first run ended or stalled before line %d settled: %s", first, readTail(p.stderr))
		}
		time.Sleep(pollEvery)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t, exitDeadline)
	if got := settledLine(snapshot)[1]; got >= repeat {
		t.Fatalf("killed after line %d settled: the repeat (line %d) was not separated from the first row by the kill", got, repeat)
	}

	if code := startImport(t, importBin, base, "resumed", args...).wait(t, runDeadline); code != 0 && code != 3 {
		t.Fatalf("the resumed run exited %d: %s", code, readTail(filepath.Join(base, "resumed.stderr")))
	}
	created := reportByLine(t, state.Dir{Path: stateDir}.Report("created.csv"))
	conflicts := reportByLine(t, state.Dir{Path: stateDir}.Report("conflicts.csv"))
	if _, ok := created[first]; !ok {
		t.Errorf("line %d (the first row of the key) not created: %v", first, created)
	}
	if _, ok := created[repeat]; ok {
		t.Errorf("line %d (the repeat) created too: two users of one legacy key", repeat)
	}
	c, ok := conflicts[repeat]
	if !ok || c["code"] != "Local.DuplicateInInput" || !strings.Contains(c["message"], "legacy_key as line 2 ") {
		t.Errorf("line %d: conflict %v, want Local.DuplicateInInput naming line %d", repeat, c, first)
	}
	if len(created)+len(conflicts) != 40 {
		t.Errorf("%d created + %d conflicts, want 40 rows", len(created), len(conflicts))
	}
}

// writeRepeatInput writes n rows: n-1 generated ones and, last, a row with
// the first row's legacy key and other identifiers. It returns the input,
// the mapping and the two rows' lines.
func writeRepeatInput(t *testing.T, dir string, n int) (string, string, int64, int64) {
	t.Helper()
	path, mappingPath := filepath.Join(dir, "users.csv"), filepath.Join(dir, "mapping.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	if err := sourcetest.WriteCSV(bw, n-1, 7); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(bw.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, path)
	again := append([]string(nil), recs[1]...)
	again[1], again[2], again[3] = "repeat.login", "repeat@example.com", "+8613000000000" // login, email, mobile
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(again)
	w.Flush()
	af, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := af.WriteString(b.String()); err != nil || af.Close() != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mappingPath, []byte(chaosMapping), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, mappingPath, 2, int64(n + 1)
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// reportByLine reads a report into its rows by line, each a map of column
// to value; a missing report has no rows.
func reportByLine(t *testing.T, path string) map[int64]map[string]string {
	t.Helper()
	out := map[int64]map[string]string{}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return out
	}
	recs := readCSV(t, path)
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, name := range recs[0] {
			m[name] = r[i]
		}
		var line int64
		for _, ch := range r[0] {
			line = line*10 + int64(ch-'0')
		}
		out[line] = m
	}
	return out
}
