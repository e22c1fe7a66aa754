package callcontrol

import (
	"handset/mediapath/tone"
	"handset/sipstack"
)

// onIncoming handles a new inbound call: it rings when the phone is idle,
// waits behind the current call when call waiting is on, and is refused
// with 486 otherwise.
func (p *Phone) onIncoming(e sipstack.Incoming) {
	p.log.Debug("incoming", "call", e.CallID, "from", e.From, "state", p.State().String())
	switch st := p.State(); {
	case p.cfg.NotReady != "":
		p.reject(e.CallID, 480)
	case st == Idle:
		c := p.prepareIncoming(e)
		if c == nil {
			return
		}
		p.active = c
		p.d.Notify(CallStarted{CallID: c.id, Direction: DirectionIn, Remote: c.remote, DisplayName: c.displayName})
		p.startRinging()
		p.setState(Ringing, "incoming call")
	case st == Connected && p.cfg.CallWaiting && p.waiting == nil:
		c := p.prepareIncoming(e)
		if c == nil {
			return
		}
		p.waiting = c
		p.d.Notify(CallStarted{CallID: c.id, Direction: DirectionIn, Remote: c.remote, DisplayName: c.displayName})
		p.onWaitTone()
	default:
		p.reject(e.CallID, 486)
	}
}

// prepareIncoming negotiates the caller's offer and sends 180 Ringing. It
// returns nil, having refused the call, when that fails.
func (p *Phone) prepareIncoming(e sipstack.Incoming) *call {
	if len(e.SDP) == 0 {
		p.log.Warn("incoming call without sdp offer", "call", e.CallID)
		p.reject(e.CallID, 488)
		return nil
	}
	s, err := p.d.Media.NewStream()
	if err != nil {
		p.log.Error("incoming: new stream", "call", e.CallID, "err", err)
		p.reject(e.CallID, 480)
		return nil
	}
	ans, err := s.AcceptOffer(e.SDP)
	if err != nil {
		p.log.Warn("incoming: sdp offer", "call", e.CallID, "err", err)
		p.closeStream(s)
		p.reject(e.CallID, 488)
		return nil
	}
	if err := p.d.SIP.Ring(e.CallID); err != nil {
		p.log.Error("incoming: ring", "call", e.CallID, "err", err)
		p.closeStream(s)
		p.reject(e.CallID, 480)
		return nil
	}
	return &call{
		id: e.CallID, dir: DirectionIn, remote: e.From, displayName: e.DisplayName,
		stream: s, answer: ans, started: p.d.Clock.Now(),
	}
}

// answer picks up the ringing call.
func (p *Phone) answer() {
	c := p.active
	p.stopRinging()
	if err := p.d.SIP.Answer(c.id, c.answer); err != nil {
		p.log.Error("answer", "call", c.id, "err", err)
		p.finishCall(c, "answer failed")
		p.fail(tone.Congestion, "answer failed")
		return
	}
	p.connect(c, "answered")
}

// onFlash handles a hook flash. With a waiting call it drops the current
// call (if any is left) and answers the waiting one; after a failed or
// ended call it gives fresh dial tone. Hold and swap come later.
func (p *Phone) onFlash() {
	switch st := p.State(); {
	case st == Idle:
		p.lifted()
	case st == Ringing:
		p.answer()
	case (st == Connected || st == Disconnected) && p.waiting != nil:
		if p.active != nil {
			p.hangup(p.active, "local-hangup (flash)")
		}
		p.answerWaiting()
	case st == Failed || st == Disconnected:
		p.stopTone()
		p.lifted()
	default:
		p.log.Debug("hook flash ignored", "state", st.String())
	}
}

// answerWaiting answers the waiting call; the handset is up.
func (p *Phone) answerWaiting() {
	c := p.waiting
	p.waiting = nil
	p.disarm(slotWaitTone)
	p.stopTone()
	p.active = c
	if err := p.d.SIP.Answer(c.id, c.answer); err != nil {
		p.log.Error("answer waiting call", "call", c.id, "err", err)
		p.finishCall(c, "answer failed")
		p.fail(tone.Congestion, "answer failed")
		return
	}
	p.connect(c, "answered waiting call")
}

// ringWaiting rings the bell for the waiting call once the handset is down.
func (p *Phone) ringWaiting() {
	c := p.waiting
	p.waiting = nil
	p.disarm(slotWaitTone)
	p.active = c
	p.startRinging()
	p.setState(Ringing, "waiting call")
}

// onWaitTone plays the call-waiting tone and re-arms its repeat, while the
// call waits during a connected call.
func (p *Phone) onWaitTone() {
	if p.waiting == nil || p.State() != Connected {
		return
	}
	p.playTone(tone.CallWaiting)
	p.arm(slotWaitTone, callWaitingRepeat)
}
