package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// The hostile suite runs the real ciam-import binary (built once by
// chaosBinaries) against an in-process emulator, one temporary directory
// per case.

// hostileDeadline bounds one run of the binary in the hostile suite: every
// case is a few rows, so a run that takes longer is stuck (or unbounded).
const hostileDeadline = 60 * time.Second

// binRun is one finished run of the binary.
type binRun struct {
	code           int
	stdout, stderr string
	took           time.Duration
	maxRSS         int64 // bytes
}

// hostileEnv is the world of one case: its directory, the binary, an
// emulator and the state directory the runs use.
type hostileEnv struct {
	t     *testing.T
	bin   string
	dir   string // the case's directory: inputs, mapping, logs
	state string // dir/state, not created
	em    *emulator.Running
	runs  int
	// proc runs every run as the real binary (the default of
	// newHostileEnv; TestHostile runs most cases in process).
	proc bool
	// before is what the state directory held before the run under test,
	// when the case says it must not change.
	before map[string]string
	// lines is the report of every line, when a case works it out as it runs.
	lines map[int64]string
}

func newHostileEnv(t *testing.T, cfg emulator.Config) *hostileEnv {
	t.Helper()
	bin, _ := chaosBinaries(t)
	em, err := emulator.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() }) // registered before any process starts
	dir := t.TempDir()
	// The binary unless the caller says otherwise: only TestHostile sets
	// the credentials the in-process runs read from the environment.
	return &hostileEnv{t: t, bin: bin, dir: dir, state: filepath.Join(dir, "state"), em: em, proc: true}
}

// path is name inside the case's directory.
func (h *hostileEnv) path(name string) string { return filepath.Join(h.dir, name) }

// write writes content to name in the case's directory and returns its path.
func (h *hostileEnv) write(name, content string) string {
	h.t.Helper()
	p := h.path(name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		h.t.Fatal(err)
	}
	return p
}

// runArgs are the flags of a fresh run of input with mapping into the
// emulator's store, with the state in h.state.
func (h *hostileEnv) runArgs(input, mappingPath string, extra ...string) []string {
	return append([]string{"run", "--input", input, "--mapping", mappingPath, "--user-store-id", emulator.DemoUserStore,
		"--state-dir", h.state, "--endpoint", h.em.URL, "--rate", "0", "--progress", "never"}, extra...)
}

// exec runs the binary with args to its end; setup, if not nil, adjusts the
// command first.
func (h *hostileEnv) exec(setup func(*exec.Cmd), args ...string) binRun {
	h.t.Helper()
	h.runs++
	name := "run" + strings.Repeat("+", h.runs-1)
	start := time.Now()
	p := startImportWith(h.t, h.bin, h.dir, name, setup, args...)
	code := p.wait(h.t, hostileDeadline)
	r := binRun{code: code, took: time.Since(start), stderr: readAll(h.t, p.stderr),
		stdout: readAll(h.t, strings.TrimSuffix(p.stderr, ".stderr")+".stdout")}
	if ru, ok := p.state.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss << 10 // KiB on Linux
	}
	h.t.Logf("%s: exit %d in %s\n%s", strings.Join(args[:min(len(args), 1)], " "), code, r.took.Round(time.Millisecond), r.stderr)
	return r
}

// run runs args to their end: in this process (run, as main calls it)
// unless the case asked for the binary (h.proc), which a case needs to
// measure memory or to be killed or signalled.
func (h *hostileEnv) run(args ...string) binRun {
	h.t.Helper()
	if h.proc {
		return h.exec(nil, args...)
	}
	return h.inProcess(args...)
}

// inProcess runs args through run in this process, bounded by
// hostileDeadline. The credentials come from the environment TestHostile
// set, as the binary's do.
func (h *hostileEnv) inProcess(args ...string) binRun {
	h.t.Helper()
	h.runs++
	ctx, cancel := context.WithTimeout(context.Background(), hostileDeadline)
	defer cancel()
	var stdout, stderr lockedBuffer
	start := time.Now()
	code := run(ctx, args, &stdout, &stderr)
	r := binRun{code: code, took: time.Since(start), stdout: stdout.String(), stderr: stderr.String()}
	h.t.Logf("%s (in process): exit %d in %s\n%s", strings.Join(args[:min(len(args), 1)], " "), code, r.took.Round(time.Millisecond), r.stderr)
	return r
}

// lockedBuffer is a bytes.Buffer safe for the job's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func readAll(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantLines asserts that the reports of dir hold exactly the lines of want,
// each in the report want names, and no other line.
func wantLines(t *testing.T, dir string, want map[int64]string) {
	t.Helper()
	got := reportLines(t, dir)
	for line, file := range want {
		if files := got[line]; len(files) != 1 || files[0] != file {
			t.Errorf("line %d is in %v, want exactly %s", line, files, file)
		}
	}
	for line, files := range got {
		if _, ok := want[line]; !ok {
			t.Errorf("line %d is in %v, want it in no report", line, files)
		}
	}
}

// linesIn returns want for lines from..to, all in file.
func linesIn(from, to int64, file string) map[int64]string {
	m := map[int64]string{}
	for l := from; l <= to; l++ {
		m[l] = file
	}
	return m
}

// snapshotFiles reads every regular file of dir, by name, to tell later
// whether a refused run changed anything.
func snapshotFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if e.Type().IsRegular() {
			out[e.Name()] = readAll(t, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// sameFiles asserts dir holds what snapshotFiles saw, but for the lock: a
// refused run takes and releases it (and writes nothing else, not even a
// timeline of its own).
func sameFiles(t *testing.T, dir string, before map[string]string) {
	t.Helper()
	after := snapshotFiles(t, dir)
	before = maps.Clone(before)
	delete(before, "lock")
	delete(after, "lock")
	if b, a := slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)); !slices.Equal(b, a) {
		t.Errorf("the state directory held %v, now %v", b, a)
	}
	for name, content := range after {
		if was, ok := before[name]; ok && was != content {
			t.Errorf("%s changed", name)
		}
	}
}

// authProxy passes every call to the emulator, but answers the CreateUser
// calls after the first `after` with AuthFailure (a definite answer: nothing
// was done) while failing is set. It records the user names of the
// CreateUser calls it passed on while failing was set: the users the job
// under test created.
type authProxy struct {
	next    http.Handler
	after   int
	mu      sync.Mutex
	n       int
	failing bool
	passed  map[string]bool
}

func (p *authProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-TC-Action") == ciam.ActionCreateUser {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var req struct{ UserName string }
		_ = json.Unmarshal(body, &req)
		p.mu.Lock()
		p.n++
		n := p.n
		fail, failing := p.failing && n > p.after, p.failing
		if failing && !fail {
			p.passed[req.UserName] = true
		}
		p.mu.Unlock()
		if fail {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{
				"Error":     map[string]string{"Code": "AuthFailure.SecretIdNotFound", "Message": "the SecretId is not found"},
				"RequestId": fmt.Sprintf("auth-%d", n)}})
			return
		}
	}
	p.next.ServeHTTP(w, r)
}

func (p *authProxy) setFailing(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failing = on
}

// endlessBody answers every request with HTTP 200 and a JSON body that never
// ends, until the client goes away.
func endlessBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"Response":{"RequestId":"`)
	chunk := bytes.Repeat([]byte("a"), 64<<10)
	for {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}
