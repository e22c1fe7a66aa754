package sipstack

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	"handset/hal"
	"handset/hal/haltest"
)

// registeredConfig is a phone registered at reg (on 127.0.0.1), so that
// 127.0.0.1 is "our server" for the ghost-call guard.
func registeredConfig(reg *fakePeer) Config {
	return Config{
		User: "alice", Password: "secret", Domain: "handset.test",
		Registrar: reg.addr(), ListenAddr: "127.0.0.1:0",
	}
}

func sippCaller(t *testing.T, scenario string, u *UA, args ...string) *sippRun {
	t.Helper()
	args = append([]string{u.LocalAddr().String()}, args...)
	if !hasArg(args, "-s") {
		args = append(args, "-s", "alice")
	}
	return startSipp(t, scenario, args...)
}

// A call from our server to a DID (not our user name): 100, Incoming, Ring
// → 180, Answer → 200, ACK, the caller's BYE → Ended{ByPeer}.
func TestSippInboundAnswered(t *testing.T) {
	reg := startRegistrar(t, time.Hour)
	u := startUA(t, "alice", registeredConfig(reg), hal.SystemClock{})
	waitFor[Registered](t, u.UA)
	s := sippCaller(t, "uac_inbound.xml", u.UA, "-s", "4930555")

	in := waitFor[Incoming](t, u.UA)
	if in.FromUser != "1001" || in.DisplayName != "SIPp Caller" || !bytes.Contains(in.SDP, []byte("s=sipp-offer")) {
		t.Fatalf("Incoming = %+v", in)
	}
	if err := u.Ring(in.CallID); err != nil {
		t.Fatal(err)
	}
	if err := u.Answer(in.CallID, testSDP("ua-answer")); err != nil {
		t.Fatal(err)
	}
	if e := waitFor[Ended](t, u.UA); e.CallID != in.CallID || !e.ByPeer || e.Reason != "bye" {
		t.Fatalf("Ended = %+v", e)
	}
	s.wait()
}

// The caller cancels while we ring: sipgo answers 200 and 487, we report
// Ended{ByPeer, "cancel"}.
func TestSippInboundCancelled(t *testing.T) {
	reg := startRegistrar(t, time.Hour)
	u := startUA(t, "alice", registeredConfig(reg), hal.SystemClock{})
	s := sippCaller(t, "uac_cancel.xml", u.UA)
	in := waitFor[Incoming](t, u.UA)
	if err := u.Ring(in.CallID); err != nil {
		t.Fatal(err)
	}
	if e := waitFor[Ended](t, u.UA); e.CallID != in.CallID || !e.ByPeer || e.Reason != "cancel" {
		t.Fatalf("Ended = %+v", e)
	}
	s.wait()
}

// An INVITE from 127.0.0.2 when our registrar is 127.0.0.1 is a ghost
// call: 403 and no Incoming. With AllowDirectCalls the same caller gets
// through.
func TestSippGhostCallGuard(t *testing.T) {
	reg := startRegistrar(t, time.Hour)
	u := startUA(t, "alice", registeredConfig(reg), hal.SystemClock{})
	s := sippCaller(t, "uac_ghost.xml", u.UA, "-i", "127.0.0.2")
	s.wait()
	noEvent[Incoming](t, u.UA, quietPeriod)

	cfg := registeredConfig(reg)
	cfg.AllowDirectCalls = true
	d := startUA(t, "alice-direct", cfg, hal.SystemClock{})
	s = sippCaller(t, "uac_inbound.xml", d.UA, "-i", "127.0.0.2")
	in := waitFor[Incoming](t, d.UA)
	if !strings.HasPrefix(in.Source, "127.0.0.2:") {
		t.Errorf("Incoming.Source = %q", in.Source)
	}
	if err := d.Ring(in.CallID); err != nil {
		t.Fatal(err)
	}
	if err := d.Answer(in.CallID, testSDP("ua-answer")); err != nil {
		t.Fatal(err)
	}
	if e := waitFor[Ended](t, d.UA); !e.ByPeer {
		t.Fatalf("Ended = %+v", e)
	}
	s.wait()
}

func TestSippOptions(t *testing.T) {
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	sippCaller(t, "uac_options.xml", u.UA).wait()
}

// Bad requests during a call (no From, not SIP, no Via, bad start line)
// get 400 or are dropped; the call goes on (the caller's BYE ends it) and
// the registration still refreshes.
func TestSippMalformedDuringCall(t *testing.T) {
	reg := startRegistrar(t, 60*time.Second)
	clk := haltest.NewClock(time.Unix(1_000_000, 0))
	u := startUA(t, "alice", registeredConfig(reg), clk)
	waitFor[Registered](t, u.UA)
	s := sippCaller(t, "uac_malformed.xml", u.UA)

	in := waitFor[Incoming](t, u.UA)
	if err := u.Answer(in.CallID, testSDP("ua-answer")); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(eventTimeout)
	for done := false; !done; {
		select {
		case ev := <-u.Events():
			switch e := ev.(type) {
			case Incoming:
				t.Fatalf("a malformed request rang: %+v", e)
			case RegistrationFailed:
				t.Fatalf("registration disturbed: %+v", e)
			case Ended:
				if e.CallID != in.CallID || !e.ByPeer || e.Reason != "bye" {
					t.Fatalf("Ended = %+v", e)
				}
				done = true
			}
		case <-deadline:
			t.Fatal("call did not end")
		}
	}
	s.wait()
	before := reg.registers.Load()
	clk.Advance(30 * time.Second)
	if r := waitFor[Registered](t, u.UA); r.Expires != 60*time.Second {
		t.Fatalf("refresh Registered = %+v", r)
	}
	if reg.registers.Load() != before+1 {
		t.Errorf("registrar saw %d REGISTERs after the refresh time, want %d", reg.registers.Load(), before+1)
	}
}

