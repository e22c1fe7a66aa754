package board

import (
	"fmt"
	"sync"

	"handset/board/gpio"
	"handset/config"
	"handset/hal"
)

// Bell switches the ringer line and implements hal.Bell. It only knows on
// and off: call control plays the ring cadence. A bell that needs an
// alternating drive (a 20-25 Hz toggle of two coils) needs a driver board
// that makes it from this on/off line. A Bell without a line (no ringer
// pin) is silent and never fails.
type Bell struct {
	line gpio.Line // nil: no ringer fitted
	ring bool      // the level that rings

	mu     sync.Mutex
	closed bool
}

var _ hal.Bell = (*Bell)(nil)

// newBell drives the line to "off" and owns it from then on. line may be nil.
func newBell(line gpio.Line, active config.Active) (*Bell, error) {
	b := &Bell{line: line, ring: active != config.ActiveLow}
	if line != nil {
		if err := line.Output(!b.ring); err != nil {
			return nil, fmt.Errorf("ringer: %w", err)
		}
	}
	return b, nil
}

// SetBell implements hal.Bell.
func (b *Bell) SetBell(on bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	if b.line == nil {
		return nil
	}
	if err := b.line.Output(on == b.ring); err != nil {
		return fmt.Errorf("ringer: %w", err)
	}
	return nil
}

// Close switches the bell off and releases the line.
func (b *Bell) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || b.line == nil {
		b.closed = true
		return nil
	}
	b.closed = true
	err := b.line.Output(!b.ring)
	if cerr := b.line.Close(); err == nil {
		err = cerr
	}
	return err
}
