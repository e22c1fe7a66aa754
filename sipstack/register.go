package sipstack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"handset/hal"
)

// regError is a failed REGISTER: the status (0 for no answer) and why.
type regError struct {
	code   int
	reason string
}

func (e *regError) Error() string { return fmt.Sprintf("REGISTER: %d %s", e.code, e.reason) }

// registration keeps our binding at the registrar. One Call-ID and From tag
// serve every REGISTER of this run (RFC 3261 §10.2); CSeq counts up.
type registration struct {
	u       *UA
	callID  string
	fromTag string
	cseq    uint32
	expiry  time.Duration // what we ask for; raised by a 423
	bo      *backoff
}

// register runs until ctx ends: register, refresh at half the granted time,
// back off after failures (never giving up), and un-register at the end.
func (u *UA) register(ctx context.Context) {
	r := &registration{u: u, callID: randID(16), fromTag: randID(8), expiry: u.cfg.expiry, bo: newBackoff()}
	name := u.cfg.registrar.String()
	registered := false
	for ctx.Err() == nil {
		// Our servers' addresses may change; the ghost-call guard follows.
		if err := u.guard.refresh(ctx, net.DefaultResolver, []hostPort{u.cfg.registrar, u.cfg.proxy}); err != nil {
			u.log.Warn("cannot resolve our SIP servers", "err", err)
		}
		granted, err := r.once(ctx, r.expiry)
		if ctx.Err() != nil {
			break
		}
		var t hal.Timer
		// The timer is armed before the event goes out, so whoever reacts
		// to the event sees the timer running.
		if err == nil {
			if granted <= 0 {
				granted = r.expiry // a 2xx granting nothing: keep our own pace
			}
			registered = true
			r.bo.reset()
			t = u.clk.NewTimer(refreshIn(granted))
			u.log.Info("registered", "registrar", name, "expires", granted)
			u.emit(Registered{Registrar: name, Expires: granted})
		} else {
			wait := r.bo.next()
			t = u.clk.NewTimer(wait)
			var re *regError
			if !errors.As(err, &re) {
				re = &regError{reason: err.Error()}
			}
			u.log.Warn("registration failed", "registrar", name, "code", re.code, "reason", re.reason, "retry_in", wait)
			u.emit(RegistrationFailed{Registrar: name, Code: re.code, Reason: re.reason, RetryIn: wait})
		}
		select {
		case <-t.C():
		case <-ctx.Done():
			t.Stop()
		}
	}
	if !registered {
		return
	}
	// Remove the binding, bounded so that a dead registrar cannot hold up
	// the shutdown.
	bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	deadline := u.clk.AfterFunc(stopTimeout, cancel)
	defer deadline.Stop()
	if _, err := r.once(bctx, 0); err != nil {
		u.log.Warn("un-REGISTER failed", "registrar", name, "err", err)
		return
	}
	u.log.Info("unregistered", "registrar", name)
	u.emit(Unregistered{Registrar: name})
}

// once sends one REGISTER asking for expiry (0 removes the binding),
// answering digest challenges and a 423, and returns the granted time.
func (r *registration) once(ctx context.Context, expiry time.Duration) (time.Duration, error) {
	req := r.build(expiry)
	auths, raised := 0, false
	for {
		res, err := r.u.cli.Do(ctx, req)
		if err != nil {
			if errors.Is(err, sip.ErrTransactionTimeout) {
				return 0, &regError{code: 408, reason: "Request Timeout"}
			}
			return 0, &regError{reason: err.Error()}
		}
		code := res.StatusCode
		switch {
		case code >= 200 && code < 300:
			return grantedExpiry(res, r.u.contact().Address, expiry), nil
		case code == 401 || code == 407:
			if auths > 0 && !isStale(res) {
				return 0, &regError{code: code, reason: "credentials rejected: " + res.Reason}
			}
			if auths >= maxAuthTries {
				return 0, &regError{code: code, reason: res.Reason}
			}
			if !r.u.guard.trusts(res.Source()) {
				return 0, &regError{code: code, reason: "challenge from unexpected source " + res.Source()}
			}
			if err := authorize(req, res, r.u.cfg.authUser, r.u.cfg.password); err != nil {
				return 0, &regError{code: code, reason: err.Error()}
			}
			auths++
		case code == 423 && !raised:
			minExp := headerSeconds(res, "Min-Expires")
			if minExp <= expiry || expiry == 0 {
				return 0, &regError{code: code, reason: res.Reason}
			}
			raised, expiry, r.expiry = true, minExp, minExp
			setExpires(req, expiry)
		default:
			reason := res.Reason
			if code == 403 && auths > 0 {
				reason = "credentials rejected: " + reason
			}
			return 0, &regError{code: code, reason: reason}
		}
		r.cseq++
		req.CSeq().SeqNo = r.cseq
		req.RemoveHeader("Via")
	}
}

