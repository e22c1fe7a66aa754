package callcontrol

import "time"

// slot names one of the phone's timers. Each slot holds at most one armed
// timer; arming it again replaces the old one.
type slot int

const (
	slotDial     slot = iota // off-hook, warm-line and inter-digit timers
	slotRing                 // the bell cadence
	slotWaitTone             // repeat of the call-waiting tone
	numSlots
)

// timerMsg carries a fired timer into the Run goroutine. Run closes done
// once it has handled the message.
type timerMsg struct {
	slot slot
	gen  uint64
	done chan struct{}
}

// arm (re)starts the timer of slot s.
//
// Timers are clock AfterFuncs that hand a message to the Run loop and wait
// until it is handled, so that a fake clock's Advance sees the timers the
// handler arms. A generation number per slot discards a timer that fired
// while it was being stopped or replaced.
func (p *Phone) arm(s slot, d time.Duration) {
	p.disarm(s)
	gen := p.gens[s]
	p.timers[s] = p.d.Clock.AfterFunc(d, func() { p.fire(s, gen) })
}

// disarm stops the timer of slot s, if any.
func (p *Phone) disarm(s slot) {
	if t := p.timers[s]; t != nil {
		t.Stop()
		p.timers[s] = nil
	}
	p.gens[s]++
}

// fire runs in the clock's goroutine (or inside a fake clock's Advance).
func (p *Phone) fire(s slot, gen uint64) {
	m := timerMsg{slot: s, gen: gen, done: make(chan struct{})}
	select {
	case p.timerCh <- m:
	case <-p.stopped:
		return
	}
	select {
	case <-m.done:
	case <-p.stopped:
	}
}

// onTimer handles a fired timer in the Run goroutine.
func (p *Phone) onTimer(m timerMsg) {
	if p.timers[m.slot] == nil || m.gen != p.gens[m.slot] {
		return // stopped or replaced after it fired
	}
	p.timers[m.slot] = nil
	p.gens[m.slot]++
	switch m.slot {
	case slotDial:
		p.onDialTimer()
	case slotRing:
		p.ringStep()
	case slotWaitTone:
		p.onWaitTone()
	}
}
