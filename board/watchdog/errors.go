package watchdog

import "errors"

// Errors a caller can branch on.
var (
	// ErrNotWatchdog reports a device path that is not a watchdog device.
	ErrNotWatchdog = errors.New("watchdog: not a watchdog device")
	// ErrUnsupported reports a system without the Linux watchdog API.
	ErrUnsupported = errors.New("watchdog: needs Linux")
)
