package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// launchFlag makes this program a launcher: it runs the command after it
// and writes the command's resource usage as JSON to file descriptor 3.
//
// Why: Go starts children with vfork (CLONE_VM), and when a child calls
// exec, Linux folds the high-water RSS of the address space it leaves (the
// parent's) into the child's ru_maxrss (fs/exec.c, exec_mmap ->
// setmax_mm_hiwater_rss). Started from this process, which holds the
// emulator and generated data, every ciam-import would report this
// process's peak as its own. The launcher is small; the command it starts
// leaves the launcher's address space, so its Maxrss is its own.
const launchFlag = "-launch"

// usage is what the launcher reports about the command it ran.
type usage struct {
	Start  time.Time     `json:"start"` // just before the command was started
	Wall   time.Duration `json:"wall"`
	User   time.Duration `json:"user"`
	Sys    time.Duration `json:"sys"`
	MaxRSS int64         `json:"maxrss"` // bytes
	Exit   int           `json:"exit"`
	Err    string        `json:"err,omitempty"`
}

// launch runs args[0] with args[1:], stdio inherited, and reports its usage
// on fd 3. Its exit code is 0 unless it could not report.
func launch(args []string) int {
	report := os.NewFile(3, "usage")
	u := runMeasured(args)
	if err := json.NewEncoder(report).Encode(u); err != nil {
		fmt.Fprintf(os.Stderr, "bench launcher: %v\n", err)
		return 1
	}
	return 0
}

func runMeasured(args []string) usage {
	if len(args) == 0 {
		return usage{Exit: -1, Err: "nothing to launch"}
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	u := usage{Start: time.Now()}
	err := cmd.Run()
	u.Wall = time.Since(u.Start)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		u.Exit, u.Err = -1, err.Error()
		return u
	}
	st := cmd.ProcessState
	u.Exit, u.User, u.Sys = st.ExitCode(), st.UserTime(), st.SystemTime()
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		u.MaxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return u
}

// readUsage decodes the launcher's report.
func readUsage(r io.Reader) (usage, error) {
	var u usage
	if err := json.NewDecoder(r).Decode(&u); err != nil {
		return u, fmt.Errorf("read launcher report: %w", err)
	}
	if u.Err != "" {
		return u, errors.New(u.Err)
	}
	return u, nil
}
