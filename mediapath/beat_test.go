package mediapath

import (
	"sync/atomic"
	"testing"

	"handset/hal"
	"handset/hal/sim"
)

// TestBeatEveryPeriod: the pump beats once per completed period, with the
// card present and while it is unplugged (the silent stand-in keeps time),
// so a watchdog fed by it resets only a stalled pump.
func TestBeatEveryPeriod(t *testing.T) {
	clk := hal.SystemClock{}
	card := sim.NewSoundCard(sim.SoundConfig{Rates: []int{8000}, Channels: []int{1}, Realtime: true}, clk)
	var beats atomic.Int64
	e, _ := testEngine(t, card, clk, func(c *Config) { c.Beat = func() { beats.Add(1) } })
	run(t, e)
	waitFor(t, "10 beats with the card", func() bool { return beats.Load() >= 10 })
	card.Unplug()
	n := beats.Load()
	waitFor(t, "10 beats without the card", func() bool { return beats.Load() >= n+10 })
}
