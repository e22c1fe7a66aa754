package sipstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"handset/hal"
)

// Each call is owned by one goroutine (call.run). The call verbs, sipgo's
// request handlers and the transaction watchers talk to it through its
// inbox, so all of a call's state changes happen in one place, in order.

type callState int

const (
	stateDialing    callState = iota // outbound: INVITE sent, no final answer
	stateCancelling                  // outbound: hung up before the answer
	stateRinging                     // inbound: not answered yet
	stateAnswering                   // inbound: 200 sent, waiting for the ACK
	stateUp                          // dialog confirmed
	stateByeing                      // we sent BYE; waiting for its answer
)

type timerKind int

const (
	timerNone       timerKind = iota
	timerRing                 // inbound: rang too long
	timerRetransmit           // resend our 2xx until its ACK
	timerReinvite             // call control did not answer a re-INVITE
	timerCancel               // no final response after our CANCEL
	timerStop                 // shutdown deadline
)

const (
	// ringTimeout bounds an unanswered inbound call whose caller never
	// cancels; the caller gets 480.
	ringTimeout = 3 * time.Minute
	// reinviteTimeout is how long call control has to answer a peer's
	// re-INVITE before we answer it with our last SDP.
	reinviteTimeout = 2 * time.Second
	// stopTimeout bounds each call's hang-up (and the un-REGISTER) when Run
	// shuts down.
	stopTimeout = 2 * time.Second
)

type msgKind int

const (
	msgRing msgKind = iota
	msgAnswer
	msgReject
	msgHangup
	msgRequest  // an in-dialog request from the peer
	msgResponse // a response on one of our client transactions
	msgTxDone   // one of our client transactions ended
)

type message struct {
	kind  msgKind
	code  int
	sdp   []byte
	req   *sip.Request
	stx   sip.ServerTransaction
	res   *sip.Response
	ctx   sip.ClientTransaction // the client transaction of msgResponse/msgTxDone
	reply chan error            // nil when the sender does not wait
}

// call is one dialog (or attempt at one).
type call struct {
	u        *UA
	id       string // the SIP Call-ID, also our call ID
	outbound bool
	log      *slog.Logger
	inbox    chan message
	done     chan struct{} // closed when the owner goroutine ends

	// Everything below belongs to the owner goroutine.
	state    callState
	finished bool
	ended    bool // the terminal event (Failed or Ended) went out
	stopping bool // Run is shutting down
	timer    hal.Timer
	timerFor timerKind

	localTag, remoteTag   string
	localURI, remoteURI   sip.Uri
	localName, remoteName string
	localSeq, remoteSeq   uint32
	target                sip.Uri   // the peer's Contact
	routes                []sip.Uri // route set, in request order
	localSDP              []byte
	byeTx                 sip.ClientTransaction

	out outState
	in  inState

	// A 2xx (answer or re-INVITE answer) that we resend until its ACK.
	ok        *sip.Response
	okTx      sip.ServerTransaction
	okEvery   time.Duration
	okElapsed time.Duration
	reinvite  *message // a re-INVITE waiting for Answer
}

func (u *UA) newCall(id string, outbound bool) *call {
	return &call{
		u:        u,
		id:       id,
		outbound: outbound,
		log:      u.log.With("call", id),
		inbox:    make(chan message, 8),
		done:     make(chan struct{}),
	}
}

// addCall registers c and counts its goroutine; it fails while the UA is
// not running or when the Call-ID is taken.
func (u *UA) addCall(c *call) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if !u.running {
		return ErrNotRunning
	}
	if _, dup := u.calls[c.id]; dup {
		return fmt.Errorf("call %s exists", c.id)
	}
	u.calls[c.id] = c
	u.work.Add(1)
	return nil
}

func (u *UA) lookup(id string) *call {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.calls[id]
}

// Ring sends 180 Ringing for an incoming call.
func (u *UA) Ring(callID string) error {
	return u.command(callID, "ring", message{kind: msgRing})
}

// Answer sends 200 OK with sdp for an incoming call and waits for the ACK in
// the background. After an Updated event it answers the peer's re-INVITE
// instead.
func (u *UA) Answer(callID string, sdp []byte) error {
	if len(sdp) == 0 {
		return fmt.Errorf("answer %s: %w", callID, ErrNoSDP)
	}
	return u.command(callID, "answer", message{kind: msgAnswer, sdp: slices.Clone(sdp)})
}

