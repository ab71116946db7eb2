package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// Issue 22: with a ledger and the default --on-conflict skip, a row whose
// mapped fields changed since the ledger recorded it is skipped without a
// request like an unchanged one, but says so in skipped.csv, is counted in
// the printed summary and summary.json, and the next step names
// --on-conflict update.
func TestLedgerSkipsChangedRowsWithAHint(t *testing.T) {
	cfg := emulator.DemoConfig()
	cfg.Rate = 0
	em := startInProcessEmulator(t, cfg)
	base := t.TempDir()
	mappingPath, _ := writeSyncMapping(t, base)
	ledger := filepath.Join(base, "ledger.db")
	rows := ledgerRows(syncSeed, 6)
	if _, code, _, _ := ledgerRun(t, em, base, "night1", mappingPath, emulator.DemoUserStore, ledger, rows); code != exitOK {
		t.Fatalf("night 1 exited %d", code)
	}
	changed := map[string]bool{rows[1][0]: true, rows[4][0]: true}
	for i := range rows {
		if changed[rows[i][0]] {
			rows[i][4] += "x" // first_name, in Nickname
		}
	}
	dir, code, stderr, requests := ledgerRun(t, em, base, "night2", mappingPath, emulator.DemoUserStore, ledger, rows,
		"--on-conflict", "skip")
	if code != exitOK || requests != 0 {
		t.Fatalf("night 2 exited %d after %d requests, want %d after none", code, requests, exitOK)
	}
	checkCounts(t, dir, map[string]int{outcome.Skipped.File: len(rows)})
	for key, reason := range reportColumn(t, filepath.Join(dir, outcome.Skipped.File), "key", "reason") {
		want := "imported on "
		if changed[key] {
			want = "changed since "
		}
		if !strings.HasPrefix(reason, want) || changed[key] != strings.Contains(reason, "--on-conflict update would send it") {
			t.Errorf("row %s: skipped reason %q, want %q… (changed: %v)", key, reason, want, changed[key])
		}
	}
	var sum struct {
		LedgerChanged int64  `json:"ledger_changed"`
		Next          string `json:"next"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err == nil {
		err = json.Unmarshal(data, &sum)
	}
	if err != nil || sum.LedgerChanged != 2 || !strings.Contains(sum.Next, "--on-conflict update") {
		t.Errorf("summary.json: %+v, %v; want ledger_changed 2 and a next step with --on-conflict update", sum, err)
	}
	if !strings.Contains(stderr, "changed:  2 skipped rows") || !strings.Contains(stderr, "--on-conflict update") {
		t.Errorf("the printed summary does not count the 2 changed rows or hint at --on-conflict update")
	}
}
