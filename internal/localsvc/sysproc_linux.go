package localsvc

import "syscall"

// sysProcAttr makes the kernel kill a server when the process that started it
// dies without stopping it, as a test binary does when go test's -timeout
// fires, so no server outlives its owner.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
