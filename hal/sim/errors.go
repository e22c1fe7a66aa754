package sim

import "errors"

var (
	errClosed = errors.New("sim: device closed")
	errFull   = errors.New("sim: too many events queued; is the phone running?")
)
