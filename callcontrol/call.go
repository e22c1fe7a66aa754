package callcontrol

import (
	"time"

	"handset/hal"
	"handset/mediapath"
	"handset/mediapath/tone"
	"handset/sipstack"
)

// call is one call the phone knows of.
type call struct {
	id          string
	dir         string // DirectionIn or DirectionOut
	remote      string
	displayName string
	stream      Stream
	answer      []byte // incoming: our SDP answer, sent on pick-up
	started     time.Time
	connected   time.Time
	early       bool // outgoing: the peer's answer SDP already taken (early media)
	attached    bool // the stream is attached to the pump
}

// attach connects c's stream to the pump. A failure is logged: the call
// goes on without audio rather than being dropped.
func (p *Phone) attach(c *call) {
	if c.attached {
		return
	}
	if err := p.d.Media.Attach(c.stream); err != nil {
		p.log.Error("attach stream", "call", c.id, "err", err)
		return
	}
	c.attached = true
}

// connect makes c the connected call.
func (p *Phone) connect(c *call, reason string) {
	p.active = c
	p.attach(c)
	p.stopTone()
	c.connected = p.d.Clock.Now()
	p.lamp(hal.LEDInCall, hal.LEDOn)
	p.d.Notify(CallConnected{CallID: c.id, SetupTime: c.connected.Sub(c.started)})
	p.setState(Connected, reason)
}

// hangup ends c from our side (CANCEL or BYE) and forgets it.
func (p *Phone) hangup(c *call, reason string) {
	if err := p.d.SIP.Hangup(c.id); err != nil {
		p.log.Warn("hangup", "call", c.id, "err", err)
	}
	p.finishCall(c, reason)
}

// reject refuses an unanswered incoming call.
func (p *Phone) reject(id string, code int) {
	if err := p.d.SIP.Reject(id, code); err != nil {
		p.log.Warn("reject", "call", id, "code", code, "err", err)
	}
}

// finishCall releases c's media, reports CallEnded and forgets c. It sends
// nothing to SIP.
func (p *Phone) finishCall(c *call, reason string) {
	var st mediapath.Stats
	if c.attached {
		st = p.d.Media.Stats()
		p.d.Media.Detach()
		c.attached = false
	}
	p.closeStream(c.stream)
	var dur time.Duration
	if !c.connected.IsZero() {
		dur = p.d.Clock.Now().Sub(c.connected)
	}
	switch c {
	case p.active:
		p.active = nil
		p.lamp(hal.LEDInCall, hal.LEDOff)
	case p.waiting:
		p.waiting = nil
		p.disarm(slotWaitTone)
	}
	p.log.Debug("call ended", "call", c.id, "reason", reason, "duration", dur)
	p.d.Notify(CallEnded{CallID: c.id, Reason: reason, Duration: dur, Stats: st})
}

// closeStream closes a stream, logging a failure.
func (p *Phone) closeStream(s Stream) {
	if err := s.Close(); err != nil {
		p.log.Warn("close stream", "err", err)
	}
}

// onEnded handles the end of a call that the SIP side saw: the peer's BYE
// or CANCEL, or a dialog that died.
func (p *Phone) onEnded(e sipstack.Ended) {
	reason := e.Reason
	if e.ByPeer {
		reason = "remote-" + e.Reason
	}
	switch c := p.active; {
	case p.waiting != nil && e.CallID == p.waiting.id:
		w := p.waiting
		p.finishCall(w, reason)
		p.d.Notify(MissedCall{CallID: w.id, From: w.remote, DisplayName: w.displayName})
		if p.State() == Connected && p.curTone == tone.CallWaiting {
			p.stopTone()
		}
	case c == nil || c.id != e.CallID:
		p.log.Debug("stale call event", "call", e.CallID, "state", p.State().String())
	case p.State() == Ringing:
		p.stopRinging()
		p.finishCall(c, reason)
		p.d.Notify(MissedCall{CallID: c.id, From: c.remote, DisplayName: c.displayName})
		p.setState(Idle, "caller gave up")
	case p.State() == Calling:
		p.finishCall(c, reason)
		p.fail(tone.Congestion, reason)
	default: // Connected
		p.finishCall(c, reason)
		p.playTone(tone.Busy)
		p.setState(Disconnected, reason)
	}
}

// onUpdated answers the peer's re-INVITE (hold, resume, new address) of the
// connected call. An offer we cannot take is refused with 488; the call
// keeps its old media.
func (p *Phone) onUpdated(e sipstack.Updated) {
	c := p.active
	if c == nil || c.id != e.CallID || p.State() != Connected {
		p.log.Debug("stale call event", "call", e.CallID, "state", p.State().String())
		return
	}
	ans, err := c.stream.AcceptOffer(e.SDP)
	if err != nil {
		p.log.Warn("re-invite sdp", "call", c.id, "err", err)
		p.reject(c.id, 488)
		return
	}
	if err := p.d.SIP.Answer(c.id, ans); err != nil {
		p.log.Warn("answer re-invite", "call", c.id, "err", err)
	}
}