// Reject ends an unanswered incoming call with code (486, 488, 603…).
func (u *UA) Reject(callID string, code int) error {
	if code < 300 || code > 699 {
		return fmt.Errorf("reject %s with %d: %w", callID, code, ErrBadCode)
	}
	return u.command(callID, "reject", message{kind: msgReject, code: code})
}

// Hangup ends a call in any state: CANCEL for an outbound call not yet
// answered, 603 Decline for an unanswered inbound call, BYE otherwise.
func (u *UA) Hangup(callID string) error {
	return u.command(callID, "hang up", message{kind: msgHangup})
}

func (u *UA) command(id, verb string, m message) error {
	c := u.lookup(id)
	if c == nil {
		u.mu.Lock()
		running := u.running
		u.mu.Unlock()
		if !running {
			return fmt.Errorf("%s %s: %w", verb, id, ErrNotRunning)
		}
		return fmt.Errorf("%s %s: %w", verb, id, ErrUnknownCall)
	}
	if err := c.call(m); err != nil {
		return fmt.Errorf("%s %s: %w", verb, id, err)
	}
	return nil
}

// post hands m to the owner; false when the call is over.
func (c *call) post(m message) bool {
	select {
	case c.inbox <- m:
		return true
	case <-c.done:
		return false
	}
}

// call posts m and waits for the owner's answer. ErrUnknownCall means the
// call ended before the owner handled m.
func (c *call) call(m message) error {
	m.reply = make(chan error, 1)
	if !c.post(m) {
		return ErrUnknownCall
	}
	select {
	case err := <-m.reply:
		return err
	case <-c.done:
		select {
		case err := <-m.reply:
			return err
		default:
			return ErrUnknownCall
		}
	}
}

// run is the owner goroutine: start, then serve the inbox, the timer and
// the transaction signals until the call is over.
func (c *call) run(ctx context.Context, start func()) {
	defer c.u.work.Done()
	defer c.exit()
	start()
	stop := ctx.Done()
	for !c.finished {
		select {
		case m := <-c.inbox:
			c.handle(m)
		case <-c.timerC():
			kind := c.timerFor
			c.timer, c.timerFor = nil, timerNone
			c.onTimer(kind)
		case <-c.cancelledC():
			c.onPeerCancel()
		case ack := <-c.acksC():
			c.onAck(ack)
		case <-c.inviteDoneC():
			c.onInviteGone()
		case <-stop:
			stop = nil
			c.onShutdown()
		}
	}
}

// exit unregisters the call and fails whatever still waits on it.
func (c *call) exit() {
	if !c.ended {
		c.end(false, "error")
	}
	c.stopTimer()
	c.u.mu.Lock()
	if c.u.calls[c.id] == c {
		delete(c.u.calls, c.id)
	}
	c.u.mu.Unlock()
	close(c.done)
	if c.reinvite != nil {
		c.reinvite.reply <- ErrUnknownCall
	}
	for {
		select {
		case m := <-c.inbox:
			if m.reply != nil {
				m.reply <- ErrUnknownCall
			}
		default:
			return
		}
	}
}

func (c *call) handle(m message) {
	switch m.kind {
	case msgRing, msgAnswer, msgReject, msgHangup:
		m.reply <- c.command(m)
	case msgRequest:
		if c.onRequest(m) && m.reply != nil {
			m.reply <- nil
		}
	case msgResponse:
		c.onResponse(m.ctx, m.res)
	case msgTxDone:
		c.onTxDone(m.ctx)
	}
}

func (c *call) command(m message) error {
	switch m.kind {
	case msgRing:
		return c.ring()
	case msgAnswer:
		if c.reinvite != nil {
			c.answerReinvite(m.sdp)
			return nil
		}
		return c.answer(m.sdp)
	case msgReject:
		return c.reject(m.code)
	default:
		return c.hangup()
	}
}

func (c *call) hangup() error {
	switch c.state {
	case stateDialing:
		c.cancelOutbound("cancel")
	case stateRinging:
		return c.reject(603)
	case stateAnswering, stateUp:
		c.sendBye("bye")
	}
	return nil
}

