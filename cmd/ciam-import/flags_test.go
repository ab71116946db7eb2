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
		newJob         []string // required for a new job only
	}{
		{cmd: "retry", want: []string{"--state-dir", "--rate", "--max-duration"}, notWant: []string{"--input", "--mapping", "--restart", "--ledger", "retry-pass"},
			required: []string{"--state-dir"}},
		{cmd: "validate", want: []string{"--input", "--mapping", "--report-dir"}, notWant: []string{"--workers", "--restart", "--state-dir", "--user-store-id"},
			required: []string{"--input", "--mapping"}},
		{cmd: "run", want: []string{"--input", "--mapping", "--user-store-id", "--state-dir", "--ledger", "--restart", "--job-batch-size"},
			required: []string{"--state-dir"}, opts: []string{"--rate", "--workers"}, newJob: []string{"--input", "--mapping", "--user-store-id"}},
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
		for _, f := range c.newJob {
			if !strings.Contains(lines[f], "(required for a new job;") {
				t.Errorf("%s --help: %s not marked required for a new job: %q", c.cmd, f, lines[f])
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

// A bad flag is one line that names the flag as typed and says what to do.
func TestFlagErrorsSayWhatToDo(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"run", "--input-file", "x"}, []string{"unknown flag --input-file: did you mean --input?", "run --help"}},
		{[]string{"run", "-inptu", "x"}, []string{"unknown flag -inptu: did you mean --input?"}},
		{[]string{"retry", "--max-duration", "6"}, []string{"--max-duration 6: add a unit, e.g. 6h"}},
		{[]string{"run", "--rate", "fast"}, []string{`--rate "fast" is not a number`}},
		{[]string{"run", "--workers", "1.5"}, []string{`--workers "1.5" is not a whole number`}},
		{[]string{"run", "--restart=maybe"}, []string{"--restart takes no value"}},
		{[]string{"run", "--input"}, []string{"--input needs a value"}},
		{[]string{"status", "--state-dir", "x", "extra"}, []string{`unexpected argument "extra"`}},
		{[]string{"rnu"}, []string{`unknown command "rnu": did you mean run?`}},
		{append(sampleRun(), "--endpoint", "127.0.0.1:9000"), []string{"--endpoint 127.0.0.1:9000 has no scheme: write http://127.0.0.1:9000"}},
		{append(sampleRun(), "--workers", "0"), []string{"--workers must be from 1", "leave it out"}},
		{[]string{"run", "--input", "../../samples", "--mapping", "m", "--user-store-id", "u", "--state-dir", "s"}, []string{"is a directory", "samples/users.csv"}},
		{[]string{"validate", "--input", "users.txt", "--mapping", "../../samples/mapping-csv.yaml"}, []string{"--input users.txt: no such file"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			t.Chdir(t.TempDir())
			for i, a := range c.args { // the sample paths relative to the package
				if strings.HasPrefix(a, "../../") {
					c.args[i] = filepath.Join(pkgDir(t), a)
				}
			}
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), c.args, &stdout, &stderr); code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			out := stderr.String()
			if strings.Count(out, "\n") != 1 {
				t.Errorf("not one line: %q", out)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%q lacks %q", out, w)
				}
			}
		})
	}
}

var testPkgDir, _ = os.Getwd()

func pkgDir(*testing.T) string { return testPkgDir }

func sampleRun() []string {
	return []string{"run", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml", "--user-store-id", "u", "--state-dir", "s"}
}

// --version prints one line and exits 0; the help fits 100 columns.
func TestVersionAndHelpWidth(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--version"}, &stdout, &stderr); code != exitOK || !strings.HasPrefix(stdout.String(), "ciam-import ") {
		t.Errorf("--version: exit %d, %q", code, stdout.String())
	}
	for _, cmd := range []string{"run", "retry", "validate", "status", "report", "demo"} {
		stderr.Reset()
		run(context.Background(), []string{cmd, "--help"}, &stdout, &stderr)
		for _, line := range strings.Split(stderr.String(), "\n") {
			if len(line) > helpWidth {
				t.Errorf("%s --help: a line of %d columns: %q", cmd, len(line), line)
			}
		}
	}
}
