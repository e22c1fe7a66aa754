//go:build !linux

package alsa

import (
	"syscall"

	"handset/hal"
)

// errnoKind maps one errno to its kind. Outside Linux there is no ALSA;
// this keeps the package building so the phone still runs its simulator.
func errnoKind(e syscall.Errno) error {
	switch e {
	case syscall.EPIPE:
		return hal.ErrXrun
	case syscall.ENODEV, syscall.ENXIO, syscall.ENOENT:
		return hal.ErrNoDevice
	case syscall.EBUSY:
		return ErrBusy
	}
	return nil
}

// textErrnos lists the errnos whose text kindOf looks for.
func textErrnos() [5]syscall.Errno {
	return [...]syscall.Errno{syscall.EPIPE, syscall.ENODEV, syscall.ENXIO, syscall.ENOENT, syscall.EBUSY}
}
