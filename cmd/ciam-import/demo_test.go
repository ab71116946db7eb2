package main

import (
	"bytes"
	"context"
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
		if got := demoExit(&w, c.code, c.consistent); got != c.want {
			t.Errorf("demoExit(%d, %v) = %d, want %d (%s)", c.code, c.consistent, got, c.want, w.String())
		}
	}
}
