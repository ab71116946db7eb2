package sqltest

import "syscall"

// dieWithParent makes the kernel SIGKILL the process once the thread that
// started it exits: a server dies with the test binary, however that ends
// (a timeout panic, SIGKILL). Go sets it after any Credential switch, which
// would clear it. The thread is one of the Go runtime's, which stays for
// the process's life unless a goroutine exits while locked to it.
func dieWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
