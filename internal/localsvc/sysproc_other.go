//go:build !linux

package localsvc

import "syscall"

// sysProcAttr has nothing to add where the kernel cannot kill a child when its
// parent dies; the owner must call Stop.
func sysProcAttr() *syscall.SysProcAttr { return nil }
