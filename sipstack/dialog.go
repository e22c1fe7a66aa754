package sipstack

import "github.com/emiago/sipgo/sip"

// In-dialog behaviour of a call: requests from the peer (BYE, INFO,
// re-INVITE, ACK), our 2xx and its retransmission, our BYE, and how
// in-dialog requests and responses are built.

// onRequest handles an in-dialog request. It reports false when the answer
// is deferred (a re-INVITE waiting for call control).
func (c *call) onRequest(m message) bool {
	req := m.req
	if req.IsAck() {
		c.onAck(req)
		return true
	}
	if !c.matches(req) || (c.outbound && c.state < stateUp) {
		c.u.reply(m.stx, req, 481, "Call/Transaction Does Not Exist")
		return true
	}
	seq := req.CSeq().SeqNo
	if c.remoteSeq != 0 && seq <= c.remoteSeq {
		c.u.reply(m.stx, req, 500, "Server Internal Error")
		return true
	}
	c.remoteSeq = seq
	switch req.Method {
	case sip.BYE:
		c.u.reply(m.stx, req, 200, "OK")
		if c.state == stateRinging {
			c.respondInvite(487, "Request Terminated", nil)
		}
		c.end(true, "bye")
		c.finished = true
	case sip.INFO:
		c.onInfo(m)
	case sip.INVITE:
		return c.onReinvite(m)
	default:
		c.u.reply(m.stx, req, 405, "Method Not Allowed", sip.NewHeader("Allow", allowMethods))
	}
	return true
}

// matches reports whether req belongs to this dialog (the Call-ID already
// does): its To tag is ours and its From tag the peer's.
func (c *call) matches(req *sip.Request) bool {
	from, to := req.From(), req.To()
	if from == nil || to == nil || req.CSeq() == nil {
		return false
	}
	lt, _ := to.Params.Get("tag")
	rt, _ := from.Params.Get("tag")
	return lt == c.localTag && rt == c.remoteTag
}

func (c *call) onInfo(m message) {
	body := m.req.Body()
	if len(body) == 0 {
		c.u.reply(m.stx, m.req, 200, "OK") // keep-alive INFO
		return
	}
	digit, known, ok := parseInfoDTMF(contentType(m.req), body)
	switch {
	case !known:
		c.u.reply(m.stx, m.req, 415, "Unsupported Media Type", sip.NewHeader("Accept", acceptTypes))
	case !ok:
		c.u.reply(m.stx, m.req, 400, "Bad DTMF Body")
	default:
		c.u.reply(m.stx, m.req, 200, "OK")
		c.u.emit(DTMF{CallID: c.id, Digit: digit})
	}
}

// onReinvite handles a peer's re-INVITE: an offer goes to call control as
// Updated and is answered by Answer (or by us after reinviteTimeout); an
// offerless re-INVITE gets our last SDP at once.
func (c *call) onReinvite(m message) bool {
	if c.ok != nil && m.req.CSeq().SeqNo > c.ok.CSeq().SeqNo {
		// The peer starts a new INVITE only after ACKing our 2xx (RFC 3261
		// §14.1); sipgo may hand us the two out of order, or the ACK got
		// lost. The re-INVITE stands in for the ACK.
		c.acked()
	}
	if c.state != stateUp || c.reinvite != nil || c.ok != nil {
		c.u.reply(m.stx, m.req, 500, "Server Internal Error", sip.NewHeader("Retry-After", "1"))
		return true
	}
	if ct := m.req.Contact(); ct != nil {
		c.target = *ct.Address.Clone()
	}
	offer := sdpBody(m.req)
	if offer == nil {
		c.sendOK(m.req, m.stx, c.localSDP)
		return true
	}
	c.reinvite = &m
	c.arm(timerReinvite, reinviteTimeout)
	c.u.emit(Updated{CallID: c.id, SDP: offer})
	return false
}

func (c *call) answerReinvite(sdp []byte) {
	m := c.reinvite
	c.reinvite = nil
	if c.timerFor == timerReinvite {
		c.stopTimer()
	}
	c.localSDP = sdp
	c.sendOK(m.req, m.stx, sdp)
	m.reply <- nil
}

// sendOK answers an INVITE (first or re-) with 200 and our SDP, and keeps
// resending it until the ACK (RFC 3261 §13.3.1.4).
func (c *call) sendOK(req *sip.Request, tx sip.ServerTransaction, sdp []byte) error {
	res := c.response(req, 200, "OK", sdp)
	// Timers are armed before the message goes out, so that whoever sees
	// the message (a test driving the fake clock) sees the timer too.
	c.ok, c.okTx = res, tx
	c.okEvery, c.okElapsed = sip.T1, 0
	c.arm(timerRetransmit, c.okEvery)
	if err := tx.Respond(res); err != nil {
		c.ok, c.okTx = nil, nil
		c.stopTimer()
		return err
	}
	return nil
}

