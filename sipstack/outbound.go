package sipstack

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/emiago/sipgo/sip"
)

const (
	// maxRedirects is how many 3xx hops one Dial follows.
	maxRedirects = 3
	// maxAuthTries is how many challenges one request answers: the second
	// only when the first nonce went stale.
	maxAuthTries = 2
)

// outState is the outbound side of a call: our INVITE.
type outState struct {
	invite      *sip.Request
	tx          sip.ClientTransaction
	final       bool // tx has its final response
	provisional bool // tx had a provisional response: CANCEL is allowed
	hangup      bool // Hangup came before the answer
	hops, auths int
	cancelTx    sip.ClientTransaction
}

// Dial starts a call to target with the SDP offer and returns its ID at
// once; Progress, Answered or Failed follow as events. target is dialled
// digits (sent as sip:DIGITS@domain) or a full sip:user@host[:port] URI.
func (u *UA) Dial(target string, offer []byte) (string, error) {
	if len(offer) == 0 {
		return "", fmt.Errorf("dial %q: %w", target, ErrNoSDP)
	}
	uri, err := buildTarget(target, u.cfg.domain)
	if err != nil {
		return "", fmt.Errorf("dial %q: %w", target, err)
	}
	c := u.newCall(randID(16), true)
	c.localTag = randID(8)
	c.localName = u.cfg.displayName
	c.remoteURI = *uri.Clone()
	c.remoteURI.UriParams, c.remoteURI.Headers = nil, nil
	c.localSeq = 1
	c.localSDP = slices.Clone(offer)
	if err := u.addCall(c); err != nil {
		return "", fmt.Errorf("dial %q: %w", target, err)
	}
	go c.run(u.runCtx, func() { c.startOutbound(uri) })
	return c.id, nil
}

// buildTarget turns dialled digits into sip:DIGITS@domain, or checks a
// full sip: URI.
func buildTarget(target string, domain hostPort) (sip.Uri, error) {
	if target == "" || hasControl(target) || strings.ContainsAny(target, " \t<>\"") {
		return sip.Uri{}, ErrBadTarget
	}
	if len(target) > 4 && strings.EqualFold(target[:4], "sip:") {
		var uri sip.Uri
		if err := sip.ParseUri(target, &uri); err != nil {
			return sip.Uri{}, fmt.Errorf("%w: %v", ErrBadTarget, err)
		}
		if uri.Host == "" || uri.Wildcard {
			return sip.Uri{}, fmt.Errorf("%w: no host", ErrBadTarget)
		}
		if tp, ok := uri.UriParams.Get("transport"); ok && !strings.EqualFold(tp, "udp") {
			return sip.Uri{}, fmt.Errorf("%w: transport %s (only UDP)", ErrBadTarget, tp)
		}
		uri.Scheme = "sip"
		return uri, nil
	}
	var user strings.Builder
	for i, r := range target {
		switch {
		case r >= '0' && r <= '9', r == '*':
			user.WriteRune(r)
		case r == '#':
			user.WriteString("%23")
		case r == '+' && i == 0:
			user.WriteRune(r)
		default:
			return sip.Uri{}, fmt.Errorf("%w: %q is neither digits nor a sip: URI", ErrBadTarget, target)
		}
	}
	if domain.isZero() {
		return sip.Uri{}, errNoDomain
	}
	return sip.Uri{Scheme: "sip", User: user.String(), Host: domain.host, Port: domain.port}, nil
}

func (c *call) startOutbound(target sip.Uri) {
	c.state = stateDialing
	c.localURI = c.u.aor()
	c.out.invite = c.makeInvite(target)
	c.sendInvite()
}

