package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/state"
)

// Every exit code prints a "next:" that names what to do, and summary.json
// carries the same next step when the run got that far.
func TestEveryExitSaysWhatIsNext(t *testing.T) {
	em := startInProcessEmulator(t, emulator.DemoConfig())
	small := smallJSONL(t)
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	data, _ := os.ReadFile(small)
	if err := os.WriteFile(bad, append(data, "{not json\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	badMapping := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(badMapping, []byte("fields:\n  Nope: {from: x}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mappingJSONL := filepath.Join(testPkgDir, "../../samples/mapping-jsonl.yaml")
	job := func(dir, input, mapping, store string) []string {
		return []string{"run", "--input", input, "--mapping", mapping, "--user-store-id", store, "--state-dir", dir,
			"--endpoint", em.URL, "--progress", "never", "--rate", "0"}
	}
	locked := filepath.Join(t.TempDir(), "locked")
	if err := os.MkdirAll(locked, 0o700); err != nil {
		t.Fatal(err)
	}
	lock, err := state.Lock(locked, state.LockInfo{PID: 1, Host: "elsewhere", Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	aFile := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(aFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		args    []string
		code    int
		next    string
		summary bool // summary.json has the next step
	}{
		{"canary", append(job(t.TempDir()+"/s", small, mappingJSONL, emulator.DemoUserStore), "--canary", "2"), exitPartial,
			"to import the rest as they are: ciam-import run --state-dir", true}, // first, before "ok" imports these users: the emulator creates them NOT_ENABLED
		{"ok", job(t.TempDir()+"/s", small, mappingJSONL, emulator.DemoUserStore), exitOK, "done; see the whole job with: ciam-import report --state-dir", true},
		{"usage", job(t.TempDir()+"/s", small, badMapping, emulator.DemoUserStore), exitUsage, "correct what the line above names", false},
		{"partial", job(t.TempDir()+"/s", bad, mappingJSONL, emulator.DemoUserStore), exitPartial, "rejected.csv", true},
		{"fatal", job(t.TempDir()+"/s", small, mappingJSONL, "0123456789abcdef0123456789abcdef"), exitFatal, "fix the cause above", false},
		{"locked", job(locked, small, mappingJSONL, emulator.DemoUserStore), exitLocked, "let the other run finish", false},
		{"limit", append(job(t.TempDir()+"/s", small, mappingJSONL, emulator.DemoUserStore), "--max-rows", "2"), exitLimit,
			"continue where it stopped with: ciam-import run --state-dir", true},
		{"error", job(aFile+"/s", small, mappingJSONL, emulator.DemoUserStore), exitError, "fix the cause above", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), c.args, &stdout, &stderr)
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s", code, c.code, stderr.String())
			}
			out := stderr.String()
			if !strings.Contains(out, "next:") || !strings.Contains(out, c.next) {
				t.Errorf("no next step %q:\n%s", c.next, out)
			}
			if strings.Contains(out, "--canary") && c.name == "canary" {
				t.Errorf("the next step after a canary repeats --canary:\n%s", out)
			}
			if c.summary {
				dir := c.args[slicesIndex(c.args, "--state-dir")+1]
				var sum struct{ Next string }
				data, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
				if json.Unmarshal(data, &sum) != nil || !strings.Contains(sum.Next, c.next) {
					t.Errorf("summary.json next %q, want %q", sum.Next, c.next)
				}
			}
		})
	}
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// A retry with nothing left to retry exits 0 and says so, though the run
// before it left rejected rows (exit 3); with no arguments it asks for the
// one flag it needs.
func TestRetryNothingToRetry(t *testing.T) {
	em := startInProcessEmulator(t, emulator.DemoConfig())
	dir := filepath.Join(t.TempDir(), "s")
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	data, _ := os.ReadFile(smallJSONL(t))
	if err := os.WriteFile(bad, append(data, "{not json\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"run", "--input", bad, "--mapping", filepath.Join(testPkgDir, "../../samples/mapping-jsonl.yaml"),
		"--user-store-id", emulator.DemoUserStore, "--state-dir", dir, "--endpoint", em.URL, "--progress", "never"}
	if code := runQuiet(t, args); code != exitPartial {
		t.Fatalf("run exited %d, want %d", code, exitPartial)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"retry", "--state-dir", dir, "--progress", "never"}, &stdout, &stderr); code != exitOK {
		t.Errorf("retry with nothing to retry: exit %d, want 0\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "next:     nothing to retry") {
		t.Errorf("retry does not say there was nothing to retry:\n%s", stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"retry"}, &stdout, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), "missing --state-dir") || strings.Contains(stderr.String(), "--input") {
		t.Errorf("retry without arguments: exit %d: %s", code, stderr.String())
	}
}

// --log-format json is JSON to the last line, with numbers as numbers.
func TestJSONLogsAllTheWay(t *testing.T) {
	em := startInProcessEmulator(t, emulator.DemoConfig())
	args := []string{"run", "--input", smallJSONL(t), "--mapping", filepath.Join(testPkgDir, "../../samples/mapping-jsonl.yaml"),
		"--user-store-id", emulator.DemoUserStore, "--state-dir", filepath.Join(t.TempDir(), "s"), "--endpoint", em.URL,
		"--progress", "never", "--log-format", "json"}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	var last map[string]any
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		last = nil
		if err := json.Unmarshal([]byte(line), &last); err != nil {
			t.Errorf("not JSON: %q", line)
		}
	}
	if last["msg"] != "summary" || last["next"] == "" {
		t.Errorf("the last record is not the summary with its next step: %v", last)
	}
	if _, ok := last["created"].(float64); !ok {
		t.Errorf("created is not a number: %#v", last["created"])
	}
}

// A required field mapped from a path no sampled row has is a usage error
// naming the closest field, before anything is written; an optional one
// is a warning.
func TestRequiredFieldMissingFromSample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testPkgDir, "../../samples/mapping-jsonl.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(t.TempDir(), "typo.yaml")
	if err := os.WriteFile(typo, []byte(strings.Replace(string(data), "from: login,", "from: logn,", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "s")
	var stdout, stderr bytes.Buffer
	args := []string{"run", "--input", smallJSONL(t), "--mapping", typo, "--user-store-id", "u", "--state-dir", dir, "--endpoint", "http://127.0.0.1:1"}
	if code := run(context.Background(), args, &stdout, &stderr); code != exitUsage {
		t.Errorf("exit %d, want %d\n%s", code, exitUsage, stderr.String())
	}
	if !strings.Contains(stderr.String(), `closest fields with data: "login"`) || !strings.Contains(stderr.String(), "every row would be rejected") {
		t.Errorf("no did-you-mean: %s", stderr.String())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the refused run wrote %s", dir)
	}
}

// validate leaves no lock behind, and says what is next.
func TestValidateLeavesOnlyItsReports(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "check")
	var stdout, stderr bytes.Buffer
	args := []string{"validate", "--input", filepath.Join(testPkgDir, "../../samples/users.csv"), "--mapping",
		filepath.Join(testPkgDir, "../../samples/mapping-csv.yaml"), "--report-dir", dir}
	if code := run(context.Background(), args, &stdout, &stderr); code != exitPartial {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, state.LockFile)); !os.IsNotExist(err) {
		t.Errorf("validate left its lock: %v", err)
	}
	if !strings.Contains(stdout.String(), "next: read ") || !strings.Contains(stdout.String(), " run --input ") {
		t.Errorf("no next step:\n%s", stdout.String())
	}
}
