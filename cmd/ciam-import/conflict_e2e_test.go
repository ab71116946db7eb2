package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/mapping"
)

const (
	conflictSeed    = 13
	conflictWorkers = 2
	// conflictLatency slows CreateUser so that the stop comes well before
	// the end of the input.
	conflictLatency = 5 * time.Millisecond
)

// conflictVictims are the rows whose email another user, not ours, holds.
var conflictVictims = []int{20, 40}

// --on-conflict fail, through the binary: the first row that collides with
// a user that is not ours stops the job with the fatal exit code, that row
// reported in conflicts.csv and the other user untouched; the rows after
// it are left for the next run (only the few already in flight settle).
// The policy is remembered in job.json: `run --state-dir DIR` without
// --on-conflict (--workers is not remembered, so it is given again) goes
// on after the reported row and stops the same way at the next conflict.
// A flag given on resume wins over the remembered one and is remembered in
// turn: --on-conflict skip reports the remaining conflict and finishes.
// In the lenient store (150 rows) and the strict one (80 rows; the
// mapping's department attribute defined).
func TestOnConflictFailStopsAndIsRemembered(t *testing.T) {
	rows := map[string]int{"lenient": 150, "strict": 80}
	forEachMode(t, []string{"department"}, func(t *testing.T, m storeMode) {
		testOnConflictFail(t, m, rows[m.name])
	})
}

func testOnConflictFail(t *testing.T, m storeMode, conflictRows int) {
	importBin, _ := chaosBinaries(t)
	cfg := m.config()
	cfg.Rate, cfg.Seed = 0, 5
	cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: conflictLatency}
	em := startInProcessEmulator(t, cfg) // its Close is registered before any process starts
	base := t.TempDir()
	mappingPath, spec := writeSyncMapping(t, base)
	input, rows := writeConflictInput(t, base, conflictRows)
	others := seedOthers(t, em, spec, rows)
	dir := filepath.Join(base, "state")
	runImport := func(name string, args ...string) (int, string) {
		p := startImport(t, importBin, base, name, args...)
		code := p.wait(t, runDeadline)
		return code, readTail(p.stderr)
	}
	line := func(row int) int64 { return int64(row) + 2 } // the header is line 1

	code, stderr := runImport("run1", "run", "--input", input, "--mapping", mappingPath, "--user-store-id", emulator.DemoUserStore,
		"--state-dir", dir, "--endpoint", em.URL, "--rate", "0", "--progress", "never",
		"--workers", strconv.Itoa(conflictWorkers), "--on-conflict", "fail")
	if code != exitFatal {
		t.Fatalf("run 1 exited %d, want %d (fatal):\n%s", code, exitFatal, stderr)
	}
	if want := "--on-conflict fail: line " + strconv.FormatInt(line(conflictVictims[0]), 10); !strings.Contains(stderr, want) {
		t.Errorf("run 1's stderr does not name the conflict (%q):\n%s", want, stderr)
	}
	checkStoppedAt(t, em, dir, rows, line(conflictVictims[0]), conflictVictims[:1])
	if got := jobConflictPolicy(t, dir); got != "fail" {
		t.Errorf("job.json on_conflict = %q after run 1, want fail", got)
	}

	code, stderr = runImport("run2", "run", "--state-dir", dir, "--progress", "never", "--workers", strconv.Itoa(conflictWorkers))
	if code != exitFatal {
		t.Fatalf("run 2 (no --on-conflict) exited %d, want %d: the remembered fail must stop it again:\n%s", code, exitFatal, stderr)
	}
	checkStoppedAt(t, em, dir, rows, line(conflictVictims[1]), conflictVictims)

	code, stderr = runImport("run3", "run", "--state-dir", dir, "--progress", "never", "--workers", strconv.Itoa(conflictWorkers), "--on-conflict", "skip")
	if code != exitPartial {
		t.Fatalf("run 3 (--on-conflict skip) exited %d, want %d (conflicts reported):\n%s", code, exitPartial, stderr)
	}
	if got := jobConflictPolicy(t, dir); got != "skip" {
		t.Errorf("job.json on_conflict = %q after run 3, want skip (the flag given)", got)
	}
	checkEveryRowOnce(t, dir, len(rows), conflictVictims)
	checkOthersUntouched(t, em, others)
	if n := len(em.Server.Users(emulator.DemoUserStore)); n != conflictRows-len(conflictVictims)+len(others) {
		t.Errorf("the emulator holds %d users, want %d", n, conflictRows-len(conflictVictims)+len(others))
	}
}

// writeConflictInput writes the export of n rows into dir.
func writeConflictInput(t *testing.T, dir string, n int) (string, [][]string) {
	t.Helper()
	var rows [][]string
	for i := range n {
		rows = append(rows, sourcetest.Row(conflictSeed, i))
	}
	input := filepath.Join(dir, "users.csv")
	writeRows(t, input, rows)
	return input, rows
}

