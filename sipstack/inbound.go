package sipstack

import (
	"errors"
	"strings"
	"sync"

	"github.com/emiago/sipgo/sip"
)

// inState is the inbound side of a call: the INVITE we answer.
type inState struct {
	req        *sip.Request
	tx         sip.ServerTransaction
	finalSent  chan struct{} // closed once the INVITE has its final response
	finalOnce  sync.Once
	cancelled  chan struct{} // closed when the caller's CANCEL arrives
	cancelOnce sync.Once
}

func (s *inState) final()  { s.finalOnce.Do(func() { close(s.finalSent) }) }
func (s *inState) cancel() { s.cancelOnce.Do(func() { close(s.cancelled) }) }

// onInvite handles every INVITE. A new call must pass the ghost-call guard
// and carry an SDP offer (an offerless INVITE gets 488: we do not support
// the offer in the ACK). sipgo sends 100 Trying itself after 200 ms; we send
// it at once. The handler returns once the INVITE has its final answer,
// because sipgo ends the transaction when the handler returns.
func (u *UA) onInvite(req *sip.Request, tx sip.ServerTransaction) {
	if to := req.To(); to != nil && to.Params.Has("tag") {
		u.onInDialog(req, tx) // re-INVITE
		return
	}
	src := req.Source()
	trusted := u.guard.trusts(src)
	if !trusted && !u.cfg.allowDirect {
		u.log.Info("ghost-call guard: refused an INVITE that did not come from our server",
			"source", src, "uri", req.Recipient.String(), "from", fromValue(req))
		u.reply(tx, req, 403, "Forbidden")
		return
	}
	if problem := missingHeader(req); problem != "" {
		u.log.Info("bad INVITE", "source", src, "problem", problem)
		u.reply(tx, req, 400, problem)
		return
	}
	if ext := unsupportedRequire(req); ext != "" {
		u.reply(tx, req, 420, "Bad Extension", sip.NewHeader("Unsupported", ext))
		return
	}
	// A direct call must name us; calls through our server may be for any
	// DID the server routes to us.
	if !trusted && req.Recipient.User != "" && req.Recipient.User != u.cfg.user {
		u.reply(tx, req, 404, "Not Found")
		return
	}
	offer := sdpBody(req)
	if offer == nil {
		u.reply(tx, req, 488, "Not Acceptable Here", sip.NewHeader("Accept", "application/sdp"))
		return
	}

	c := u.newCall(req.CallID().Value(), false)
	from := req.From()
	c.localTag = randID(8)
	c.remoteTag, _ = from.Params.Get("tag")
	c.localURI = *req.To().Address.Clone()
	c.remoteURI, c.remoteName = *from.Address.Clone(), from.DisplayName
	c.remoteSeq = req.CSeq().SeqNo
	c.localSeq = 1
	c.target = *req.Contact().Address.Clone()
	for _, h := range req.GetHeaders("Record-Route") {
		if rr, ok := h.(*sip.RecordRouteHeader); ok {
			c.routes = append(c.routes, *rr.Address.Clone())
		}
	}
	c.in = inState{req: req, tx: tx, finalSent: make(chan struct{}), cancelled: make(chan struct{})}
	if !tx.OnCancel(func(*sip.Request) { c.in.cancel() }) {
		c.in.cancel() // cancelled (or gone) already
	}
	if err := u.addCall(c); err != nil {
		if errors.Is(err, ErrNotRunning) {
			u.reply(tx, req, 503, "Service Unavailable")
		} else {
			u.reply(tx, req, 482, "Loop Detected")
		}
		return
	}
	go c.run(u.runCtx, func() { c.startInbound(offer, src) })
	select {
	case <-c.in.finalSent:
	case <-c.done:
	}
}

func (c *call) startInbound(offer []byte, src string) {
	c.state = stateRinging
	c.respondInvite(100, "Trying", nil)
	from := c.in.req.From()
	c.u.emit(Incoming{
		CallID:      c.id,
		From:        from.Address.Addr(),
		FromUser:    from.Address.User,
		DisplayName: from.DisplayName,
		SDP:         offer,
		Source:      src,
	})
	c.arm(timerRing, ringTimeout)
}

// respondInvite answers the call's INVITE.
func (c *call) respondInvite(code int, reason string, sdp []byte) error {
	err := c.in.tx.Respond(c.response(c.in.req, code, reason, sdp))
	if code >= 200 {
		c.in.final()
	}
	return err
}

func (c *call) ring() error {
	if c.outbound || c.state != stateRinging {
		return ErrCallState
	}
	return c.respondInvite(180, "Ringing", nil)
}

func (c *call) answer(sdp []byte) error {
	if c.outbound || c.state != stateRinging {
		return ErrCallState
	}
	if err := c.sendOK(c.in.req, c.in.tx, sdp); err != nil {
		return err // most likely cancelled meanwhile: Ended follows
	}
	c.in.final()
	c.localSDP = sdp
	c.state = stateAnswering
	return nil
}

func (c *call) reject(code int) error {
	if c.outbound || c.state != stateRinging {
		return ErrCallState
	}
	err := c.respondInvite(code, reasonPhrase(code), nil)
	c.end(false, "reject")
	c.finished = true
	return err
}

// cancelledC and inviteDoneC watch the INVITE while it rings.
func (c *call) cancelledC() <-chan struct{} {
	if c.outbound || c.state != stateRinging {
		return nil
	}
	return c.in.cancelled
}

func (c *call) inviteDoneC() <-chan struct{} {
	if c.outbound || c.state != stateRinging {
		return nil
	}
	return c.in.tx.Done()
}

// onPeerCancel: sipgo already answered the CANCEL (200) and the INVITE (487).
func (c *call) onPeerCancel() {
	c.in.final()
	c.end(true, "cancel")
	c.finished = true
}

