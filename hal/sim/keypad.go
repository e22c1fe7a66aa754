package sim

import (
	"fmt"
	"sync"

	"handset/hal"
)

// Keypad is a simulated keypad driven by Press.
type Keypad struct {
	clk    hal.Clock
	mu     sync.Mutex
	closed bool
	ch     chan hal.KeyEvent
}

var _ hal.Keypad = (*Keypad)(nil)

// NewKeypad returns a keypad with room for a dialled number's worth of presses.
func NewKeypad(clk hal.Clock) *Keypad {
	return &Keypad{clk: clk, ch: make(chan hal.KeyEvent, 64)}
}

// Keys implements hal.Keypad.
func (k *Keypad) Keys() <-chan hal.KeyEvent { return k.ch }

// Press reports one press of key; long marks a long press.
func (k *Keypad) Press(key hal.Key, long bool) error {
	if !key.IsDTMF() && key != hal.KeyRedial && key != hal.KeyVolumeUp && key != hal.KeyVolumeDown {
		return fmt.Errorf("sim: no key %q on this keypad", rune(key))
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return errClosed
	}
	select {
	case k.ch <- hal.KeyEvent{Key: key, Long: long, At: k.clk.Now()}:
		return nil
	default:
		return errFull
	}
}

// Close implements hal.Keypad.
func (k *Keypad) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.closed {
		k.closed = true
		close(k.ch)
	}
	return nil
}
