package sim

import (
	"errors"
	"fmt"

	"handset/hal"
)

var (
	errUnplugged  = fmt.Errorf("sim: sound card unplugged: %w", hal.ErrNoDevice)
	errUnderrun   = fmt.Errorf("sim: playback underrun: %w", hal.ErrXrun)
	errBusy       = errors.New("sim: sound card already open")
	errCardClosed = errors.New("sim: sound card closed")
	errClosed     = errors.New("sim: device closed")
	errFull       = errors.New("sim: too many events queued; is the phone running?")
)
