package bench

import "errors"

var (
	// ErrCapture reports that the loopback interface cannot be recorded.
	ErrCapture = errors.New("bench: wire capture")
	// ErrNoCall reports that a recording holds no complete call.
	ErrNoCall = errors.New("bench: no call on the wire")
	// ErrBadProc reports an unreadable /proc entry.
	ErrBadProc = errors.New("bench: bad /proc entry")
	// ErrBadTrace reports an unreadable audio trace.
	ErrBadTrace = errors.New("bench: bad audio trace")
)
