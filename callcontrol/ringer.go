package callcontrol

import "handset/hal"

// ringState is the bell's place in the ring cadence.
type ringState struct {
	active bool
	step   int // index in the cadence; even steps are "on"
}

// startRinging rings the bell for the active call, with the lamp blinking.
// The first "on" starts at once.
func (p *Phone) startRinging() {
	if p.ring.active {
		return
	}
	p.ring = ringState{active: true}
	p.bell(true)
	p.lamp(hal.LEDInCall, hal.LEDBlinkSlow)
	p.d.Notify(Ring{On: true, CallID: p.activeID()})
	p.arm(slotRing, p.cadence[0])
}

// ringStep moves to the next step of the cadence.
func (p *Phone) ringStep() {
	if !p.ring.active {
		return
	}
	p.ring.step = (p.ring.step + 1) % len(p.cadence)
	p.bell(p.ring.step%2 == 0)
	p.arm(slotRing, p.cadence[p.ring.step])
}

// stopRinging silences the bell. The in-call lamp is left to the caller.
func (p *Phone) stopRinging() {
	if !p.ring.active {
		return
	}
	p.disarm(slotRing)
	p.ring = ringState{}
	p.bell(false)
	p.d.Notify(Ring{On: false, CallID: p.activeID()})
}

// bell switches the bell; a failure is logged, never fatal.
func (p *Phone) bell(on bool) {
	if err := p.d.Bell.SetBell(on); err != nil {
		p.log.Warn("set bell", "on", on, "err", err)
	}
}

// activeID is the active call's ID, or "".
func (p *Phone) activeID() string {
	if p.active == nil {
		return ""
	}
	return p.active.id
}
