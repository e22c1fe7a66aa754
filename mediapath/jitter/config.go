package jitter

import "time"

// Defaults for zero Config fields.
const (
	DefaultMinDelay   = 20 * time.Millisecond
	DefaultStartDelay = 40 * time.Millisecond
	DefaultMaxDelay   = 200 * time.Millisecond
	defaultSlots      = 64
	defaultMaxPayload = 320
	defaultClockRate  = 8000
	defaultPeriod     = 20 * time.Millisecond
	maxSlots          = 1 << 12
)

// Adaptation.
const (
	// window is how long the depth must stay unchanged before it
	// shrinks.
	window = 2 * time.Second
	// marginRing is how many packets' margins are kept (5 s of 20 ms
	// packets), minMargins how many are needed before deciding, and rank
	// how far in from the smallest or largest a percentile may be.
	marginRing = 256
	minMargins = 25
	rank       = 3
	// settlePackets is how many packets after the start pass before their
	// margins count.
	settlePackets = 10
	// guard is the safety margin kept above the earliest arrival seen.
	guard = 2 * time.Millisecond
	// maxBehind and maxAhead bound a packet's timestamp around the
	// playout point; beyond them the stream restarts there (a timestamp
	// jump).
	maxBehind = 4 * time.Second
	maxAhead  = 60 * time.Second
)

// Config sizes a Buffer.
type Config struct {
	// ClockRate is the RTP clock, e.g. 8000 (also for G.722).
	ClockRate int
	// Period is the engine's period, the unit of playout: 20 ms.
	Period time.Duration
	// MinDelay, StartDelay and MaxDelay bound the playout delay: it starts
	// at StartDelay (two packets) and moves between MinDelay and MaxDelay.
	MinDelay, StartDelay, MaxDelay time.Duration
	// Slots is the number of packets held: a power of two. It must cover
	// MaxDelay plus reordering; 64 (1.28 s of 20 ms packets) by default.
	Slots int
	// MaxPayload is the size of a slot in bytes, e.g. 320.
	MaxPayload int
}

// withDefaults fills zero fields and corrects unusable ones.
func (c Config) withDefaults() Config {
	if c.ClockRate <= 0 {
		c.ClockRate = defaultClockRate
	}
	if c.Period <= 0 {
		c.Period = defaultPeriod
	}
	if c.MinDelay <= 0 {
		c.MinDelay = DefaultMinDelay
	}
	if c.MaxDelay <= 0 {
		c.MaxDelay = DefaultMaxDelay
	}
	c.MaxDelay = max(c.MaxDelay, c.MinDelay)
	if c.StartDelay <= 0 {
		c.StartDelay = DefaultStartDelay
	}
	c.StartDelay = min(max(c.StartDelay, c.MinDelay), c.MaxDelay)
	slots := 2
	for slots < c.Slots || (c.Slots <= 0 && slots < defaultSlots) {
		slots *= 2
	}
	c.Slots = min(slots, maxSlots)
	if c.MaxPayload < 1 {
		c.MaxPayload = defaultMaxPayload
	}
	return c
}
