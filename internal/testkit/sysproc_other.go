//go:build !linux

package testkit

import "syscall"

// sysProcAttr has nothing to add where the kernel cannot kill a child when its
// parent dies; cleanups and Main stop the servers.
func sysProcAttr() *syscall.SysProcAttr { return nil }
