package state

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func lockInfo(cmd string) LockInfo {
	return LockInfo{PID: os.Getpid(), Host: "test-host", Started: time.Date(2025, 11, 29, 0, 0, 0, 0, time.UTC), Command: cmd}
}

func TestLock_Held(t *testing.T) {
	dir := t.TempDir()
	l, err := Lock(dir, lockInfo("import users.csv"))
	if err != nil {
		t.Fatal(err)
	}
	assertMode(t, filepath.Join(dir, LockFile), 0o600)

	_, err = Lock(dir, lockInfo("second"))
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second Lock = %v, want *LockedError", err)
	}
	if le.Holder != lockInfo("import users.csv") {
		t.Errorf("Holder = %+v", le.Holder)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("error %q does not name the holder", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(); err != nil {
		t.Errorf("second Unlock = %v", err)
	}
	l, err = Lock(dir, lockInfo("third"))
	if err != nil {
		t.Fatalf("Lock after Unlock: %v", err)
	}
	_ = l.Unlock()
}

// TestLock_StaleAfterSIGKILL: a child process takes the lock and is killed
// with SIGKILL; the kernel releases its flock and the lock is taken over.
func TestLock_StaleAfterSIGKILL(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), "STATE_TEST_LOCK_DIR="+dir)
	stdin, err := cmd.StdinPipe() // the child blocks reading it
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, lineChan(stdout, "locked"), deadline, "child to take the lock")

	_, err = Lock(dir, lockInfo("parent"))
	var le *LockedError
	if !errors.As(err, &le) || le.Holder.PID != cmd.Process.Pid {
		t.Fatalf("Lock while the child holds it = %v, want *LockedError naming pid %d", err, cmd.Process.Pid)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("child exit: %v, want killed", err)
	}
	l, err := Lock(dir, lockInfo("parent"))
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	defer l.Unlock()
	if got := readFile(t, filepath.Join(dir, LockFile)); !strings.Contains(got, `"command":"parent"`) {
		t.Errorf("lock file = %q, want the new holder's info", got)
	}
}

// lineChan sends on the returned channel once r yields a line equal to want.
func lineChan(r io.Reader, want string) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		s := bufio.NewScanner(r)
		for s.Scan() {
			if s.Text() == want {
				close(ch)
				break
			}
		}
		_, _ = io.Copy(io.Discard, r)
	}()
	return ch
}

// TestLockHelperProcess is not a test: TestLock_StaleAfterSIGKILL runs the
// test binary on it to hold a lock in another process.
func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv("STATE_TEST_LOCK_DIR")
	if dir == "" {
		t.Skip("helper process for TestLock_StaleAfterSIGKILL")
	}
	info := lockInfo("child")
	info.PID = os.Getpid()
	if _, err := Lock(dir, info); err != nil {
		fmt.Println("lock failed:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	_, _ = io.Copy(io.Discard, os.Stdin) // until killed
	os.Exit(0)
}
