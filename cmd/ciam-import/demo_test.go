package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's first command must succeed on a fresh clone: the sample's
// conflicts and rejected rows are what the demo shows, not a failure.
func TestDemoExitsZero(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"demo", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml",
		"--state-dir", filepath.Join(t.TempDir(), "demo-state"), "--rate", "0", "--progress", "never"}
	if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
		t.Fatalf("demo exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "The demo itself succeeded.") {
		t.Errorf("demo does not explain its import's exit code:\n%s", stdout.String())
	}
}

func TestDemoExit(t *testing.T) {
	cases := []struct {
		code       int
		consistent bool
		want       int
	}{
		{exitOK, true, exitOK},
		{exitPartial, true, exitOK},
		{exitRetryable, true, exitOK},
		{exitPartial, false, exitError},
		{exitFatal, true, exitFatal},
		{exitUsage, true, exitUsage},
		{exitInterrupted, true, exitInterrupted},
	}
	for _, c := range cases {
		var w bytes.Buffer
		if got := demoExit(&w, c.code, c.consistent, "demo-state"); got != c.want {
			t.Errorf("demoExit(%d, %v) = %d, want %d (%s)", c.code, c.consistent, got, c.want, w.String())
		}
	}
}

// The demo runs from any directory on its built-in sample, refuses a
// directory it did not make, and starts its own afresh.
func TestDemoDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	args := []string{"demo", "--rate", "0", "--progress", "never", "--faults=false"}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
		t.Fatalf("demo outside the repository exited %d\n%s", code, stderr.String())
	}
	for _, want := range []string{"ciam-import status --state-dir demo-state", "ciam-import report --state-dir demo-state"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("demo does not hint %q:\n%s", want, stdout.String())
		}
	}
	if err := os.WriteFile(filepath.Join("demo-state", "extra"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	small := smallJSONL(t) // the second demo need not import 300 rows again
	if code := run(context.Background(), append(args, "--input", small, "--mapping", filepath.Join(testPkgDir, "../../samples/mapping-jsonl.yaml")), &stdout, &stderr); code != exitOK {
		t.Fatalf("second demo exited %d\n%s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join("demo-state", "extra")); !os.IsNotExist(err) {
		t.Errorf("the second demo did not start its directory afresh: %v", err)
	}
	if err := os.MkdirAll("job", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("job", "snapshot.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run(context.Background(), append(args, "--state-dir", "job"), &stdout, &stderr); code != exitUsage {
		t.Errorf("demo over a directory it did not make: exit %d, want %d", code, exitUsage)
	}
	if _, err := os.Stat(filepath.Join("job", "snapshot.json")); err != nil || !strings.Contains(stderr.String(), "not made by the demo") {
		t.Errorf("demo touched a directory it did not make (%v): %s", err, stderr.String())
	}
}

// An interrupted demo points at the demo, not at an emulator that is gone.
func TestDemoInterruptedNext(t *testing.T) {
	var w bytes.Buffer
	demoExit(&w, exitInterrupted, true, "demo-state")
	if !strings.Contains(w.String(), "ciam-import demo") || strings.Contains(w.String(), "run --state-dir") {
		t.Errorf("interrupted demo: %s", w.String())
	}
}

// smallJSONL is the first 5 rows of samples/users.jsonl, in a file.
func smallJSONL(t *testing.T) string {
	data, err := os.ReadFile(filepath.Join(testPkgDir, "../../samples/users.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfterN(string(data), "\n", 6)
	path := filepath.Join(t.TempDir(), "small.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines[:5], "")), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