func (c *call) retransmitOK() {
	if c.ok == nil {
		return
	}
	c.okElapsed += c.okEvery
	if c.okElapsed >= 64*sip.T1 {
		c.log.Warn("no ACK for our 200 OK; hanging up")
		c.ok, c.okTx = nil, nil
		c.sendBye("timeout")
		return
	}
	c.okEvery = min(2*c.okEvery, sip.T2)
	c.arm(timerRetransmit, c.okEvery)
	if err := c.okTx.Respond(c.ok); err != nil {
		c.log.Debug("resending 200 OK failed", "err", err)
	}
}

func (c *call) onAck(req *sip.Request) {
	if c.ok == nil || req.CSeq() == nil || req.CSeq().SeqNo != c.ok.CSeq().SeqNo {
		return
	}
	c.acked()
}

// acked stops resending our 2xx: its ACK came.
func (c *call) acked() {
	c.ok, c.okTx = nil, nil
	if c.timerFor == timerRetransmit {
		c.stopTimer()
	}
	if c.state == stateAnswering {
		c.state = stateUp
	}
}

// sendBye ends a confirmed (or answered) dialog from our side.
func (c *call) sendBye(reason string) {
	c.end(false, reason)
	c.ok, c.okTx = nil, nil
	if c.timerFor == timerRetransmit || c.timerFor == timerReinvite {
		c.stopTimer()
	}
	if m := c.reinvite; m != nil {
		c.reinvite = nil
		c.u.reply(m.stx, m.req, 487, "Request Terminated")
		m.reply <- nil
	}
	tx, err := c.u.cli.TransactionRequest(c.u.sendCtx, c.inDialogRequest(sip.BYE))
	if err != nil {
		c.log.Warn("cannot send BYE", "err", err)
		c.finished = true
		return
	}
	c.byeTx = tx
	c.watch(tx)
	c.state = stateByeing
}

// inDialogRequest builds a request inside the dialog (RFC 3261 §12.2.1.1).
func (c *call) inDialogRequest(method sip.RequestMethod) *sip.Request {
	req := sip.NewRequest(method, *c.target.Clone())
	req.SetTransport("UDP") // whatever transport the peer's URIs name: UDP is all we have
	for _, r := range c.routes {
		req.AppendHeader(&sip.RouteHeader{Address: *r.Clone()})
	}
	if len(c.routes) == 0 && !c.u.cfg.proxy.isZero() {
		req.SetDestination(c.u.cfg.proxy.addr())
	}
	fp := sip.NewParams()
	fp.Add("tag", c.localTag)
	req.AppendHeader(&sip.FromHeader{DisplayName: c.localName, Address: *c.localURI.Clone(), Params: fp})
	tp := sip.NewParams()
	if c.remoteTag != "" {
		tp.Add("tag", c.remoteTag)
	}
	req.AppendHeader(&sip.ToHeader{DisplayName: c.remoteName, Address: *c.remoteURI.Clone(), Params: tp})
	cid := sip.CallIDHeader(c.id)
	req.AppendHeader(&cid)
	if method != sip.ACK {
		c.localSeq++
	}
	req.AppendHeader(&sip.CSeqHeader{SeqNo: c.localSeq, MethodName: method})
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	req.AppendHeader(sip.NewHeader("User-Agent", c.u.cfg.userAgent))
	return req
}

// response builds our response to req: our To tag on everything but 100,
// our Contact on 101–299, our SDP when given.
func (c *call) response(req *sip.Request, code int, reason string, sdp []byte) *sip.Response {
	res := sip.NewResponseFromRequest(req, code, reason, nil)
	if to := res.To(); to != nil && code > 100 {
		to.Params.Add("tag", c.localTag)
	}
	if code > 100 && code < 300 {
		res.AppendHeader(c.u.contact())
	}
	if code >= 200 && code < 300 {
		res.AppendHeader(sip.NewHeader("Allow", allowMethods))
	}
	res.AppendHeader(sip.NewHeader("Server", c.u.cfg.userAgent))
	if len(sdp) > 0 {
		ct := sip.ContentTypeHeader("application/sdp")
		res.AppendHeader(&ct)
		res.SetBody(sdp)
	}
	return res
}