// makeInvite builds our INVITE to target. With an outbound proxy it carries
// a Route to it; without one, a target in our domain goes to the
// registrar.
func (c *call) makeInvite(target sip.Uri) *sip.Request {
	u := c.u
	req := sip.NewRequest(sip.INVITE, target)
	req.SetTransport("UDP")
	if !u.cfg.proxy.isZero() {
		req.AppendHeader(&sip.RouteHeader{Address: sip.Uri{
			Scheme: "sip", Host: u.cfg.proxy.host, Port: u.cfg.proxy.port,
			UriParams: sip.HeaderParams{{K: "lr"}},
		}})
	} else if !u.cfg.registrar.isZero() && strings.EqualFold(target.Host, u.cfg.domain.host) {
		req.SetDestination(u.cfg.registrar.addr())
	}
	fp := sip.NewParams()
	fp.Add("tag", c.localTag)
	req.AppendHeader(&sip.FromHeader{DisplayName: c.localName, Address: *c.localURI.Clone(), Params: fp})
	req.AppendHeader(&sip.ToHeader{Address: *c.remoteURI.Clone()})
	cid := sip.CallIDHeader(c.id)
	req.AppendHeader(&cid)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: c.localSeq, MethodName: sip.INVITE})
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	req.AppendHeader(u.contact())
	req.AppendHeader(sip.NewHeader("User-Agent", u.cfg.userAgent))
	req.AppendHeader(sip.NewHeader("Allow", allowMethods))
	ct := sip.ContentTypeHeader("application/sdp")
	req.AppendHeader(&ct)
	req.SetBody(c.localSDP)
	return req
}

// sendInvite sends out.invite in a new transaction (with a fresh Via).
func (c *call) sendInvite() {
	o := &c.out
	o.invite.RemoveHeader("Via")
	tx, err := c.u.cli.TransactionRequest(c.u.sendCtx, o.invite)
	if err != nil {
		c.log.Warn("cannot send INVITE", "err", err)
		c.fail(0, err.Error())
		c.finished = true
		return
	}
	o.tx, o.final, o.provisional = tx, false, false
	c.watch(tx)
}

func (c *call) onInviteResponse(res *sip.Response) {
	o := &c.out
	code := res.StatusCode
	if code < 200 {
		o.provisional = true
		if o.hangup && o.cancelTx == nil {
			c.sendCancel()
		}
		if code > 100 && !c.ended {
			c.u.emit(Progress{CallID: c.id, Code: code, Reason: res.Reason, SDP: sdpBody(res)})
		}
		return
	}
	o.final = true
	if code < 300 {
		c.onAnswered(res)
		return
	}
	if !c.ended {
		switch {
		case code == 401 || code == 407:
			if c.retryAuth(res) {
				return
			}
		case code < 400:
			if c.followRedirect(res) {
				return
			}
		}
		c.log.Info("call failed", "code", code, "reason", res.Reason)
		c.fail(code, res.Reason)
	}
	c.finished = true
}

// onInviteTxDone: the INVITE transaction ended. Without a final response
// that is a timeout (Timer B) or a transport error.
func (c *call) onInviteTxDone() {
	if c.out.final || c.state > stateCancelling {
		return
	}
	err := c.out.tx.Err()
	if errors.Is(err, sip.ErrTransactionTimeout) {
		c.fail(408, "Request Timeout")
	} else {
		c.fail(0, fmt.Sprintf("no answer: %v", err))
	}
	c.finished = true
}

// onAnswered takes the 2xx: set up the dialog, ACK, and report it — or,
// when we hung up meanwhile (the 200 crossed our CANCEL), BYE at once.
func (c *call) onAnswered(res *sip.Response) {
	o := &c.out
	if to := res.To(); to != nil {
		c.remoteTag, _ = to.Params.Get("tag")
	}
	c.target = *o.invite.Recipient.Clone()
	if ct := res.Contact(); ct != nil {
		c.target = *ct.Address.Clone()
	}
	rrs := res.GetHeaders("Record-Route")
	for i := len(rrs) - 1; i >= 0; i-- {
		if rr, ok := rrs[i].(*sip.RecordRouteHeader); ok {
			c.routes = append(c.routes, *rr.Address.Clone())
		}
	}
	ack := c.inDialogRequest(sip.ACK)
	if err := c.u.cli.WriteRequest(ack); err != nil {
		c.log.Warn("cannot send ACK", "err", err)
	}
	// The 200 is resent until our ACK gets through: ACK each copy.
	again := ack.Clone()
	cli := c.u.cli
	o.tx.OnRetransmission(func(r *sip.Response) {
		if r.IsSuccess() {
			cli.WriteRequest(again.Clone())
		}
	})
	if o.hangup || c.ended {
		c.sendBye("cancel")
		return
	}
	c.state = stateUp
	c.log.Info("call answered")
	c.u.emit(Answered{CallID: c.id, SDP: sdpBody(res)})
}

