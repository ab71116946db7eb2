package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

// Temporary credentials end to end: a key with its session token from the
// environment signs every request (X-TC-Token), and a wrong token is an
// error no row can fix (exit 5), with the rows left for the next run.
func TestSessionTokenEndToEnd(t *testing.T) {
	cfg := emulator.DemoConfig()
	cfg.TempCredentials = []emulator.TempCredential{{SecretID: "AKIDtemporary", SecretKey: "temporary-key", Token: "session-token-1"}}
	em, err := emulator.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer em.Close()
	for _, tc := range []struct {
		token string
		want  int
	}{{"session-token-1", exitLimit}, {"another-token", exitFatal}} {
		t.Setenv("TENCENTCLOUD_SECRET_ID", "AKIDtemporary")
		t.Setenv("TENCENTCLOUD_SECRET_KEY", "temporary-key")
		t.Setenv("TENCENTCLOUD_SESSION_TOKEN", tc.token)
		var stdout, stderr bytes.Buffer
		args := []string{"run", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml",
			"--user-store-id", emulator.DemoUserStore, "--state-dir", filepath.Join(t.TempDir(), "state"),
			"--endpoint", em.URL, "--progress", "never", "--max-rows", "5"}
		if code := run(context.Background(), args, &stdout, &stderr); code != tc.want {
			t.Errorf("token %q: exit %d, want %d\n%s", tc.token, code, tc.want, stderr.String())
		}
		if strings.Contains(stderr.String(), "temporary-key") || strings.Contains(stderr.String(), tc.token) {
			t.Errorf("token %q: a secret is in the output:\n%s", tc.token, stderr.String())
		}
	}
}

// A job pointed at an endpoint nothing listens on stops within a few
// requests with the fatal exit code and a clear message, instead of turning
// every row retryable.
func TestUnreachableServiceStopsTheJob(t *testing.T) {
	t.Setenv("TENCENTCLOUD_SECRET_ID", emulator.DemoSecretID)
	t.Setenv("TENCENTCLOUD_SECRET_KEY", emulator.DemoSecretKey)
	dir := filepath.Join(t.TempDir(), "state")
	args := []string{"run", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml",
		"--user-store-id", emulator.DemoUserStore, "--state-dir", dir, "--endpoint", "http://127.0.0.1:1",
		"--progress", "never"}
	var stdout, stderr bytes.Buffer
	start := time.Now()
	if code := run(context.Background(), args, &stdout, &stderr); code != exitFatal {
		t.Fatalf("exit %d, want %d\n%s", code, exitFatal, stderr.String())
	}
	if !strings.Contains(stderr.String(), "cannot reach the CIAM service") {
		t.Errorf("the message does not say the service is unreachable:\n%s", stderr.String())
	}
	retryable := reportColumn(t, filepath.Join(dir, "retryable.csv"), "line", "code")
	if len(retryable) > 0 {
		t.Errorf("%d rows were reported retryable; an unreachable service must leave them for the next run", len(retryable))
	}
	t.Logf("stopped after %s", time.Since(start).Round(time.Millisecond))
}
