package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// undo, through run(): state directory A imports the first rows, B the
// whole file (finding A's users: skipped). undo refuses without --yes and
// deletes nothing; undo of B deletes exactly B's users and leaves A's (found,
// not created, by B) and the users the store held before; undo of A leaves
// the store as it was before any run. A resume of an undone directory is
// refused; --restart starts it over. In the lenient and the strict store
// (where the sample's weak passwords are refused: rejected, never created).
func TestUndoLeavesTheStoreAsBefore(t *testing.T) {
	forEachMode(t, sampleAttrs, testUndoLeavesTheStoreAsBefore)
}

func testUndoLeavesTheStoreAsBefore(t *testing.T, m storeMode) {
	cfg := m.config()
	cfg.Rate = 0 // the runs send at --rate 0: no quota to wait on
	em := startInProcessEmulator(t, cfg)
	before := seedStrangers(t, em)
	base := t.TempDir()
	dirA, dirB := filepath.Join(base, "a"), filepath.Join(base, "b")
	importArgs := func(dir string) []string {
		return []string{"run", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml",
			"--user-store-id", emulator.DemoUserStore, "--state-dir", dir, "--endpoint", em.URL, "--progress", "never", "--rate", "0"}
	}
	if code := runQuiet(t, append(importArgs(dirA), "--max-rows", "40")); code != exitLimit {
		t.Fatalf("import A exited %d, want %d", code, exitLimit)
	}
	afterA := storeIDs(em)
	if code := runQuiet(t, importArgs(dirB)); code != exitPartial {
		t.Fatalf("import B exited %d, want %d", code, exitPartial)
	}
	createdB := reportColumn(t, filepath.Join(dirB, outcome.Created.File), "user_id", "key")
	skippedB := reportColumn(t, filepath.Join(dirB, outcome.Skipped.File), "user_id", "key")
	if len(createdB) == 0 || len(skippedB) == 0 {
		t.Fatalf("B created %d and skipped %d users; the test needs both", len(createdB), len(skippedB))
	}

	code, stderr := runUndo(t, "--state-dir", dirB, "--endpoint", em.URL)
	if code != exitUsage || !strings.Contains(stderr, "--yes") || len(storeIDs(em)) != len(afterA)+len(createdB) {
		t.Fatalf("undo without --yes exited %d (want %d, naming --yes, deleting nothing):\n%s", code, exitUsage, stderr)
	}
	if code, stderr := runUndo(t, "--state-dir", dirB, "--endpoint", em.URL, "--yes", "--batch", "7"); code != exitOK {
		t.Fatalf("undo B exited %d:\n%s", code, stderr)
	}
	if got := storeIDs(em); !slices.Equal(got, afterA) {
		t.Errorf("after undo B the store holds %d users, want the %d it held after A (B's skipped users kept)", len(got), len(afterA))
	}
	if code, stderr := runUndo(t, "--state-dir", dirA, "--endpoint", em.URL, "--yes"); code != exitOK {
		t.Fatalf("undo A exited %d:\n%s", code, stderr)
	}
	if got := storeIDs(em); !slices.Equal(got, before) {
		t.Errorf("after both undos the store holds %v, want %v (as before the runs)", got, before)
	}

	if code := runQuiet(t, []string{"run", "--state-dir", dirA, "--progress", "never"}); code != exitUsage {
		t.Errorf("resume of an undone directory exited %d, want %d", code, exitUsage)
	}
	if code := runQuiet(t, []string{"run", "--state-dir", dirA, "--progress", "never", "--restart", "--max-rows", "40"}); code != exitLimit {
		t.Errorf("restart of an undone directory exited %d, want %d", code, exitLimit)
	}
}

// runUndo runs `ciam-import undo ARGS` in process.
func runUndo(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"undo"}, args...), &stdout, &stderr)
	t.Logf("undo %v: exit %d\n%s%s", args, code, stdout.String(), stderr.String())
	return code, stderr.String()
}

// seedStrangers creates users the runs have nothing to do with and returns
// the store's user ids.
func seedStrangers(t *testing.T, em *emulator.Running) []string {
	t.Helper()
	api, err := ciam.New(ciam.Config{Endpoint: em.URL, SecretID: emulator.DemoSecretID, SecretKey: emulator.DemoSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"stranger1", "stranger2"} {
		req := &ciam.CreateUserRequest{UserStoreId: emulator.DemoUserStore, UserName: name, Email: name + "@elsewhere.example",
			PhoneNumber: "+86 1390000000" + name[len(name)-1:], Password: "Str0ng!Passw0rd#" + name}
		if _, err := api.CreateUser(context.Background(), req); err != nil {
			t.Fatalf("seed %s: %v", name, err)
		}
	}
	ids := storeIDs(em)
	if len(ids) != 2 {
		t.Fatalf("the store holds %d users after seeding, want 2", len(ids))
	}
	return ids
}

// storeIDs returns the ids of the users the emulator's store holds, sorted.
func storeIDs(em *emulator.Running) []string {
	var ids []string
	for _, u := range em.Server.Users(emulator.DemoUserStore) {
		ids = append(ids, u.UserId)
	}
	slices.Sort(ids)
	return ids
}

// A run that used a ledger is undone only with --ledger-shared-ok: other
// state directories sharing the ledger skip the keys it keeps.
func TestUndoOfALedgerRunNeedsLedgerSharedOK(t *testing.T) {
	em := startInProcessEmulator(t, emulator.DemoConfig())
	base := t.TempDir()
	dir := filepath.Join(base, "state")
	args := []string{"run", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml",
		"--user-store-id", emulator.DemoUserStore, "--state-dir", dir, "--endpoint", em.URL, "--progress", "never", "--rate", "0",
		"--max-rows", "10", "--ledger", filepath.Join(base, "ledger.db")}
	if code := runQuiet(t, args); code != exitLimit {
		t.Fatalf("import exited %d, want %d", code, exitLimit)
	}
	held := storeIDs(em)
	code, stderr := runUndo(t, "--state-dir", dir, "--endpoint", em.URL, "--yes")
	if code != exitUsage || !strings.Contains(stderr, "--ledger-shared-ok") || len(storeIDs(em)) != len(held) {
		t.Fatalf("undo of a ledger run exited %d (want %d, naming --ledger-shared-ok, deleting nothing):\n%s", code, exitUsage, stderr)
	}
	if code, stderr := runUndo(t, "--state-dir", dir, "--endpoint", em.URL, "--yes", "--ledger-shared-ok"); code != exitOK {
		t.Fatalf("undo with --ledger-shared-ok exited %d:\n%s", code, stderr)
	}
	if got := storeIDs(em); len(got) >= len(held) {
		t.Errorf("the store holds %d users after the undo, want fewer than %d", len(got), len(held))
	}
}
