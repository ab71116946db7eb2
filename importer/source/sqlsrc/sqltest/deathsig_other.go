//go:build !linux

package sqltest

import "syscall"

// dieWithParent does nothing where there is no parent-death signal: the
// servers then outlive a test binary that dies without calling Stop.
func dieWithParent(*syscall.SysProcAttr) {}
