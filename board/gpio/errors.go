package gpio

import "errors"

// Errors a caller can branch on. Each is wrapped with the line's name.
var (
	// ErrNoLine reports a pin that names no line (or a chip that does not exist).
	ErrNoLine = errors.New("no such line")
	// ErrAmbiguous reports a bare line name found on more than one chip.
	ErrAmbiguous = errors.New("line name on more than one chip")
	// ErrBusy reports a line another program (or another job of this one) holds.
	ErrBusy = errors.New("line busy")
	// ErrNoChip reports that the system has no GPIO character device.
	ErrNoChip = errors.New("no GPIO chips (/dev/gpiochip*)")
	// ErrUnsupported reports a system without the GPIO character device API.
	ErrUnsupported = errors.New("GPIO character device needs Linux")
	// ErrIO reports a line the kernel refused to configure.
	ErrIO = errors.New("line configuration failed")
	// ErrClosed reports use of a line after Close.
	ErrClosed = errors.New("line closed")
)
