package main

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes cmd receive SIGKILL when the test binary dies, so a
// crashed or timed-out test leaves no import running.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
