package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// SIGTERM against a service that never answers: the calls in flight are
// aborted after --stop-timeout and the process exits 130 well within
// systemd's stop timeout, instead of waiting for every request's own
// timeout. The rows in flight stay journaled in doubt; the next run, against
// a service that answers, looks them up and settles every row of the input
// in exactly one report.
func TestSIGTERMExitsWithinTheStopTimeout(t *testing.T) {
	importBin, emulatorBin := chaosBinaries(t)
	dir := t.TempDir()
	stateDir := filepath.Join(dir, "state")

	var arrived atomic.Int64
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		select { // never answer: neither the calls nor the process may wait for this
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hang.Close) // cleanups run last-in first-out: after the process is killed and release closed
	t.Cleanup(func() { close(release) })

	const stopTimeout = time.Second
	args := []string{"run", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml",
		"--user-store-id", chaosStore, "--state-dir", stateDir, "--progress", "never",
		"--workers", "2", "--timeout", "10m", "--stop-timeout", stopTimeout.String()}
	p := startImport(t, importBin, dir, "hang", append(args, "--endpoint", hang.URL)...)
	p.waitUntil(t, runDeadline, "two requests in flight", func() bool { return arrived.Load() >= 2 })
	signalled := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code := p.wait(t, stopTimeout+forceGrace+exitDeadline)
	took := time.Since(signalled)
	t.Logf("SIGTERM to exit: %s", took.Round(time.Millisecond))
	if code != exitInterrupted {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, readTail(p.stderr))
	}
	if took < stopTimeout {
		t.Errorf("exited %s after SIGTERM, before the stop timeout of %s: the calls in flight were not given their time", took, stopTimeout)
	}
	if took > stopTimeout+forceGrace {
		t.Errorf("exited %s after SIGTERM, more than the stop timeout %s + %s", took, stopTimeout, forceGrace)
	}
	if errText := readTail(p.stderr); !strings.Contains(errText, "--stop-timeout 1s passed") {
		t.Errorf("stderr does not say the stop timeout passed:\n%s", errText)
	}

	em := startEmulator(t, emulatorBin, dir)
	q := startImport(t, importBin, dir, "resume", "run", "--state-dir", stateDir, "--endpoint", em.url, "--progress", "never")
	if code := q.wait(t, runDeadline); code != exitPartial { // the sample has bad rows and duplicates on purpose
		t.Fatalf("resume: exit %d, want %d; stderr:\n%s", code, exitPartial, readTail(q.stderr))
	}
	lines := reportLines(t, stateDir)
	for line, files := range lines {
		if len(files) != 1 {
			t.Errorf("line %d is in %v, want exactly one report", line, files)
		}
	}
	if len(lines) != 300 { // samples/expected.json: 300 rows
		t.Errorf("%d lines in the reports, want the sample's 300", len(lines))
	}
}
