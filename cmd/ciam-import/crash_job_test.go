package main

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// TestCrash_ImportJob SIGKILLs the real binary on the import-job path: while
// batches are journaled and their jobs are created (some answers lost),
// pending or running, then resumes until done. Every row ends in exactly one
// report, no user is created twice, and every migrated user signs in with
// the old password.
func TestCrash_ImportJob(t *testing.T) {
	t.Parallel()
	importBin, emuBin := chaosBinaries(t)
	dir := t.TempDir()
	em := startEmulator(t, emuBin, dir, "--seed", "11", "--import-users-per-second", "25",
		"--import-start-delay", "150ms", "--import-lose-response-rate", "0.3", "--import-fail-rate", "0.2")
	state := filepath.Join(dir, "state")
	args := []string{"run", "--input", "../../samples/hashed.csv", "--mapping", "../../samples/mapping-hashed.yaml",
		"--user-store-id", chaosStore, "--state-dir", state, "--endpoint", em.url, "--progress", "never",
		"--job-batch-size", "4", "--job-poll", "30ms"}
	jobs := func() int {
		var body struct{ Jobs []struct{ Id string } }
		em.debug(t, "jobs?store="+chaosStore, &body)
		return len(body.Jobs)
	}
	killed := 0
	for i, atJobs := range []int{0, 1, 3, 5, 7} {
		p := startImport(t, importBin, dir, fmt.Sprintf("run-%d", i), args...)
		before := jobs()
		if p.waitUntil(t, time.Minute, "a new import job", func() bool { return jobs() > max(before, atJobs) }) && p.kill(t) {
			killed++
		}
	}
	code := startImport(t, importBin, dir, "finish", "run", "--state-dir", state, "--progress", "never").wait(t, 3*time.Minute)
	for pass := 0; code == exitRetryable && pass < 10; pass++ {
		code = startImport(t, importBin, dir, fmt.Sprintf("retry-%d", pass), "retry", "--state-dir", state,
			"--progress", "never").wait(t, 3*time.Minute)
	}
	if code != exitPartial {
		t.Fatalf("the last run exited %d, want %d (the sample has bad rows)", code, exitPartial)
	}
	if killed < 3 {
		t.Errorf("only %d runs were killed mid-job", killed)
	}
	byLine := reportLines(t, state)
	for line := int64(2); line <= 61; line++ {
		if len(byLine[line]) != 1 {
			t.Errorf("line %d is in %v, want exactly one report", line, byLine[line])
		}
	}
	created := reportColumn(t, filepath.Join(state, outcome.Created.File), "key", "user_id")
	var body struct{ Users []ciam.User }
	em.debug(t, "users?store="+chaosStore, &body)
	seen := map[string]bool{}
	for _, u := range body.Users {
		key := derefTrim(u.IndexedAttribute1)
		if seen[key] {
			t.Errorf("legacy id %s was created twice", key)
		}
		seen[key] = true
		if created[key] != u.UserId {
			t.Errorf("user %s (%s) is not in created.csv as such (%q)", key, u.UserId, created[key])
		}
	}
	if len(body.Users) != len(created) {
		t.Errorf("emulator holds %d users, created.csv lists %d", len(body.Users), len(created))
	}
	old := reportColumn(t, "../../samples/hashed-passwords.csv", "legacy_id", "old_password")
	for key, uid := range created {
		if !verifyPasswordAt(t, em.url, chaosStore, uid, old[key]) {
			t.Errorf("%s: the old password does not sign in", key)
		}
	}
	t.Logf("%d of 5 runs killed mid-job; %d users created", killed, len(created))
}
