package sqltest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv names, in a child test process, the server it starts and the
// directory it starts it in.
const helperEnv = "SQLTEST_HELPER_SERVER"

// helperReady is the line the child prints once its server is up.
const helperReady = "SQLTEST-HELPER-READY"

// TestHelperServer is not a test: re-executed by
// TestServersDieWithTheTestBinary with helperEnv set, it starts a server,
// says so, and waits to be killed.
func TestHelperServer(t *testing.T) {
	what, dir, ok := strings.Cut(os.Getenv(helperEnv), ":")
	if !ok {
		t.Skip("a helper process, run by TestServersDieWithTheTestBinary")
	}
	as, err := Unprivileged()
	if err != nil {
		t.Fatal(err)
	}
	start := map[string]func(string, *RunAs) Server{"postgres": StartPostgres, "mariadb": StartMariaDB}[what]
	s := start(dir, as)
	if s.Missing != "" {
		fmt.Println("MISSING", s.Missing)
		return
	}
	fmt.Println(helperReady)
	select {} // until killed
}

// A server started by a test binary that is then SIGKILLed (as a test
// timeout's panic or a killed go test leaves it) does not outlive it: the
// postmaster or mariadbd, and every process of the server, are gone within
// a deadline.
func TestServersDieWithTheTestBinary(t *testing.T) {
	dir, err := os.MkdirTemp("", "sqltest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := Prepare(dir); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, pidFile string }{
		{"postgres", "data/postmaster.pid"},
		{"mariadb", "pid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sdir := filepath.Join(dir, tc.name)
			child := startHelper(t, tc.name, sdir)
			pid := readPid(t, filepath.Join(sdir, tc.pidFile))
			procs := append([]int{pid}, childrenOf(pid)...)
			born := map[int]string{}
			for _, p := range procs {
				born[p] = startTime(p)
			}
			t.Cleanup(func() { // a failed check leaves no server behind
				for _, p := range procs {
					if alive(p, born[p]) {
						_ = syscall.Kill(p, syscall.SIGKILL)
					}
				}
			})
			if len(procs) < 2 && tc.name == "postgres" {
				t.Fatalf("the postmaster %d has no children: the test would prove less than it says", pid)
			}
			if err := child.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			_ = child.Wait()
			deadline := time.Now().Add(20 * time.Second)
			for _, p := range procs {
				for alive(p, born[p]) && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond) // polling /proc: there is no event to wait on
				}
				if alive(p, born[p]) {
					t.Errorf("process %d of the %s server (postmaster/mariadbd %d) still runs 20 s after its test binary was killed",
						p, tc.name, pid)
				}
			}
		})
	}
}

// startHelper re-executes the test binary to start the server what in
// dir, and returns once it says the server is up (skipping when the
// server is not installed, failing when it did not start).
func startHelper(t *testing.T, what, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServer$", "-test.timeout=10m")
	cmd.Env = append(os.Environ(), helperEnv+"="+what+":"+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	timeout := time.After(2 * time.Minute)
	for {
		select {
		case l, ok := <-lines:
			switch {
			case !ok:
				t.Fatalf("the helper process exited before its %s server was up", what)
			case l == helperReady:
				go func() { // drain, so the child never blocks on a full pipe
					for range lines {
					}
				}()
				return cmd
			case strings.HasPrefix(l, "MISSING "):
				if strings.HasPrefix(l, "MISSING FAILED") || os.Getenv("CI") != "" {
					t.Fatal(l)
				}
				t.Skip("SKIPPING: " + l)
			}
		case <-timeout:
			t.Fatalf("the helper process's %s server was not up after 2 minutes", what)
		}
	}
}

// readPid reads the first line of a server's pid file.
func readPid(t *testing.T, file string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(first)))
	if err != nil {
		t.Fatalf("pid file %s: %v", file, err)
	}
	return pid
}

// stat returns the fields of /proc/pid/stat after the command name, nil
// when there is no such process.
func stat(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:])) // state, ppid, ..., starttime at 19
}

// startTime is the process's start time in clock ticks since boot; ""
// when it is gone.
func startTime(pid int) string {
	if f := stat(pid); len(f) > 19 {
		return f[19]
	}
	return ""
}

// alive reports whether pid is still the process that started at born and
// has not exited (a zombie waiting for a reaper has).
func alive(pid int, born string) bool {
	f := stat(pid)
	return len(f) > 19 && f[19] == born && f[0] != "Z" && f[0] != "X"
}

// childrenOf returns the processes whose parent is pid.
func childrenOf(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if f := stat(p); err == nil && len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, p)
		}
	}
	return out
}
