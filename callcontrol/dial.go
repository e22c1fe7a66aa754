package callcontrol

import (
	"time"

	"handset/dialplan"
	"handset/hal"
	"handset/mediapath/tone"
)

// waitKind says what the dial timer (slotDial) is waiting for.
type waitKind int

const (
	waitNone     waitKind = iota
	waitFirstKey          // off-hook timer: no digit yet → congestion
	waitWarmLine          // warm line: no digit yet → dial the warm line
	waitShort             // a rule matches: send p.pending on expiry
	waitLong              // no rule matches yet: number incomplete on expiry
)

// lifted starts a fresh off-hook: hotline, or dial tone with the off-hook or
// warm-line timer.
func (p *Phone) lifted() {
	p.resetDialing()
	if p.cfg.NotReady != "" {
		p.lamp(hal.LEDError, hal.LEDOn)
		p.playTone(tone.Error)
		p.setState(Failed, "not ready: "+p.cfg.NotReady)
		return
	}
	if p.hotline != "" {
		p.dial(p.hotline)
		return
	}
	p.playTone(p.dialTone())
	p.setState(DialTone, "off-hook")
	if p.warmLine != "" {
		p.armDial(waitWarmLine, p.warmDelay)
		return
	}
	p.armDial(waitFirstKey, p.offHook)
}

// collect handles a key at dial tone or while dialling.
func (p *Phone) collect(ev hal.KeyEvent) {
	k := ev.Key
	if k.IsDTMF() {
		p.d.Media.PlayKeyTone(k)
	}
	if p.digits == "" {
		switch {
		case k == hal.KeyRedial || (k == '#' && p.lastDialed != ""):
			p.redial()
			return
		case ev.Long && p.cfg.SpeedDial[k] != "":
			p.dial(p.cfg.SpeedDial[k])
			return
		}
	}
	if !k.IsDTMF() {
		return
	}
	if p.digits == "" {
		p.stopTone()
		p.setState(Dialing, "digit")
	}
	p.stopDialTimer()
	if k == '#' && p.digits != "" {
		p.sendNow()
		return
	}
	if len(p.digits) >= maxDigits {
		p.fail(tone.Congestion, "too many digits")
		return
	}
	p.digits += string(k)
	p.apply(p.plan.Evaluate(p.digits))
}

// sendNow handles '#' after some digits: the map decides when '#' is part of
// one of its rules; otherwise '#' sends the digits before it, rewritten when
// the map matches them, as dialled when it does not. Barred stays barred.
func (p *Phone) sendNow() {
	with := p.digits + "#"
	if v := p.plan.Evaluate(with); v.Status == dialplan.Exact || v.Status == dialplan.Complete {
		p.digits = with
		p.apply(v)
		return
	}
	v := p.plan.Evaluate(p.digits)
	p.digits = with
	switch v.Status {
	case dialplan.Exact, dialplan.Complete:
		p.dial(v.Number)
	case dialplan.Barred:
		p.fail(tone.Congestion, "number barred")
	default:
		p.dial(with[:len(with)-1])
	}
}

// apply acts on the dial plan's verdict on the digits so far.
func (p *Phone) apply(v dialplan.Verdict) {
	p.log.Debug("dial plan", "digits", p.digits, "status", v.Status.String(), "number", v.Number, "wait", v.Wait)
	switch v.Status {
	case dialplan.Exact:
		p.dial(v.Number)
	case dialplan.Complete:
		if v.Wait <= 0 {
			p.dial(v.Number)
			return
		}
		p.pending = v.Number
		p.armDial(waitShort, v.Wait)
	case dialplan.Incomplete:
		wait := v.Wait
		if wait <= 0 {
			_, wait = p.plan.Timers()
		}
		p.armDial(waitLong, wait)
	case dialplan.Barred:
		p.fail(tone.Congestion, "number barred")
	default:
		p.fail(tone.Congestion, "no match in dial plan")
	}
}

// redial dials the last number dialled, if there is one.
func (p *Phone) redial() {
	if p.lastDialed == "" {
		p.log.Debug("nothing to redial")
		return
	}
	p.dial(p.lastDialed)
}

// onDialTimer handles the expiry of the off-hook or inter-digit timer.
func (p *Phone) onDialTimer() {
	w := p.dialWait
	p.dialWait = waitNone
	switch w {
	case waitFirstKey:
		p.fail(tone.Congestion, "no digit dialled")
	case waitWarmLine:
		p.dial(p.warmLine)
	case waitShort:
		p.dial(p.pending)
	case waitLong:
		p.fail(tone.Congestion, "number incomplete")
	}
}

// armDial starts the dial timer for w.
func (p *Phone) armDial(w waitKind, d time.Duration) {
	p.dialWait = w
	p.arm(slotDial, d)
}

// stopDialTimer stops the dial timer.
func (p *Phone) stopDialTimer() {
	p.dialWait = waitNone
	p.disarm(slotDial)
}

// resetDialing forgets the digits and stops the dial timer.
func (p *Phone) resetDialing() {
	p.stopDialTimer()
	p.digits, p.pending = "", ""
}

// fail ends dialling or a call attempt: tone k until on-hook.
func (p *Phone) fail(k tone.Kind, reason string) {
	p.resetDialing()
	p.playTone(k)
	p.setState(Failed, reason)
}
