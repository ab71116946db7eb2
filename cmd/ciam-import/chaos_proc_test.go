package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The crash tests drive the real binaries: ciam-emulator as the service,
// ciam-import killed and restarted against it. This file builds and runs
// them.

// Emulator credentials the imports sign with (the emulator's demo defaults).
const (
	chaosSecretID  = "AKIDemulator"
	chaosSecretKey = "emulator-secret-key"
	chaosStore     = "d733b65803284091a998ab707d820726"
)

// Deadlines. They are generous: the tests must hold on a loaded 2-core CI
// machine, and nothing waits on them unless something is wrong.
const (
	startDeadline = 30 * time.Second // emulator prints its address
	runDeadline   = 3 * time.Minute  // one import run finishes on its own
	exitDeadline  = 30 * time.Second // a killed or signalled process is reaped
	pollEvery     = 2 * time.Millisecond
)

// binaries are built once per test binary, into binDir.
var (
	binDir    string
	buildOnce sync.Once
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// chaosBinaries builds ciam-import and ciam-emulator (with -race when the
// tests run with it) and returns their paths.
func chaosBinaries(t *testing.T) (importBin, emulatorBin string) {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "ciam-chaos-bin-")
		if buildErr != nil {
			return
		}
		for _, pkg := range []string{".", "../ciam-emulator"} {
			if buildErr = goBuild(binDir, pkg); buildErr != nil {
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatalf("build binaries: %v", buildErr)
	}
	return filepath.Join(binDir, "ciam-import"), filepath.Join(binDir, "ciam-emulator")
}

// goBuild builds pkg into dir with the go command that runs the tests.
func goBuild(dir, pkg string) error {
	gobin, err := exec.LookPath("go")
	if err != nil && os.Getenv("GOROOT") != "" {
		gobin, err = filepath.Join(os.Getenv("GOROOT"), "bin", "go"), nil
	}
	if err != nil {
		return err
	}
	out := filepath.Join(dir, filepath.Base(pkg))
	if pkg == "." {
		out = filepath.Join(dir, "ciam-import")
	}
	args := []string{"build", "-o", out}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command(gobin, append(args, pkg)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// firstLine is an io.Writer that keeps what it is given and closes ready
// at the first newline.
type firstLine struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan struct{}
	once  sync.Once
}

func (w *firstLine) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if bytes.IndexByte(w.buf.Bytes(), '\n') >= 0 {
		w.once.Do(func() { close(w.ready) })
	}
	return len(p), nil
}

func (w *firstLine) line() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	l, _, _ := strings.Cut(w.buf.String(), "\n")
	return l
}

// emulatorProc is a running ciam-emulator.
type emulatorProc struct {
	url    string
	stderr string // its log file
	http   *http.Client
}

// startEmulator runs the emulator binary on a free port with extra flags and
// waits, with a deadline, for its "listening on" line.
func startEmulator(t *testing.T, bin, logDir string, flags ...string) *emulatorProc {
	t.Helper()
	logPath := filepath.Join(logDir, "emulator.stderr")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	out := &firstLine{ready: make(chan struct{})}
	cmd := exec.Command(bin, append([]string{"--listen", "127.0.0.1:0"}, flags...)...)
	cmd.Stdout, cmd.Stderr = out, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	select {
	case <-out.ready:
	case <-exited:
		t.Fatalf("emulator exited before listening: %s", readTail(logPath))
	case <-time.After(startDeadline):
		t.Fatalf("emulator did not print its address within %s", startDeadline)
	}
	url, ok := strings.CutPrefix(out.line(), "listening on ")
	if !ok {
		t.Fatalf("emulator's first line is %q, want \"listening on URL\"", out.line())
	}
	return &emulatorProc{url: url, stderr: logPath, http: &http.Client{Timeout: 30 * time.Second}}
}

// debug GETs an /_emulator/ endpoint into v.
func (e *emulatorProc) debug(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := e.http.Get(e.url + "/_emulator/" + path)
	if err != nil {
		t.Fatalf("emulator %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("emulator %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("emulator %s: %v", path, err)
	}
}

// importProc is one run of the ciam-import binary.
type importProc struct {
	name   string
	cmd    *exec.Cmd
	stderr string // path of its captured stderr (stdout goes next to it)
	exited chan struct{}
	state  *os.ProcessState
	err    error
}

// startImport runs bin with args, credentials in the environment, and its
// output captured in logDir under name. It is killed at cleanup if still
// running.
func startImport(t *testing.T, bin, logDir, name string, args ...string) *importProc {
	t.Helper()
	return startImportWith(t, bin, logDir, name, nil, args...)
}

// startImportWith is startImport with setup, if not nil, applied to the
// command before it starts (its working directory, its stdin).
func startImportWith(t *testing.T, bin, logDir, name string, setup func(*exec.Cmd), args ...string) *importProc {
	t.Helper()
	p := &importProc{name: name, stderr: filepath.Join(logDir, name+".stderr"), exited: make(chan struct{})}
	errf, err := os.Create(p.stderr)
	if err != nil {
		t.Fatal(err)
	}
	outf, err := os.Create(filepath.Join(logDir, name+".stdout"))
	if err != nil {
		t.Fatal(err)
	}
	if len(args) > 0 && (args[0] == "run" || args[0] == "retry") {
		// The emulator answers a killed run's last requests within
		// milliseconds: the tests wait for those, not a real request
		// timeout, before a resume looks its rows in flight up.
		args = append(append([]string{}, args...), "--in-doubt-grace", testInDoubtGrace.String())
	}
	p.cmd = exec.Command(bin, args...)
	dieWithTest(p.cmd)
	p.cmd.Stdout, p.cmd.Stderr = outf, errf
	p.cmd.Env = append(os.Environ(), "TENCENTCLOUD_SECRET_ID="+chaosSecretID, "TENCENTCLOUD_SECRET_KEY="+chaosSecretKey)
	if setup != nil {
		setup(p.cmd)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		p.state = p.cmd.ProcessState
		errf.Close()
		outf.Close()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

func (p *importProc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// wait reaps the process within d and returns its exit code, or -1 if a
// signal ended it.
func (p *importProc) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(d):
		p.cmd.Process.Kill()
		<-p.exited
		t.Fatalf("%s did not exit within %s; stderr:\n%s", p.name, d, readTail(p.stderr))
	}
	return p.state.ExitCode()
}

// signalled returns the signal that ended the process, if one did.
func (p *importProc) signalled() (syscall.Signal, bool) {
	ws, ok := p.state.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return 0, false
	}
	return ws.Signal(), true
}

// kill SIGKILLs the process and reaps it. It reports whether the kill is
// what ended it (false: it had already exited on its own).
func (p *importProc) kill(t *testing.T) bool {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil && p.running() {
		t.Fatalf("kill %s: %v", p.name, err)
	}
	p.wait(t, exitDeadline)
	sig, ok := p.signalled()
	return ok && sig == syscall.SIGKILL
}

// waitUntil polls cond until it holds (true) or the process exits (false),
// failing the test after d.
func (p *importProc) waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) bool {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for !cond() {
		select {
		case <-p.exited:
			return cond()
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s did not happen within %s", p.name, what, d)
		}
	}
	return true
}

// readTail returns the last few KB of a log file, for failure messages.
func readTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if len(b) > 4096 {
		b = b[len(b)-4096:]
	}
	return string(b)
}

// testInDoubtGrace is the --in-doubt-grace of the binaries the tests start.
const testInDoubtGrace = 300 * time.Millisecond
