package hal

import "time"

// HookEvent is one debounced change of the hook switch.
type HookEvent struct {
	// OffHook is true when the handset was lifted, false when it was put down.
	OffHook bool
	// Flash is true for a short on-hook that the driver recognised as a hook
	// flash; OffHook is then true (the handset is up again).
	Flash bool
	At    time.Time
}

// HookSwitch reports the handset cradle.
type HookSwitch interface {
	// Events delivers debounced hook changes. The channel closes on Close.
	Events() <-chan HookEvent
	// OffHook reports the current debounced state.
	OffHook() bool
	Close() error
}