// retryAuth answers a 401/407 challenge, but only from our own servers: a
// digest sent to a stranger can be cracked offline.
func (c *call) retryAuth(res *sip.Response) bool {
	o := &c.out
	switch {
	case o.auths >= maxAuthTries:
		return false
	case o.auths > 0 && !isStale(res):
		c.log.Warn("credentials rejected", "code", res.StatusCode)
		return false
	case !c.u.guard.trusts(res.Source()):
		c.log.Warn("not answering a digest challenge from a stranger", "source", res.Source())
		return false
	}
	if err := authorize(o.invite, res, c.u.cfg.authUser, c.u.cfg.password); err != nil {
		c.log.Warn("cannot answer challenge", "err", err)
		return false
	}
	o.auths++
	c.localSeq++
	o.invite.CSeq().SeqNo = c.localSeq
	c.sendInvite()
	return true
}

// followRedirect re-sends the INVITE to the first Contact of a 3xx.
func (c *call) followRedirect(res *sip.Response) bool {
	o := &c.out
	ct := res.Contact()
	if o.hops >= maxRedirects || ct == nil || (ct.Address.Scheme != "" && ct.Address.Scheme != "sip") || ct.Address.Host == "" {
		return false
	}
	target := *ct.Address.Clone()
	target.Scheme, target.Headers = "sip", nil
	o.hops++
	o.auths = 0
	c.localSeq++
	c.log.Info("following redirect", "code", res.StatusCode, "to", target.String())
	o.invite = c.makeInvite(target)
	c.sendInvite()
	return true
}

// cancelOutbound hangs up an unanswered outbound call. CANCEL may only go
// once a provisional response came (RFC 3261 §9.1); until then it waits.
func (c *call) cancelOutbound(reason string) {
	c.end(false, reason)
	c.state = stateCancelling
	c.out.hangup = true
	if c.out.provisional {
		c.sendCancel()
	}
}

// sendCancel cancels our INVITE: same Request-URI, Call-ID, From, To, CSeq
// number and top Via as the INVITE (RFC 3261 §9.1).
func (c *call) sendCancel() {
	inv := c.out.invite
	cancel := sip.NewRequest(sip.CANCEL, *inv.Recipient.Clone())
	cancel.AppendHeader(inv.Via().Clone())
	sip.CopyHeaders("Route", inv, cancel)
	cancel.AppendHeader(sip.HeaderClone(inv.From()))
	cancel.AppendHeader(sip.HeaderClone(inv.To()))
	cancel.AppendHeader(sip.HeaderClone(inv.CallID()))
	cancel.AppendHeader(&sip.CSeqHeader{SeqNo: inv.CSeq().SeqNo, MethodName: sip.CANCEL})
	mf := sip.MaxForwardsHeader(70)
	cancel.AppendHeader(&mf)
	cancel.AppendHeader(sip.NewHeader("User-Agent", c.u.cfg.userAgent))
	cancel.SetBody(nil)
	cancel.SetTransport("UDP")
	cancel.SetDestination(inv.Destination())
	tx, err := c.u.cli.TransactionRequest(c.u.sendCtx, cancel, c.u.withLaddr)
	if err != nil {
		c.log.Warn("cannot send CANCEL", "err", err)
		c.out.tx.Terminate()
		c.finished = true
		return
	}
	c.out.cancelTx = tx
	c.watch(tx)
	c.arm(timerCancel, 64*sip.T1)
}