// A re-INVITE (hold) becomes Updated and is answered with call control's
// SDP; INFO DTMF becomes a DTMF event; a re-INVITE call control does not
// answer gets our last SDP after 2 s.
func TestSippReinviteAndInfo(t *testing.T) {
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	s := sippCaller(t, "uac_reinvite.xml", u.UA)
	in := waitFor[Incoming](t, u.UA)
	if err := u.Answer(in.CallID, testSDP("ua-answer")); err != nil {
		t.Fatal(err)
	}
	up := waitFor[Updated](t, u.UA)
	if up.CallID != in.CallID || !bytes.Contains(up.SDP, []byte("a=sendonly")) {
		t.Fatalf("Updated = %+v", up)
	}
	if err := u.Answer(in.CallID, testSDP("ua-hold-answer")); err != nil {
		t.Fatal(err)
	}
	if d := waitFor[DTMF](t, u.UA); d.CallID != in.CallID || d.Digit != '5' {
		t.Fatalf("DTMF = %+v", d)
	}
	if up := waitFor[Updated](t, u.UA); !bytes.Contains(up.SDP, []byte("s=sipp-resume")) {
		t.Fatalf("second Updated = %+v", up)
	}
	// Not answering: the stack answers with the hold answer by itself.
	if e := waitFor[Ended](t, u.UA); !e.ByPeer || e.Reason != "bye" {
		t.Fatalf("Ended = %+v", e)
	}
	s.wait()
}

// Without an ACK our 200 is resent (T1, doubling to T2) and after 64·T1
// the call is dropped with BYE.
func TestInboundNoAckTimesOut(t *testing.T) {
	peer := newFakePeer(t, "127.0.0.1").serve()
	clk := haltest.NewClock(time.Unix(1_000_000, 0))
	u := startUA(t, "alice", directConfig("alice"), clk)
	inv := peer.invite("sip:alice@"+u.LocalAddr().String(), testSDP("peer"))
	peer.send(inv, u.LocalAddr().String())
	in := waitFor[Incoming](t, u.UA)
	if err := u.Answer(in.CallID, testSDP("alice")); err != nil {
		t.Fatal(err)
	}
	oks := 0
	for {
		m := peer.next()
		if res, ok := m.(*sip.Response); ok {
			if res.StatusCode == 200 {
				oks++
				clk.Advance(sip.T2) // the next resend is due within T2
			}
			continue
		}
		if req, ok := m.(*sip.Request); ok && req.Method == sip.BYE {
			break
		}
	}
	// T1=0.5 s doubling to T2=4 s: 0.5+1+2+4×7 = 31.5 s of resends, the
	// 64·T1 = 32 s limit hits at the 11th interval.
	if oks < 8 || oks > 12 {
		t.Errorf("200 OK sent %d times", oks)
	}
	if e := waitFor[Ended](t, u.UA); e.ByPeer || e.Reason != "timeout" {
		t.Fatalf("Ended = %+v", e)
	}
}

// INVITEs we cannot take: no SDP (488), a required extension (420); other
// methods: 405 for known ones, 501 for the unknown.
func TestInboundRefusals(t *testing.T) {
	peer := newFakePeer(t, "127.0.0.1").serve()
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	dst := u.LocalAddr().String()
	final := func() *sip.Response {
		t.Helper()
		for {
			if res, ok := peer.next().(*sip.Response); ok && res.StatusCode >= 200 {
				return res
			}
		}
	}
	peer.send(peer.invite("sip:alice@"+dst, nil), dst)
	if res := final(); res.StatusCode != 488 {
		t.Errorf("INVITE without SDP: %d", res.StatusCode)
	}
	peer.send(peer.invite("sip:alice@"+dst, testSDP("p"), sip.NewHeader("Require", "100rel")), dst)
	if res := final(); res.StatusCode != 420 || res.GetHeader("Unsupported") == nil {
		t.Errorf("INVITE requiring 100rel: %d", res.StatusCode)
	}
	for method, want := range map[sip.RequestMethod]int{sip.MESSAGE: 405, "FOO": 501, sip.REGISTER: 405} {
		req := peer.invite("sip:alice@"+dst, nil)
		req.Method = method
		req.CSeq().MethodName = method
		peer.send(req, dst)
		res := final()
		if res.StatusCode != want || res.GetHeader("Allow") == nil {
			t.Errorf("%s: %d, want %d with Allow", method, res.StatusCode, want)
		}
	}
	noEvent[Incoming](t, u.UA, quietPeriod)
}

