package testkit

import "syscall"

// sysProcAttr makes the kernel kill a server if the test binary dies without
// running its cleanups, as it does when go test's -timeout fires, so no server
// outlives its tests.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
