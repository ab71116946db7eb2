package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

// proc is what one ciam-import subprocess cost.
type proc struct {
	start  time.Time // when the launcher started it
	wall   time.Duration
	cpu    time.Duration // user + system
	maxRSS int64         // bytes: Rusage.Maxrss, via the launcher (see launchFlag)
	exit   int
	stdout []byte
	stderr []byte
}

// cpuPer1000 is CPU seconds per 1,000 rows.
func (p proc) cpuPer1000(rows int64) float64 {
	return p.cpu.Seconds() / float64(max(rows, 1)) * 1000
}

// runBin runs the ciam-import binary with args, through the launcher, with
// the emulator's demo key in its environment. Exit codes in ok are not
// errors.
func runBin(ctx context.Context, bin string, args []string, ok ...int) (proc, error) {
	self, err := os.Executable()
	if err != nil {
		return proc{}, err
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return proc{}, err
	}
	defer pr.Close()
	cmd := exec.CommandContext(ctx, self, append([]string{launchFlag, bin}, args...)...)
	cmd.Env = append(os.Environ(),
		"TENCENTCLOUD_SECRET_ID="+emulator.DemoSecretID, "TENCENTCLOUD_SECRET_KEY="+emulator.DemoSecretKey)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.ExtraFiles = &out, &errb, []*os.File{pw}
	if err := cmd.Start(); err != nil {
		pw.Close()
		return proc{}, err
	}
	pw.Close()
	u, rerr := readUsage(pr)
	if err := cmd.Wait(); err != nil || rerr != nil {
		return proc{}, fmt.Errorf("launch %s %s: %w: %s", bin, args[0], errOr(rerr, err), lastLines(errb.String(), 5))
	}
	p := proc{start: u.Start, wall: u.Wall, cpu: u.User + u.Sys, maxRSS: u.MaxRSS, exit: u.Exit,
		stdout: out.Bytes(), stderr: errb.Bytes()}
	if p.exit != 0 && !contains(ok, p.exit) {
		return p, fmt.Errorf("%s %s exited %d: %s", bin, args[0], p.exit, lastLines(errb.String(), 5))
	}
	return p, nil
}

func errOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// selfCPU is the CPU time this process (the emulator, the baseline) used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
