package alsa

import (
	"syscall"

	"handset/hal"
)

// errnoKind maps one errno to its kind:
//   - EPIPE is an xrun; ESTRPIPE (the stream was suspended) is recovered
//     the same way, by reopening.
//   - ENODEV and ENXIO come from a card that was unplugged while open (the
//     kernel swaps in "disconnected" file operations); EBADFD from a stream
//     left in the DISCONNECTED (or another unusable) state; ENOENT from
//     opening a device node that is gone.
//   - EBUSY is a device another program holds.
func errnoKind(e syscall.Errno) error {
	switch e {
	case syscall.EPIPE, syscall.ESTRPIPE:
		return hal.ErrXrun
	case syscall.ENODEV, syscall.ENXIO, syscall.EBADFD, syscall.ENOENT:
		return hal.ErrNoDevice
	case syscall.EBUSY:
		return ErrBusy
	}
	return nil
}

// textErrnos lists the errnos whose text kindOf looks for in an error that
// lost its errno (yobert/alsa formats errors with %v).
func textErrnos() [7]syscall.Errno {
	return [...]syscall.Errno{syscall.EPIPE, syscall.ESTRPIPE, syscall.ENODEV, syscall.ENXIO, syscall.EBADFD, syscall.ENOENT, syscall.EBUSY}
}
