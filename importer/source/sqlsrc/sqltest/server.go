package sqltest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"
)

// Password is the password of the servers' users. It has a quote, a space
// and non-ASCII so that quoting mistakes show.
const Password = `pä ss'w"rd-4711`

// Server is a throw-away database server.
type Server struct {
	Name    string // "postgres" or "mariadb"
	DSN     string // URL of the ciamtest database, user but no password
	Missing string // why the server is not there; "FAILED: ..." if it failed to start
	Stop    func() // stops it; nil when it is not there
}

// RunAs is the unprivileged account the servers run as when the caller is
// root; nil when not root.
type RunAs struct {
	uid, gid uint32
	name     string
}

// Unprivileged returns the account "nobody" when running as root, else nil.
func Unprivileged() (*RunAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("look up user nobody: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &RunAs{uid: uint32(uid), gid: uint32(gid), name: u.Username}, nil
}

// command returns cmd set to run as a (if set), with a quiet environment,
// and to die with the caller (see dieWithParent). The credential is Go's
// to set (not a server's --user switch, which would clear the death signal).
func (a *RunAs) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8", "TZ=UTC"}
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	dieWithParent(cmd.SysProcAttr)
	if a != nil {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: a.uid, Gid: a.gid}
	}
	return cmd
}

// mkdir makes a directory owned by a (if set), private to it. The parent
// must be reachable by a: the caller makes it 0755 (see Prepare).
func (a *RunAs) mkdir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if a != nil {
		return os.Chown(dir, int(a.uid), int(a.gid))
	}
	return nil
}

// Prepare makes dir (a fresh temp dir of the caller's) traversable by the
// unprivileged account, which owns the server directories inside it.
func Prepare(dir string) error { return os.Chmod(dir, 0o755) }

// run runs cmd and returns its output in the error when it fails.
func run(cmd *exec.Cmd) error {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", filepath.Base(cmd.Path), err, out.Bytes())
	}
	return nil
}

// portAttempts is how often a server is started on a new free port when the
// one it was given was taken before it could bind it (tests of several
// packages start servers side by side).
const portAttempts = 3

// portTaken tells, from a server's log, that its port was already in use.
func portTaken(log []byte) bool {
	return bytes.Contains(log, []byte("Address already in use")) || bytes.Contains(log, []byte("Bind on TCP/IP port"))
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago (a
// variable: a test hands out a taken one).
var freePort = func() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// newestBinary returns the last match of pattern in version order, or "".
func newestBinary(pattern string) string {
	m, _ := filepath.Glob(pattern)
	sort.Slice(m, func(i, j int) bool { return versionOf(m[i]) < versionOf(m[j]) })
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1]
}

// versionOf extracts the major version from /usr/lib/postgresql/15/bin/x.
func versionOf(path string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return n
}

// started is a server process started by Start: exited is closed once it
// has been waited for.
type started struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

// start starts cmd with its output in the file log (made anew), and waits for
// it in the background.
func start(cmd *exec.Cmd, log string) (*started, error) {
	f, err := os.OpenFile(log, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the child has its own copy
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", filepath.Base(cmd.Path), err)
	}
	p := &started{cmd: cmd, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	return p, nil
}

// stop sends sig (the server's quick clean shutdown) and kills the process
// if it has not exited after 30 s.
func (p *started) stop(sig syscall.Signal) {
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// waitFor calls ready until it succeeds, exited reports the process gone,
// or the deadline passes. It polls: the servers announce readiness only by
// accepting connections.
func waitFor(ctx context.Context, ready func(context.Context) error, exited <-chan struct{}) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		err := ready(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("server not ready: %w", errors.Join(ctx.Err(), err))
		case <-exited:
			return fmt.Errorf("server exited: %w", err)
		case <-tick.C:
		}
	}
}
