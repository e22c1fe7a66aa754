package callcontrol

import (
	"fmt"

	"handset/mediapath/tone"
	"handset/sipstack"
)

// dial places a call to target: a new RTP stream, its offer, an INVITE.
func (p *Phone) dial(target string) {
	keyed := p.digits
	p.resetDialing()
	p.stopTone()
	p.lastDialed = target
	p.d.Notify(Dialed{Digits: keyed, Target: target})
	p.log.Debug("dial", "digits", keyed, "target", target)
	s, err := p.d.Media.NewStream()
	if err != nil {
		p.log.Error("dial: new stream", "err", err)
		p.fail(tone.Congestion, "no media stream")
		return
	}
	offer, err := s.Offer()
	if err != nil {
		p.log.Error("dial: sdp offer", "err", err)
		p.closeStream(s)
		p.fail(tone.Congestion, "no sdp offer")
		return
	}
	id, err := p.d.SIP.Dial(target, offer)
	if err != nil {
		p.log.Error("dial: invite", "target", target, "err", err)
		p.closeStream(s)
		p.fail(tone.Congestion, "invite not sent")
		return
	}
	p.active = &call{id: id, dir: DirectionOut, remote: target, stream: s, started: p.d.Clock.Now()}
	p.d.Notify(CallStarted{CallID: id, Direction: DirectionOut, Remote: target})
	p.setState(Calling, "invite sent")
}

// outgoing returns the call an outgoing-call event is about, or nil when it
// is stale (a call we already hung up or gave up).
func (p *Phone) outgoing(id string) *call {
	if c := p.active; c != nil && c.id == id && p.State() == Calling {
		return c
	}
	p.log.Debug("stale call event", "call", id, "state", p.State().String())
	return nil
}

// onProgress handles 18x: early media when it carries SDP, else ringback
// on 180.
func (p *Phone) onProgress(e sipstack.Progress) {
	c := p.outgoing(e.CallID)
	if c == nil {
		return
	}
	p.log.Debug("progress", "call", e.CallID, "code", e.Code, "sdp", len(e.SDP) > 0)
	if len(e.SDP) > 0 && !c.early {
		if err := c.stream.AcceptAnswer(e.SDP); err != nil {
			p.log.Warn("early media sdp", "call", c.id, "err", err)
		} else {
			c.early = true
			p.attach(c)
			p.stopTone()
			return
		}
	}
	if e.Code == 180 && !c.attached && p.curTone != tone.Ringback {
		p.playTone(tone.Ringback)
	}
}

// onAnswered handles the 2xx to our INVITE.
func (p *Phone) onAnswered(e sipstack.Answered) {
	c := p.outgoing(e.CallID)
	if c == nil {
		return
	}
	if !c.early {
		if err := c.stream.AcceptAnswer(e.SDP); err != nil {
			p.log.Error("answer sdp", "call", c.id, "err", err)
			p.hangup(c, "bad answer sdp")
			p.fail(tone.Congestion, "bad answer sdp")
			return
		}
	}
	p.connect(c, "answered")
}

// onFailed handles a final failure of our INVITE: busy tone for busy and
// decline, congestion for everything else.
func (p *Phone) onFailed(e sipstack.Failed) {
	c := p.outgoing(e.CallID)
	if c == nil {
		return
	}
	reason := fmt.Sprintf("%d %s", e.Code, e.Reason)
	p.finishCall(c, reason)
	switch e.Code {
	case 486, 600, 603:
		p.fail(tone.Busy, reason)
	default:
		p.fail(tone.Congestion, reason)
	}
}
