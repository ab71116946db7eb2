package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
)

// otherStore is a second user store of the emulator in these tests.
const otherStore = "0b1c2d3e4f5a46b7a8c9d0e1f2a3b4c5"

// ledgerRows are n rows of the export made with seed.
func ledgerRows(seed int64, n int) [][]string {
	var rows [][]string
	for i := range n {
		rows = append(rows, sourcetest.Row(seed, i))
	}
	return rows
}

// ledgerRun runs `run` over rows in a new state directory named name under
// base, with --ledger ledger and --on-conflict update, and returns the
// directory, the exit code, stderr and the requests the emulator received.
func ledgerRun(t *testing.T, em *emulator.Running, base, name, mappingPath, store, ledger string, rows [][]string, extra ...string) (string, int, string, int64) {
	t.Helper()
	input := filepath.Join(base, name+".csv")
	writeRows(t, input, rows)
	dir := filepath.Join(base, name)
	args := append([]string{"run", "--input", input, "--mapping", mappingPath, "--user-store-id", store,
		"--state-dir", dir, "--ledger", ledger, "--endpoint", em.URL, "--rate", "0", "--progress", "never",
		"--on-conflict", "update"}, extra...)
	var stdout, stderr bytes.Buffer
	before := em.Server.Stats().Requests
	code := run(context.Background(), args, &stdout, &stderr)
	t.Logf("%s: exit %d\n%s", name, code, stderr.String())
	return dir, code, stderr.String(), em.Server.Stats().Requests - before
}

// A ledger written for one user store, given to a run into another, is
// refused with exit 2 before any request: otherwise every row would be
// "imported (ledger); not sent" and the new store would stay empty.
func TestLedgerOfAnotherStoreIsRefused(t *testing.T) {
	cfg := emulator.DemoConfig()
	cfg.Rate, cfg.UserStores = 0, []string{emulator.DemoUserStore, otherStore}
	em := startInProcessEmulator(t, cfg)
	base := t.TempDir()
	mappingPath, _ := writeSyncMapping(t, base)
	ledger := filepath.Join(base, "ledger.db")
	rows := ledgerRows(syncSeed, 5)
	if _, code, _, _ := ledgerRun(t, em, base, "store-a", mappingPath, emulator.DemoUserStore, ledger, rows); code != exitOK {
		t.Fatalf("the run into the ledger's own store exited %d", code)
	}
	_, code, stderr, requests := ledgerRun(t, em, base, "store-b", mappingPath, otherStore, ledger, rows)
	if code != exitUsage {
		t.Errorf("the run into another store exited %d, want %d", code, exitUsage)
	}
	for _, want := range []string{emulator.DemoUserStore, otherStore, "--ledger", "nothing was sent"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if requests != 0 {
		t.Errorf("%d requests sent, want none", requests)
	}
	if n := len(em.Server.Users(otherStore)); n != 0 {
		t.Errorf("the other store holds %d users, want none", n)
	}
}

// Two sources (two mappings, the same legacy keys, each with its own
// legacy-id attribute) share one ledger under --on-conflict update. The
// second never updates the first one's users: under its own source name
// it sees none of the first one's keys, so its rows are created or, where
// an identifier is taken, conflicts; and even given the first one's source
// name by mistake, the read-back before each update finds users whose
// legacy id is not theirs: conflicts, no UpdateUser. The first source's
// users, read back from the emulator, are as its export says throughout.
func TestTwoSourcesShareOneLedger(t *testing.T) {
	cfg := emulator.DemoConfig()
	cfg.Rate = 0
	em := startInProcessEmulator(t, cfg)
	base := t.TempDir()
	mappingA, spec := writeSyncMapping(t, base)
	mappingB := filepath.Join(base, "mapping-b.yaml")
	if err := os.WriteFile(mappingB, []byte(strings.Replace(syncMapping, "IndexedAttribute1: legacy_id", "IndexedAttribute2: legacy_id", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	ledger := filepath.Join(base, "ledger.db")
	const n = 10
	rowsA := ledgerRows(syncSeed, n)
	if _, code, _, _ := ledgerRun(t, em, base, "a", mappingA, emulator.DemoUserStore, ledger, rowsA); code != exitOK {
		t.Fatalf("source A exited %d", code)
	}
	rowsB := ledgerRows(syncSeed+12, n) // other people
	for i, r := range rowsB {
		r[0] = rowsA[i][0] // with A's keys
		if i%2 == 1 {
			r[2] = rowsA[i][2] // and, on odd rows, A's email
		}
	}
	updates := len(em.Server.Admitted("UpdateUser"))

	dirB, code, _, _ := ledgerRun(t, em, base, "b", mappingB, emulator.DemoUserStore, ledger, rowsB)
	if code != exitPartial {
		t.Errorf("source B exited %d, want %d (the taken emails)", code, exitPartial)
	}
	checkCounts(t, dirB, map[string]int{outcome.Created.File: n / 2, outcome.Conflict.File: n / 2})
	checkMatchesExport(t, em, spec, rowsA, nil)

	dirB2, code, _, _ := ledgerRun(t, em, base, "b-as-a", mappingB, emulator.DemoUserStore, ledger, rowsB,
		"--source-name", "key=legacy_id;legacy=IndexedAttribute1") // A's default name
	if code != exitPartial {
		t.Errorf("source B under A's name exited %d, want %d", code, exitPartial)
	}
	checkCounts(t, dirB2, map[string]int{outcome.Conflict.File: n})
	codes := reportColumn(t, filepath.Join(dirB2, outcome.Conflict.File), "key", "code")
	t.Logf("reason: %s", reportColumn(t, filepath.Join(dirB2, outcome.Conflict.File), "key", "message")[rowsB[0][0]])
	for _, r := range rowsB {
		if codes[r[0]] != sink.CodeNotOurs {
			t.Errorf("row %s: conflict code %q, want %s", r[0], codes[r[0]], sink.CodeNotOurs)
		}
	}
	if sent := len(em.Server.Admitted("UpdateUser")) - updates; sent != 0 {
		t.Errorf("%d UpdateUser sent for source B, want none", sent)
	}
	checkMatchesExport(t, em, spec, rowsA, nil)
	if got, want := len(em.Server.Users(emulator.DemoUserStore)), n+n/2; got != want {
		t.Errorf("the store holds %d users, want %d (A's and B's created)", got, want)
	}
}
