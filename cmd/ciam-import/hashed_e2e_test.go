package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
)

// The import-job path end to end: samples/hashed.csv mixes bcrypt, salted
// SHA-1 and MD5 hashes with plaintext rows; one run (and retry passes for
// rows a FAILED job left) puts every row in exactly one report, creates no
// user twice, and every migrated user signs in with the OLD password. The
// strict store (free-text FailedReasons, case-sensitive hex, the strong
// password policy refusing weak plaintext rows) runs the clean and the
// FAILED-jobs cases.
func TestHashedImportEndToEnd(t *testing.T) {
	lenient, strict := storeModes()[0], storeModes()[1]
	cases := []struct {
		name   string
		mode   storeMode
		faults emulator.FaultSpec
		fail   float64
		listOK bool // the job lists its succeeded users in FailedUsers too (FailedReason "")
	}{
		{name: "clean", mode: lenient},
		{name: "job created, answer lost", mode: lenient, faults: emulator.FaultSpec{LoseResponseRate: 0.5}},
		{name: "job created, gateway 502", mode: lenient, faults: emulator.FaultSpec{StoreThen5xxRate: 0.5}},
		{name: "jobs end FAILED having stored some users", mode: lenient, fail: 0.5},
		{name: "FailedUsers lists the users the job stored: each is created, never rejected", mode: lenient, listOK: true},
		{name: "strict clean", mode: strict},
		{name: "strict jobs end FAILED having stored some users", mode: strict, fail: 0.5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.mode.config()
			cfg.Seed = 7
			cfg.Import.UsersPerSecond = 500
			cfg.Import.FailRate = tc.fail
			cfg.Import.ListSucceeded = tc.listOK
			cfg.Faults.ImportJob = tc.faults
			em := startInProcessEmulator(t, cfg)
			dir := filepath.Join(t.TempDir(), "state")
			args := []string{"run", "--input", "../../samples/hashed.csv", "--mapping", "../../samples/mapping-hashed.yaml",
				"--user-store-id", emulator.DemoUserStore, "--state-dir", dir, "--endpoint", em.URL,
				"--progress", "never", "--job-batch-size", "7", "--job-poll", "20ms"}
			code := runQuiet(t, args)
			for pass := 0; code == exitRetryable && pass < 10; pass++ {
				code = runQuiet(t, []string{"retry", "--state-dir", dir, "--progress", "never"})
			}
			if code != exitPartial { // the sample has bad rows on purpose
				t.Fatalf("import exited %d, want %d", code, exitPartial)
			}
			byLine := reportLines(t, dir)
			for line := int64(2); line <= 61; line++ {
				if got := byLine[line]; len(got) != 1 {
					t.Errorf("line %d is in %v, want exactly one report", line, got)
				}
			}
			created := reportColumn(t, filepath.Join(dir, outcome.Created.File), "key", "user_id")
			users := em.Server.Users(emulator.DemoUserStore)
			if len(users) != len(created) {
				t.Errorf("emulator holds %d users, created.csv lists %d", len(users), len(created))
			}
			seen := map[string]bool{}
			for _, u := range users {
				key := derefTrim(u.IndexedAttribute1)
				if seen[key] {
					t.Errorf("legacy id %s was created twice", key)
				}
				seen[key] = true
				if _, ok := created[key]; !ok {
					t.Errorf("user %s is in CIAM but not in created.csv", key)
				}
			}
			old := reportColumn(t, "../../samples/hashed-passwords.csv", "legacy_id", "old_password")
			for key, uid := range created {
				if !verifyPassword(t, em.URL, uid, old[key]) {
					t.Errorf("%s: the old password does not sign in", key)
				}
				if verifyPassword(t, em.URL, uid, old[key]+"x") {
					t.Errorf("%s: a wrong password signs in", key)
				}
			}
		})
	}
}

// startInProcessEmulator runs an in-process emulator for the test, with the
// environment credentials set to its keys.
func startInProcessEmulator(t *testing.T, cfg emulator.Config) *emulator.Running {
	t.Helper()
	em, err := emulator.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	t.Setenv("TENCENTCLOUD_SECRET_ID", emulator.DemoSecretID)
	t.Setenv("TENCENTCLOUD_SECRET_KEY", emulator.DemoSecretKey)
	return em
}

func runQuiet(t *testing.T, args []string) int {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := run(ctx, args, &stdout, &stderr)
	t.Logf("%s: exit %d\n%s", args[0], code, stderr.String())
	return code
}

// reportLines maps each input line to the reports it appears in (each
// report once), read with report.Read.
func reportLines(t *testing.T, dir string) map[int64][]string {
	t.Helper()
	out := map[int64][]string{}
	for _, o := range outcome.All {
		seen := map[int64]bool{} // a row re-reported after a crash is listed once
		err := report.Read(filepath.Join(dir, o.File), o, func(r outcome.Row, _ int) error {
			if !seen[r.Line] {
				seen[r.Line] = true
				out[r.Line] = append(out[r.Line], o.File)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// reportColumn reads a CSV file into key column -> value column.
func reportColumn(t *testing.T, path, key, value string) map[string]string {
	t.Helper()
	recs := readCSV(t, path)
	if len(recs) == 0 {
		t.Fatalf("read %s: no header", path)
	}
	ki, vi := -1, -1
	for i, h := range recs[0] {
		if h == key {
			ki = i
		}
		if h == value {
			vi = i
		}
	}
	if ki < 0 || vi < 0 {
		t.Fatalf("%s has no column %s or %s: %v", path, key, value, recs[0])
	}
	out := map[string]string{}
	for _, r := range recs[1:] {
		out[r[ki]] = r[vi]
	}
	return out
}

// verifyPassword asks the emulator whether password signs user in.
func verifyPassword(t *testing.T, url, userID, password string) bool {
	t.Helper()
	return verifyPasswordAt(t, url, emulator.DemoUserStore, userID, password)
}

// verifyPasswordAt is verifyPassword for a user of store.
func verifyPasswordAt(t *testing.T, url, store, userID, password string) bool {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"UserStoreId": store, "UserId": userID, "Password": password})
	resp, err := http.Post(url+"/_emulator/verify-password", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct{ OK bool }
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r.OK
}

func derefTrim(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}