func (c *call) onInviteGone() {
	select {
	case <-c.in.cancelled:
		c.onPeerCancel()
		return
	default:
	}
	c.log.Warn("INVITE transaction ended while ringing", "err", c.in.tx.Err())
	c.in.final()
	c.end(false, "error")
	c.finished = true
}

// onInDialog hands BYE, INFO and re-INVITE to their call.
func (u *UA) onInDialog(req *sip.Request, tx sip.ServerTransaction) {
	var c *call
	if id := req.CallID(); id != nil {
		c = u.lookup(id.Value())
	}
	if c == nil || c.call(message{kind: msgRequest, req: req, stx: tx}) != nil {
		u.reply(tx, req, 481, "Call/Transaction Does Not Exist")
	}
}

// onAck hands an ACK for our 2xx to its call; ACKs get no response.
func (u *UA) onAck(req *sip.Request, _ sip.ServerTransaction) {
	if id := req.CallID(); id != nil {
		if c := u.lookup(id.Value()); c != nil {
			c.post(message{kind: msgRequest, req: req})
		}
	}
}

// onStrayCancel answers a CANCEL that matches no INVITE transaction.
func (u *UA) onStrayCancel(req *sip.Request, tx sip.ServerTransaction) {
	u.reply(tx, req, 481, "Call/Transaction Does Not Exist")
}

// onOptions answers capability queries and PBX qualify pings.
func (u *UA) onOptions(req *sip.Request, tx sip.ServerTransaction) {
	u.reply(tx, req, 200, "OK",
		sip.NewHeader("Allow", allowMethods),
		sip.NewHeader("Accept", acceptTypes),
		sip.NewHeader("Supported", ""),
	)
}

// onUnsupported answers methods we do not handle: 405 for SIP methods we
// know, 501 for the rest.
func (u *UA) onUnsupported(req *sip.Request, tx sip.ServerTransaction) {
	switch req.Method {
	case sip.REGISTER, sip.SUBSCRIBE, sip.NOTIFY, sip.REFER, sip.MESSAGE, sip.PRACK, sip.UPDATE, sip.PUBLISH:
		u.reply(tx, req, 405, "Method Not Allowed", sip.NewHeader("Allow", allowMethods))
	default:
		u.reply(tx, req, 501, "Not Implemented", sip.NewHeader("Allow", allowMethods))
	}
}

// missingHeader names what a new INVITE lacks for us to make a dialog of
// it; "" when nothing.
func missingHeader(req *sip.Request) string {
	switch {
	case req.CallID() == nil || req.CallID().Value() == "":
		return "Missing Call-ID"
	case req.From() == nil:
		return "Missing From"
	case req.To() == nil:
		return "Missing To"
	case req.CSeq() == nil:
		return "Missing CSeq"
	case req.CSeq().MethodName != req.Method:
		return "CSeq Method Mismatch"
	case req.Contact() == nil:
		return "Missing Contact"
	}
	return ""
}

// unsupportedRequire lists the option tags of Require headers; we support
// none (no 100rel, no timer).
func unsupportedRequire(req *sip.Request) string {
	var tags []string
	for _, h := range req.GetHeaders("Require") {
		for _, t := range strings.Split(h.Value(), ",") {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, t)
			}
		}
	}
	return strings.Join(tags, ", ")
}

// parseInfoDTMF reads a digit from an INFO body: application/dtmf-relay
// ("Signal=5\r\nDuration=160") or application/dtmf ("5"). known is false for
// other media types; ok is false for a body without a valid digit.
func parseInfoDTMF(mediaType string, body []byte) (digit rune, known, ok bool) {
	switch mediaType {
	case "application/dtmf-relay":
		for _, line := range strings.Split(string(body), "\n") {
			k, v, found := strings.Cut(line, "=")
			if found && strings.EqualFold(strings.TrimSpace(k), "signal") {
				digit, ok = dtmfDigit(strings.TrimSpace(v))
				return digit, true, ok
			}
		}
		return 0, true, false
	case "application/dtmf":
		digit, ok = dtmfDigit(strings.TrimSpace(string(body)))
		return digit, true, ok
	}
	return 0, false, false
}

// dtmfDigit maps a DTMF signal name to its key: 0–9, *, #, A–D, and the
// event codes 10–15 some gateways send instead (RFC 4733 numbering).
func dtmfDigit(s string) (rune, bool) {
	if len(s) == 1 {
		r := rune(s[0])
		switch {
		case r >= '0' && r <= '9', r == '*', r == '#', r >= 'A' && r <= 'D':
			return r, true
		case r >= 'a' && r <= 'd':
			return r - 'a' + 'A', true
		}
		return 0, false
	}
	switch s {
	case "10":
		return '*', true
	case "11":
		return '#', true
	case "12", "13", "14", "15":
		return rune('A' + s[1] - '2'), true
	}
	return 0, false
}

// reasonPhrase gives the usual phrase for the codes call control rejects
// with.
func reasonPhrase(code int) string {
	switch code {
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 480:
		return "Temporarily Unavailable"
	case 486:
		return "Busy Here"
	case 488:
		return "Not Acceptable Here"
	case 500:
		return "Server Internal Error"
	case 503:
		return "Service Unavailable"
	case 600:
		return "Busy Everywhere"
	case 603:
		return "Decline"
	}
	switch code / 100 {
	case 3:
		return "Redirect"
	case 4:
		return "Request Failed"
	case 5:
		return "Server Error"
	}
	return "Global Failure"
}

// fromValue returns req's From header value, "" when it has none.
func fromValue(req *sip.Request) string {
	if h := req.From(); h != nil {
		return h.Value()
	}
	return ""
}
