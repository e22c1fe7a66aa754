//go:build unix && !linux

package testpeer

import "syscall"

// sysProcAttr puts a peer in its own process group.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
