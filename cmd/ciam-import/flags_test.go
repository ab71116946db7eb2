package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every bad flag value is a usage error (exit 2) that names the flag, and
// nothing is written to the state directory.
func TestBadFlagsAreUsageErrors(t *testing.T) {
	bad := [][]string{
		{"--workers", "99999999999"}, {"--workers", "-1"}, {"--rate", "-1"}, {"--rate", "1e-300"}, {"--rate", "NaN"},
		{"--rate", "Inf"}, {"--timeout", "0"}, {"--stop-timeout", "0"}, {"--stop-timeout", "-1s"}, {"--max-rows", "-5"}, {"--max-duration", "-1h"}, {"--log-format", "xml"},
		{"--progress", "bogus"}, {"--region", ""}, {"--delimiter", ";;"}, {"--job-batch-size", "0"}, {"--bogus-flag", "1"},
		{"--input", "/nonexistent/users.csv"},
	}
	for _, b := range bad {
		t.Run(strings.Join(b, "="), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "state")
			args := append([]string{"run", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml",
				"--user-store-id", "us", "--state-dir", dir}, b...)
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), args, &stdout, &stderr); code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr.String())
			}
			name := strings.TrimPrefix(b[0], "--")
			if !strings.Contains(stderr.String(), name) && !strings.Contains(stderr.String(), "nonexistent") {
				t.Errorf("the error does not name %s: %s", b[0], stderr.String())
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("a refused run left %s behind (%v)", dir, err)
			}
		})
	}
}

// Each command's help lists only its own flags, with correct required marks.
func TestCommandHelpListsOnlyItsFlags(t *testing.T) {
	cases := []struct {
		cmd            string
		want, notWant  []string
		required, opts []string
	}{
		{cmd: "retry", want: []string{"--state-dir", "--rate", "--max-duration"}, notWant: []string{"--input", "--mapping", "--restart", "--ledger", "retry-pass"},
			required: []string{"--state-dir"}},
		{cmd: "validate", want: []string{"--input", "--mapping", "--report-dir"}, notWant: []string{"--workers", "--restart", "--state-dir", "--user-store-id"},
			required: []string{"--input", "--mapping"}},
		{cmd: "run", want: []string{"--input", "--mapping", "--user-store-id", "--state-dir", "--ledger", "--restart", "--job-batch-size"},
			required: []string{"--input", "--mapping", "--user-store-id", "--state-dir"}, opts: []string{"--rate", "--workers"}},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{c.cmd, "--help"}, &stdout, &stderr); code != exitOK {
			t.Errorf("%s --help: exit %d", c.cmd, code)
		}
		help := stderr.String()
		lines := map[string]string{}
		for _, l := range strings.Split(help, "\n") {
			if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(f[0], "--") {
				lines[f[0]] = l
			}
		}
		for _, f := range c.want {
			if lines[f] == "" {
				t.Errorf("%s --help lacks %s", c.cmd, f)
			}
		}
		for _, f := range c.notWant {
			if strings.Contains(help, f) {
				t.Errorf("%s --help lists %s, which it does not take", c.cmd, f)
			}
		}
		for _, f := range c.required {
			if !strings.Contains(lines[f], "(required)") {
				t.Errorf("%s --help: %s not marked required: %q", c.cmd, f, lines[f])
			}
		}
		for _, f := range c.opts {
			if strings.Contains(lines[f], "(required)") {
				t.Errorf("%s --help: %s marked required", c.cmd, f)
			}
		}
		if strings.Contains(help, "Example") == false {
			t.Errorf("%s --help has no example", c.cmd)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"validate", "--input", "x.csv", "--mapping", "m.yaml", "--workers", "3"}, &stdout, &stderr); code != exitUsage {
		t.Errorf("validate --workers: exit %d, want %d (a flag validate does not take)", code, exitUsage)
	}
}
