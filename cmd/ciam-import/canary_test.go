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

// run --canary N creates N users, reads them back, finds nothing to report
// against the emulator, stops; the next run continues after them and every
// row ends in exactly one report.
func TestCanaryThenContinue(t *testing.T) {
	em := startInProcessEmulator(t, emulator.DemoConfig())
	dir := filepath.Join(t.TempDir(), "state")
	args := []string{"run", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml",
		"--user-store-id", emulator.DemoUserStore, "--state-dir", dir, "--endpoint", em.URL, "--progress", "never"}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), append(args, "--canary", "5"), &stdout, &stderr); code != exitOK {
		t.Fatalf("canary exited %d:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "every mapped field is as sent") {
		t.Errorf("canary summary does not say what it compared:\n%s", stderr.String())
	}
	if n := len(em.Server.Users(emulator.DemoUserStore)); n != 5 {
		t.Errorf("the canary created %d users, want 5", n)
	}
	if code := runQuiet(t, []string{"run", "--state-dir", dir, "--progress", "never"}); code != exitPartial {
		t.Fatalf("the run after the canary exited %d, want %d", code, exitPartial)
	}
	created := reportColumn(t, filepath.Join(dir, outcome.Created.File), "key", "user_id")
	if len(created) != 281 || len(em.Server.Users(emulator.DemoUserStore)) != 281 {
		t.Errorf("created.csv lists %d users, the emulator holds %d; want 281 each", len(created), len(em.Server.Users(emulator.DemoUserStore)))
	}
	lines := reportLines(t, dir)
	for line, files := range lines {
		if len(files) != 1 {
			t.Errorf("line %d is in %v", line, files)
		}
	}
	if len(lines) != 300 {
		t.Errorf("%d lines in the reports, want 300", len(lines))
	}
}
