package sim

import (
	"sync"

	"handset/hal"
)

// Bell is a simulated bell; OnChange (if set) hears every switch.
type Bell struct {
	mu       sync.Mutex
	on       bool
	OnChange func(on bool)
}

var _ hal.Bell = (*Bell)(nil)

// SetBell implements hal.Bell.
func (b *Bell) SetBell(on bool) error {
	b.mu.Lock()
	changed := b.on != on
	b.on = on
	f := b.OnChange
	b.mu.Unlock()
	if changed && f != nil {
		f(on)
	}
	return nil
}

// On reports whether the bell is sounding.
func (b *Bell) On() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.on
}

// Lamps are simulated status LEDs; OnChange (if set) hears every change.
type Lamps struct {
	mu       sync.Mutex
	state    map[hal.LED]hal.LEDPattern
	OnChange func(led hal.LED, p hal.LEDPattern)
}

var _ hal.Lamps = (*Lamps)(nil)

// SetLED implements hal.Lamps.
func (l *Lamps) SetLED(led hal.LED, p hal.LEDPattern) error {
	l.mu.Lock()
	if l.state == nil {
		l.state = make(map[hal.LED]hal.LEDPattern)
	}
	changed := l.state[led] != p
	l.state[led] = p
	f := l.OnChange
	l.mu.Unlock()
	if changed && f != nil {
		f(led, p)
	}
	return nil
}

// Pattern reports what led shows.
func (l *Lamps) Pattern(led hal.LED) hal.LEDPattern {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state[led]
}