// build makes a REGISTER for our AOR at the registrar (through the outbound
// proxy when there is one).
func (r *registration) build(expiry time.Duration) *sip.Request {
	u := r.u
	req := sip.NewRequest(sip.REGISTER, sip.Uri{Scheme: "sip", Host: u.cfg.domain.host, Port: u.cfg.domain.port})
	req.SetTransport("UDP")
	if !u.cfg.proxy.isZero() {
		req.AppendHeader(&sip.RouteHeader{Address: sip.Uri{
			Scheme: "sip", Host: u.cfg.proxy.host, Port: u.cfg.proxy.port,
			UriParams: sip.HeaderParams{{K: "lr"}},
		}})
	} else {
		req.SetDestination(u.cfg.registrar.addr())
	}
	aor := u.aor()
	fp := sip.NewParams()
	fp.Add("tag", r.fromTag)
	req.AppendHeader(&sip.FromHeader{DisplayName: u.cfg.displayName, Address: aor, Params: fp})
	req.AppendHeader(&sip.ToHeader{DisplayName: u.cfg.displayName, Address: *aor.Clone()})
	cid := sip.CallIDHeader(r.callID)
	req.AppendHeader(&cid)
	r.cseq++
	req.AppendHeader(&sip.CSeqHeader{SeqNo: r.cseq, MethodName: sip.REGISTER})
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	req.AppendHeader(u.contact())
	setExpires(req, expiry)
	req.AppendHeader(sip.NewHeader("User-Agent", u.cfg.userAgent))
	req.AppendHeader(sip.NewHeader("Allow", allowMethods))
	req.SetBody(nil)
	return req
}

func setExpires(req *sip.Request, d time.Duration) {
	req.RemoveHeader("Expires")
	e := sip.ExpiresHeader(uint32(d / time.Second))
	req.AppendHeader(&e)
}

// grantedExpiry returns the binding time the registrar granted: the expires
// parameter of our Contact in the 2xx, else its Expires header, else what
// we asked for (RFC 3261 §10.2.4).
func grantedExpiry(res *sip.Response, contact sip.Uri, requested time.Duration) time.Duration {
	for _, h := range res.GetHeaders("Contact") {
		ch, ok := h.(*sip.ContactHeader)
		if !ok || !sameContact(ch.Address, contact) {
			continue
		}
		if v, ok := ch.Params.Get("expires"); ok {
			if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32); err == nil {
				return time.Duration(n) * time.Second
			}
		}
	}
	if d := headerSeconds(res, "Expires"); d >= 0 {
		return d
	}
	return requested
}

// headerSeconds parses a delta-seconds header; -1 when absent or bad.
func headerSeconds(res *sip.Response, name string) time.Duration {
	h := res.GetHeader(name)
	if h == nil {
		return -1
	}
	n, err := strconv.ParseUint(strings.TrimSpace(h.Value()), 10, 32)
	if err != nil {
		return -1
	}
	return time.Duration(n) * time.Second
}

// sameContact compares the parts of two Contact URIs a registrar keeps.
func sameContact(a, b sip.Uri) bool {
	port := func(p int) int {
		if p == 0 {
			return 5060
		}
		return p
	}
	return a.User == b.User && strings.EqualFold(a.Host, b.Host) && port(a.Port) == port(b.Port)
}

// refreshIn is when to refresh a binding granted for granted: at half
// time, as Poly phones do, which leaves a margin for a retry; never sooner
// than a second.
func refreshIn(granted time.Duration) time.Duration {
	return max(granted/2, time.Second)
}