// seedOthers creates, for each victim row, a user that is not ours (no
// legacy id) holding the row's mapped email, and returns their ids.
func seedOthers(t *testing.T, em *emulator.Running, spec *mapping.Spec, rows [][]string) map[string]string {
	t.Helper()
	api, err := ciam.New(ciam.Config{Endpoint: em.URL, SecretID: emulator.DemoSecretID, SecretKey: emulator.DemoSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	others := map[string]string{} // user id -> email
	for n, i := range conflictVictims {
		other := mapRow(t, spec, sourcetest.Row(conflictSeed+1, n))
		req := &ciam.CreateUserRequest{UserStoreId: emulator.DemoUserStore, UserName: "other" + strconv.Itoa(n),
			Email: mapRow(t, spec, rows[i]).Email, PhoneNumber: other.PhoneNumber, Password: other.Password.Reveal()}
		resp, err := api.CreateUser(context.Background(), req)
		if err != nil {
			t.Fatalf("seed the other user of row %d: %v", i, err)
		}
		others[resp.User.UserId] = req.Email
	}
	return others
}

// checkStoppedAt asserts that the run stopped at the conflict on line at:
// the victims' lines so far are the only conflicts and every line up to at
// is in one report. After it, the rows sent before the stop settled, as
// created, in one run of lines right after at; the rest are in no report
// and were not sent (no user has their key): left for the next run.
func checkStoppedAt(t *testing.T, em *emulator.Running, dir string, rows [][]string, at int64, victims []int) {
	t.Helper()
	reported := reportLines(t, dir)
	wantConflict := map[int64]bool{}
	for _, v := range victims {
		wantConflict[int64(v)+2] = true
	}
	keys := map[string]bool{}
	for _, u := range em.Server.Users(emulator.DemoUserStore) {
		keys[derefTrim(u.IndexedAttribute1)] = true
	}
	settled, left := 0, 0
	for l := at + 1; l < int64(len(rows))+2; l++ {
		files := reported[l]
		switch {
		case len(files) == 0:
			left++
			if keys[rows[l-2][0]] {
				t.Errorf("line %d is in no report but its user exists: a row left for the next run was sent", l)
			}
		case left > 0 || len(files) != 1 || files[0] != outcome.Created.File:
			t.Errorf("line %d after the stop: reports %v, want created right after line %d (sent before the stop) or none", l, files, at)
		default:
			settled++
		}
	}
	for l := int64(2); l <= at; l++ {
		want := outcome.Created.File
		if wantConflict[l] {
			want = outcome.Conflict.File
		}
		if files := reported[l]; len(files) != 1 || files[0] != want {
			t.Errorf("line %d: reports %v, want [%s] (the run stopped at line %d)", l, files, want, at)
		}
	}
	if left == 0 {
		t.Errorf("every row after the conflict on line %d was settled: the job did not stop", at)
	}
	t.Logf("stopped at line %d: %d rows after it were in flight and settled, %d left for the next run", at, settled, left)
}

// checkEveryRowOnce asserts that each of the n rows is in exactly one
// report: the victims in conflicts.csv, the others in created.csv.
func checkEveryRowOnce(t *testing.T, dir string, n int, victims []int) {
	t.Helper()
	reported := reportLines(t, dir)
	conflict := map[int64]bool{}
	for _, v := range victims {
		conflict[int64(v)+2] = true
	}
	for l := int64(2); l < int64(n)+2; l++ {
		want := outcome.Created.File
		if conflict[l] {
			want = outcome.Conflict.File
		}
		if files := reported[l]; len(files) != 1 || files[0] != want {
			t.Errorf("line %d: reports %v, want [%s]", l, files, want)
		}
	}
}

// checkOthersUntouched asserts that the users not ours still hold what they
// were created with, and that no other user took their emails.
func checkOthersUntouched(t *testing.T, em *emulator.Running, others map[string]string) {
	t.Helper()
	byEmail := map[string][]emulator.User{}
	for _, u := range em.Server.Users(emulator.DemoUserStore) {
		byEmail[derefTrim(u.Email)] = append(byEmail[derefTrim(u.Email)], u)
	}
	for id, email := range others {
		us := byEmail[email]
		if len(us) != 1 || us[0].UserId != id || derefTrim(us[0].IndexedAttribute1) != "" || !strings.HasPrefix(derefTrim(us[0].UserName), "other") {
			t.Errorf("the user not ours with email %s changed or gained a twin: %+v", email, us)
		}
	}
}

// jobConflictPolicy reads on_conflict from the state directory's job.json.
func jobConflictPolicy(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, jobFile))
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		OnConflict string `json:"on_conflict"`
	}
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatal(err)
	}
	return j.OnConflict
}
