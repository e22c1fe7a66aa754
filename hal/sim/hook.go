package sim

import (
	"errors"
	"sync"

	"handset/hal"
)

// Hook is a simulated hook switch driven by Lift, Hang and Flash.
type Hook struct {
	clk    hal.Clock
	mu     sync.Mutex
	off    bool
	closed bool
	ch     chan hal.HookEvent
}

var _ hal.HookSwitch = (*Hook)(nil)

// NewHook returns a hook switch with the handset on the cradle.
func NewHook(clk hal.Clock) *Hook {
	return &Hook{clk: clk, ch: make(chan hal.HookEvent, 16)}
}

// Events implements hal.HookSwitch.
func (h *Hook) Events() <-chan hal.HookEvent { return h.ch }

// OffHook implements hal.HookSwitch.
func (h *Hook) OffHook() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.off
}

// Lift takes the handset off the cradle. Lifting a lifted handset does nothing.
func (h *Hook) Lift() error { return h.set(true, false) }

// Hang puts the handset down. Hanging up twice does nothing.
func (h *Hook) Hang() error { return h.set(false, false) }

// Flash reports a hook flash; the handset must be up.
func (h *Hook) Flash() error { return h.set(true, true) }

// Close implements hal.HookSwitch.
func (h *Hook) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.ch)
	}
	return nil
}

func (h *Hook) set(off, flash bool) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return errClosed
	}
	if flash && !h.off {
		return errors.New("sim: flash needs the handset off the hook")
	}
	if !flash && h.off == off {
		return nil
	}
	h.off = off
	select {
	case h.ch <- hal.HookEvent{OffHook: off, Flash: flash, At: h.clk.Now()}:
		return nil
	default:
		return errFull
	}
}
