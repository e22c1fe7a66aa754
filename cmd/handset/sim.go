package main

import (
	"io"

	"handset/console"
	"handset/hal"
	"handset/hal/sim"
)

// simParts are the simulated phone's parts; the console drives the hook
// and keypad, and bell and lamp changes are printed as events.
type simParts struct {
	hook  *sim.Hook
	keys  *sim.Keypad
	bell  *sim.Bell
	lamps *sim.Lamps
	card  *sim.SoundCard
}

var _ console.Panel = (*simParts)(nil)

// newSimParts makes a simulated phone whose card runs at rate, mono, in real
// time; speaker may be nil.
func newSimParts(clk hal.Clock, mic sim.Source, rate int, speaker io.WriteSeeker, out *console.Printer) *simParts {
	cfg := sim.SoundConfig{Rates: []int{rate}, Channels: []int{1}, Mic: mic, Realtime: true}
	if speaker != nil {
		cfg.Speaker = speaker
	}
	return newSimPartsWith(clk, cfg, out)
}

// newSimPartsWith makes a simulated phone with the sound card card.
func newSimPartsWith(clk hal.Clock, card sim.SoundConfig, out *console.Printer) *simParts {
	p := &simParts{
		hook:  sim.NewHook(clk),
		keys:  sim.NewKeypad(clk),
		bell:  &sim.Bell{},
		lamps: &sim.Lamps{},
	}
	if out != nil {
		p.bell.OnChange = func(on bool) { out.Print("bell", map[string]bool{"on": on}) }
		p.lamps.OnChange = func(led hal.LED, pat hal.LEDPattern) {
			out.Print("led", map[string]string{"led": string(led), "pattern": pat.String()})
		}
	}
	p.card = sim.NewSoundCard(card, clk)
	return p
}

func (p *simParts) parts() parts {
	return parts{Hook: p.hook, Keys: p.keys, Bell: p.bell, Lamps: p.lamps, Card: p.card}
}

// Lift implements console.Panel.
func (p *simParts) Lift() error { return p.hook.Lift() }

// Hang implements console.Panel.
func (p *simParts) Hang() error { return p.hook.Hang() }

// Flash implements console.Panel.
func (p *simParts) Flash() error { return p.hook.Flash() }

// Press implements console.Panel.
func (p *simParts) Press(k hal.Key, long bool) error { return p.keys.Press(k, long) }
