package ciamimport

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/mapping"
)

// readmeBlock is one ```sh example of the README, with the reason it is
// not run ("" to run it), from a `<!-- readme: REASON -->` line before it.
type readmeBlock struct {
	line int
	skip string
	text string
}

// readmeBlocks extracts the shell examples of path in order.
func readmeBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []readmeBlock
	var cur *readmeBlock
	skip := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case cur != nil && l == "```":
			out, cur = append(out, *cur), nil
		case cur != nil:
			cur.text += l + "\n"
		case l == "```sh":
			cur, skip = &readmeBlock{line: n, skip: skip}, ""
		case strings.HasPrefix(l, "<!-- readme: "):
			skip = strings.TrimSuffix(strings.TrimPrefix(l, "<!-- readme: "), " -->")
		case strings.TrimSpace(l) != "":
			skip = "" // a marker holds for the block right after it only
		}
	}
	return out
}

// Every shell example of the README runs as written, in order, in a copy of
// the repository as a fresh clone has it: `make demo`, then the rehearsal
// against the emulator, and the rest. Blocks marked <!-- readme: ... -->
// (a cloud account, your own files, Docker) are skipped, and only they. A
// command may exit 3 (done, with rows in the failure reports: the samples
// have bad rows on purpose); any other failure fails the test.
func TestREADMEExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs make demo and the README's rehearsal (~1 min)")
	}
	if os.Getenv("CIAM_README_TEST") != "" {
		t.Skip("inside a README example: not again")
	}
	var script strings.Builder
	script.WriteString("set -u\nset -E\ntrap 'rc=$?; [ $rc -eq 3 ] || { echo \"README example failed (exit $rc): $BASH_COMMAND\" >&2; exit 1; }' ERR\n")
	ran := 0
	for _, b := range readmeBlocks(t, "README.md") {
		if b.skip == "" && regexp.MustCompile(`(?m)^\s*make (test|unit|chaos|bench|fuzz|check)\b`).MatchString(b.text) {
			t.Errorf("README.md:%d runs a long make target: mark it <!-- readme: skip (...) -->", b.line)
			continue
		}
		if b.skip != "" {
			t.Logf("README.md:%d skipped (%s)", b.line, b.skip)
			continue
		}
		ran++
		script.WriteString("echo '--- README.md:" + strconv.Itoa(b.line) + "' >&2\n" + b.text)
	}
	if ran < 3 {
		t.Fatalf("only %d README examples run: the markers skip too much", ran)
	}
	dir := freshCopy(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.Env = append(cleanEnv(), "CIAM_README_TEST=1")
	out, err := cmd.CombinedOutput()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // an emulator a failed block left behind
	}
	if err != nil {
		t.Fatalf("README examples: %v\n%s", err, tail(string(out), 60))
	}
}

// freshCopy copies the files a clone would have (tracked, and new files
// not ignored) into a temporary directory.
func freshCopy(t *testing.T) string {
	t.Helper()
	list, err := exec.Command("git", "ls-files", "-co", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	dst := t.TempDir()
	for _, name := range strings.Fields(string(list)) {
		data, err := os.ReadFile(name)
		if err != nil {
			continue // deleted in the work tree
		}
		fi, _ := os.Stat(name)
		p := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// cleanEnv is the test's environment without credentials of its own.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TENCENTCLOUD_") && !strings.HasPrefix(kv, "CIAM_IMPORT_") {
			env = append(env, kv)
		}
	}
	return env
}

var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// The README and docs/ link nothing that is not in the repository, and the
// sample mappings they point at parse.
func TestDocsLinkOnlyWhatExists(t *testing.T) {
	docs, _ := filepath.Glob("docs/*.md")
	for _, doc := range append([]string{"README.md"}, docs...) {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range linkRE.FindAllStringSubmatch(string(data), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(doc), target)); err != nil {
				t.Errorf("%s links %s, which is not in the repository", doc, m[1])
			}
		}
	}
	maps, _ := filepath.Glob("samples/mapping-*.yaml")
	for _, m := range maps {
		if _, err := mapping.ParseFile(m); err != nil {
			t.Errorf("sample mapping: %v", err)
		}
	}
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