// Stopping Run hangs up: the peer of an answered call gets BYE, a ringing
// caller gets 480, and no goroutine is left.
func TestShutdownHangsUp(t *testing.T) {
	before := runtime.NumGoroutine()
	caller := newFakePeer(t, "127.0.0.1").serve()
	b := startUA(t, "bob", directConfig("bob"), hal.SystemClock{})
	a := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	if _, err := a.Dial("sip:bob@"+b.LocalAddr().String(), testSDP("alice")); err != nil {
		t.Fatal(err)
	}
	in := waitFor[Incoming](t, b.UA)
	if err := b.Answer(in.CallID, testSDP("bob")); err != nil {
		t.Fatal(err)
	}
	waitFor[Answered](t, a.UA)
	caller.send(caller.invite("sip:bob@"+b.LocalAddr().String(), testSDP("peer")), b.LocalAddr().String())
	waitFor[Incoming](t, b.UA)

	b.stop(t)
	if e := waitFor[Ended](t, a.UA); !e.ByPeer || e.Reason != "bye" {
		t.Fatalf("caller's Ended = %+v", e)
	}
	for {
		if res, ok := caller.next().(*sip.Response); ok && res.StatusCode >= 200 {
			if res.StatusCode != 480 {
				t.Fatalf("ringing caller got %d, want 480", res.StatusCode)
			}
			break
		}
	}
	ended := 0
	for _, ev := range drain(b.UA) {
		if e, ok := ev.(Ended); ok && e.Reason == "shutdown" {
			ended++
		}
	}
	if ended != 2 {
		t.Errorf("%d Ended{shutdown} events, want 2", ended)
	}
	a.stop(t)
	caller.conn.Close()
	checkGoroutines(t, before)
}
func TestParseInfoDTMF(t *testing.T) {
	tests := []struct {
		ct, body  string
		digit     rune
		known, ok bool
	}{
		{"application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", '5', true, true},
		{"application/dtmf-relay", "Signal= *\r\nDuration=100", '*', true, true},
		{"application/dtmf-relay", "signal=11\r\n", '#', true, true},
		{"application/dtmf-relay", "Signal=12\r\n", 'A', true, true},
		{"application/dtmf-relay", "Signal=d\r\n", 'D', true, true},
		{"application/dtmf-relay", "Duration=160\r\n", 0, true, false},
		{"application/dtmf-relay", "Signal=X\r\n", 0, true, false},
		{"application/dtmf", "9", '9', true, true},
		{"application/dtmf", " # \r\n", '#', true, true},
		{"application/dtmf", "16", 0, true, false},
		{"text/plain", "5", 0, false, false},
	}
	for i, tc := range tests {
		d, known, ok := parseInfoDTMF(tc.ct, []byte(tc.body))
		if d != tc.digit || known != tc.known || ok != tc.ok {
			t.Errorf("#%d %s %q: (%q, %v, %v), want (%q, %v, %v)", i, tc.ct, tc.body, d, known, ok, tc.digit, tc.known, tc.ok)
		}
	}
}

// sipgo handles each message in its own goroutine, so a re-INVITE can
// overtake the ACK before it (or the ACK is lost): the re-INVITE counts as
// the ACK.
func TestInboundReinviteBeforeAck(t *testing.T) {
	peer := newFakePeer(t, "127.0.0.1").serve()
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	dst := u.LocalAddr().String()
	inv := peer.invite("sip:alice@"+dst, testSDP("peer"))
	peer.send(inv, dst)
	in := waitFor[Incoming](t, u.UA)
	if err := u.Answer(in.CallID, testSDP("alice")); err != nil {
		t.Fatal(err)
	}
	var ok *sip.Response
	for ok == nil {
		if res, isRes := peer.next().(*sip.Response); isRes && res.StatusCode == 200 {
			ok = res
		}
	}
	re := peer.invite("sip:alice@"+dst, testSDP("peer-hold"))
	re.ReplaceHeader(sip.HeaderClone(inv.CallID()))
	re.ReplaceHeader(&sip.CSeqHeader{SeqNo: 2, MethodName: sip.INVITE})
	re.ReplaceHeader(sip.HeaderClone(ok.To()))
	peer.send(re, dst)
	if up := waitFor[Updated](t, u.UA); !bytes.Contains(up.SDP, []byte("s=peer-hold")) {
		t.Fatalf("Updated = %+v", up)
	}
	if err := u.Answer(in.CallID, testSDP("alice-hold")); err != nil {
		t.Fatal(err)
	}
	for {
		if res, isRes := peer.next().(*sip.Response); isRes && res.CSeq().SeqNo == 2 && res.StatusCode >= 200 {
			if res.StatusCode != 200 || !bytes.Contains(res.Body(), []byte("s=alice-hold")) {
				t.Fatalf("re-INVITE answered %d %q", res.StatusCode, res.Body())
			}
			break
		}
	}
}
