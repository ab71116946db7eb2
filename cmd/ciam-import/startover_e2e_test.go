package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// runCapture runs args in process and returns the exit code and stderr.
func runCapture(t *testing.T, name string, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	t.Logf("%s: exit %d\n%s", name, code, stderr.String())
	return code, stderr.String()
}

// Issue 22: a run refused on a wrong --user-store-id (exit 5, no row
// settled) is corrected by running the same command with the right store
// id: the untouched state directory starts over by itself, saying so,
// instead of asking for --restart. Once a row has settled, a changed store
// is still refused.
func TestWrongStoreIsCorrectedWithoutRestart(t *testing.T) {
	cfg := emulator.DemoConfig()
	cfg.Rate = 0
	em := startInProcessEmulator(t, cfg)
	base := t.TempDir()
	mappingPath, _ := writeSyncMapping(t, base)
	input := filepath.Join(base, "users.csv")
	writeRows(t, input, ledgerRows(syncSeed, 5))
	dir := filepath.Join(base, "state")
	args := func(store string) []string {
		return []string{"run", "--input", input, "--mapping", mappingPath, "--user-store-id", store,
			"--state-dir", dir, "--endpoint", em.URL, "--rate", "0", "--progress", "never"}
	}
	if code, _ := runCapture(t, "wrong store", args(otherStore)...); code != exitFatal {
		t.Fatalf("a run into a store the service does not know exited %d, want %d", code, exitFatal)
	}
	code, stderr := runCapture(t, "corrected", args(emulator.DemoUserStore)...)
	if code != exitOK || !strings.Contains(stderr, "started over") || !strings.Contains(stderr, "user store changed") {
		t.Fatalf("the corrected run exited %d; want %d and a line saying it started over because the store changed", code, exitOK)
	}
	checkCounts(t, dir, map[string]int{outcome.Created.File: 5})
	if code, stderr := runCapture(t, "store changed after rows settled", args(otherStore)...); code == exitOK || !strings.Contains(stderr, "--restart") {
		t.Errorf("a changed store after rows settled exited %d; want it refused with --restart", code)
	}
}