// end emits the call's terminal Ended event (once).
func (c *call) end(byPeer bool, reason string) {
	if c.ended {
		return
	}
	c.ended = true
	c.u.emit(Ended{CallID: c.id, ByPeer: byPeer, Reason: reason})
}

// fail emits the call's terminal Failed event (once).
func (c *call) fail(code int, reason string) {
	if c.ended {
		return
	}
	c.ended = true
	c.u.emit(Failed{CallID: c.id, Code: code, Reason: reason})
}

func (c *call) arm(kind timerKind, d time.Duration) {
	if c.stopping && kind != timerStop {
		return // the shutdown deadline bounds everything now
	}
	c.stopTimer()
	c.timer, c.timerFor = c.u.clk.NewTimer(d), kind
}

func (c *call) stopTimer() {
	if c.timer != nil {
		c.timer.Stop()
		c.timer, c.timerFor = nil, timerNone
	}
}

func (c *call) timerC() <-chan time.Time {
	if c.timer == nil {
		return nil
	}
	return c.timer.C()
}

func (c *call) acksC() <-chan *sip.Request {
	if c.okTx == nil {
		return nil
	}
	return c.okTx.Acks()
}

func (c *call) onTimer(kind timerKind) {
	switch kind {
	case timerRing:
		c.log.Info("unanswered call timed out")
		c.respondInvite(480, "Temporarily Unavailable", nil)
		c.end(false, "timeout")
		c.finished = true
	case timerRetransmit:
		c.retransmitOK()
	case timerReinvite:
		c.log.Info("re-INVITE not answered in time; answering with our last SDP")
		c.answerReinvite(c.localSDP)
	case timerCancel:
		c.log.Info("no final response after CANCEL; giving up")
		c.out.tx.Terminate()
		c.finished = true
	case timerStop:
		c.finished = true
	}
}

// onShutdown hangs the call up because Run is ending; the owner then waits
// at most stopTimeout for the peer.
func (c *call) onShutdown() {
	switch c.state {
	case stateRinging:
		c.respondInvite(480, "Temporarily Unavailable", nil)
		c.end(false, "shutdown")
		c.finished = true
		return
	case stateDialing:
		c.cancelOutbound("shutdown")
	case stateAnswering, stateUp:
		c.sendBye("shutdown")
	}
	c.stopping = true
	c.arm(timerStop, stopTimeout)
}

// onResponse routes a response to the transaction it belongs to.
func (c *call) onResponse(tx sip.ClientTransaction, res *sip.Response) {
	switch {
	case tx == c.out.tx:
		c.onInviteResponse(res)
	case tx == c.byeTx:
		if res.StatusCode >= 200 {
			c.finished = true
		}
	case tx == c.out.cancelTx:
		c.log.Debug("CANCEL answered", "code", res.StatusCode)
	}
}

func (c *call) onTxDone(tx sip.ClientTransaction) {
	switch {
	case tx == c.out.tx:
		c.onInviteTxDone()
	case tx == c.byeTx:
		c.finished = true
	}
}

// watch forwards tx's responses and end to the owner.
func (c *call) watch(tx sip.ClientTransaction) {
	c.u.work.Add(1)
	go func() {
		defer c.u.work.Done()
		for {
			select {
			case res := <-tx.Responses():
				if !c.post(message{kind: msgResponse, ctx: tx, res: res}) {
					tx.Terminate()
					return
				}
			case <-tx.Done():
				c.post(message{kind: msgTxDone, ctx: tx})
				return
			case <-c.done:
				tx.Terminate()
				return
			}
		}
	}()
}

// contentType returns the media type of msg's body, lower case, without
// parameters.
func contentType(msg interface{ ContentType() *sip.ContentTypeHeader }) string {
	ct := msg.ContentType()
	if ct == nil {
		return ""
	}
	v, _, _ := strings.Cut(ct.Value(), ";")
	return strings.ToLower(strings.TrimSpace(v))
}

// sdpBody returns a copy of msg's body when it is SDP, else nil.
func sdpBody(msg interface {
	ContentType() *sip.ContentTypeHeader
	Body() []byte
}) []byte {
	if contentType(msg) != "application/sdp" || len(msg.Body()) == 0 {
		return nil
	}
	return slices.Clone(msg.Body())
}

// randID returns n random bytes as hex: tags and Call-IDs must not be
// guessable, or a stranger could inject a BYE.
func randID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
