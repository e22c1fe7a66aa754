package sipstack

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	"handset/hal"
)

// Dial "1234" through a proxy that answers 407: we authenticate (the proxy
// is ours), get 180 and 200, ACK, and our Hangup sends BYE.
func TestSippOutboundProxyAuth(t *testing.T) {
	s := startSipp(t, "uas_proxy_auth.xml")
	port := s.port
	u := startUA(t, "alice", Config{
		User: "alice", Password: "secret", Domain: "handset.test",
		OutboundProxy: "127.0.0.1:" + strconv.Itoa(port), ListenAddr: "127.0.0.1:0",
	}, hal.SystemClock{})

	id, err := u.Dial("1234", testSDP("alice"))
	if err != nil {
		t.Fatal(err)
	}
	if p := waitFor[Progress](t, u.UA); p.CallID != id || p.Code != 180 || p.SDP != nil {
		t.Fatalf("Progress = %+v", p)
	}
	ans := waitFor[Answered](t, u.UA)
	if !bytes.Contains(ans.SDP, []byte("s=sipp-answer")) {
		t.Fatalf("Answered SDP = %q", ans.SDP)
	}
	if err := u.Hangup(id); err != nil {
		t.Fatal(err)
	}
	if e := waitFor[Ended](t, u.UA); e.ByPeer || e.Reason != "bye" {
		t.Fatalf("Ended = %+v", e)
	}
	s.wait()
}

func TestSippOutboundBusy(t *testing.T) {
	s := startSipp(t, "uas_busy.xml")
	port := s.port
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	id, err := u.Dial("sip:bob@127.0.0.1:"+strconv.Itoa(port), testSDP("alice"))
	if err != nil {
		t.Fatal(err)
	}
	if f := waitFor[Failed](t, u.UA); f.CallID != id || f.Code != 486 || f.Reason != "Busy Here" {
		t.Fatalf("Failed = %+v", f)
	}
	s.wait()
}

// 183 with SDP is early media: Progress carries the SDP. Then 200, and the
// callee's BYE ends the call.
func TestSippOutboundEarlyMediaThenPeerBye(t *testing.T) {
	s := startSipp(t, "uas_early_media.xml")
	port := s.port
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	id, err := u.Dial("sip:bob@127.0.0.1:"+strconv.Itoa(port), testSDP("alice"))
	if err != nil {
		t.Fatal(err)
	}
	p := waitFor[Progress](t, u.UA)
	if p.Code != 183 || !bytes.Contains(p.SDP, []byte("s=sipp-early")) {
		t.Fatalf("Progress = %+v (SDP %q)", p, p.SDP)
	}
	if a := waitFor[Answered](t, u.UA); a.CallID != id || !bytes.Contains(a.SDP, []byte("s=sipp-answer")) {
		t.Fatalf("Answered = %+v", a)
	}
	if e := waitFor[Ended](t, u.UA); e.CallID != id || !e.ByPeer || e.Reason != "bye" {
		t.Fatalf("Ended = %+v", e)
	}
	s.wait()
}

// Hangup while the callee rings sends CANCEL; sipp answers 200 and 487.
func TestSippOutboundCancel(t *testing.T) {
	s := startSipp(t, "uas_cancel.xml")
	port := s.port
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	id, err := u.Dial("sip:bob@127.0.0.1:"+strconv.Itoa(port), testSDP("alice"))
	if err != nil {
		t.Fatal(err)
	}
	waitFor[Progress](t, u.UA)
	if err := u.Hangup(id); err != nil {
		t.Fatal(err)
	}
	if e := waitFor[Ended](t, u.UA); e.ByPeer || e.Reason != "cancel" {
		t.Fatalf("Ended = %+v", e)
	}
	s.wait()
}

func TestBuildTarget(t *testing.T) {
	domain := hostPort{host: "pbx.example", port: 5070}
	tests := []struct {
		in, want string
		err      error
	}{
		{"1234", "sip:1234@pbx.example:5070", nil},
		{"*97", "sip:*97@pbx.example:5070", nil},
		{"12#", "sip:12%23@pbx.example:5070", nil},
		{"+4930123", "sip:+4930123@pbx.example:5070", nil},
		{"sip:bob@192.0.2.1:5062", "sip:bob@192.0.2.1:5062", nil},
		{"SIP:bob@host.example", "sip:bob@host.example", nil},
		{"sip:bob@host;transport=udp", "sip:bob@host;transport=udp", nil},
		{"sip:bob@host;transport=tcp", "", ErrBadTarget},
		{"", "", ErrBadTarget},
		{"12a4", "", ErrBadTarget},
		{"1+2", "", ErrBadTarget},
		{"12 34", "", ErrBadTarget},
		{"sip:", "", ErrBadTarget},
		{"sips:bob@host", "", ErrBadTarget},
		{"sip:bob@host\r\nX: y", "", ErrBadTarget},
	}
	for i, tc := range tests {
		uri, err := buildTarget(tc.in, domain)
		if !errors.Is(err, tc.err) {
			t.Errorf("#%d buildTarget(%q) error = %v, want %v", i, tc.in, err, tc.err)
			continue
		}
		if err == nil && uri.String() != tc.want {
			t.Errorf("#%d buildTarget(%q) = %s, want %s", i, tc.in, uri.String(), tc.want)
		}
	}
	if _, err := buildTarget("1234", hostPort{}); !errors.Is(err, errNoDomain) {
		t.Errorf("digits without a domain: %v", err)
	}
}

// The callee's 200 crosses our CANCEL: we ACK it and send BYE at once, and
// report nothing but the Ended{cancel} of the hang-up.
func TestOutboundAnswerCrossesCancel(t *testing.T) {
	peer := newFakePeer(t, "127.0.0.1").serve()
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	id, err := u.Dial("sip:bob@"+peer.addr(), testSDP("alice"))
	if err != nil {
		t.Fatal(err)
	}
	inv := peer.nextRequest(sip.INVITE)
	peer.reply(inv, 180, "Ringing", nil)
	waitFor[Progress](t, u.UA)
	if err := u.Hangup(id); err != nil {
		t.Fatal(err)
	}
	cancel := peer.nextRequest(sip.CANCEL)
	if cancel.Via().Params.GetOr("branch", "") != inv.Via().Params.GetOr("branch", "x") {
		t.Errorf("CANCEL branch differs from the INVITE's")
	}
	peer.reply(cancel, 200, "OK", nil)
	peer.reply(inv, 200, "OK", testSDP("bob"))
	ack := peer.nextRequest(sip.ACK)
	if ack.CSeq().SeqNo != inv.CSeq().SeqNo {
		t.Errorf("ACK CSeq %d, INVITE %d", ack.CSeq().SeqNo, inv.CSeq().SeqNo)
	}
	bye := peer.nextRequest(sip.BYE)
	if tag, _ := bye.To().Params.Get("tag"); tag != peer.tag {
		t.Errorf("BYE To tag %q, want the callee's %q", tag, peer.tag)
	}
	peer.reply(bye, 200, "OK", nil)
	if e := waitFor[Ended](t, u.UA); e.ByPeer || e.Reason != "cancel" {
		t.Fatalf("Ended = %+v", e)
	}
	noEvent[Answered](t, u.UA, quietPeriod)
}

// sipgo's WaitAnswer gives up after 11 responses; we take any number of
// provisionals before the answer.
func TestOutboundManyProvisionals(t *testing.T) {
	peer := newFakePeer(t, "127.0.0.1").serve()
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	if _, err := u.Dial("sip:bob@"+peer.addr(), testSDP("alice")); err != nil {
		t.Fatal(err)
	}
	inv := peer.nextRequest(sip.INVITE)
	peer.reply(inv, 100, "Trying", nil)
	for i := 0; i < 15; i++ {
		peer.reply(inv, 180+3*(i%2), "Progress", nil)
		waitFor[Progress](t, u.UA) // one at a time: UDP handling may reorder
	}
	peer.reply(inv, 200, "OK", testSDP("bob"))
	waitFor[Answered](t, u.UA)
	peer.nextRequest(sip.ACK)
}

// A 407 from a stranger (not our registrar or proxy) is not answered: the
// digest would leak. The call fails with 407.
func TestOutboundNoDigestForStrangers(t *testing.T) {
	peer := newFakePeer(t, "127.0.0.1").serve()
	u := startUA(t, "alice", Config{User: "alice", Password: "secret", ListenAddr: "127.0.0.1:0"}, hal.SystemClock{})
	if _, err := u.Dial("sip:bob@"+peer.addr(), testSDP("alice")); err != nil {
		t.Fatal(err)
	}
	inv := peer.nextRequest(sip.INVITE)
	peer.reply(inv, 407, "Proxy Authentication Required", nil,
		sip.NewHeader("Proxy-Authenticate", `Digest realm="evil", nonce="n", algorithm=MD5`))
	if f := waitFor[Failed](t, u.UA); f.Code != 407 {
		t.Fatalf("Failed = %+v", f)
	}
	peer.nextRequest(sip.ACK)
	select {
	case m := <-peer.msgs:
		t.Fatalf("peer got more: %s", m.String())
	case <-time.After(quietPeriod):
	}
}

// Our proxy challenges twice: a stale nonce is answered again, a second
// plain challenge means the password is wrong.
func TestOutboundProxyChallengeRetries(t *testing.T) {
	for _, stale := range []bool{true, false} {
		peer := newFakePeer(t, "127.0.0.1").serve()
		u := startUA(t, "alice", Config{User: "alice", Password: "secret", Domain: "handset.test",
			OutboundProxy: peer.addr(), ListenAddr: "127.0.0.1:0"}, hal.SystemClock{})
		if _, err := u.Dial("1234", testSDP("alice")); err != nil {
			t.Fatal(err)
		}
		chal := `Digest realm="handset.test", nonce="n1", qop="auth"`
		inv := peer.nextRequest(sip.INVITE)
		peer.reply(inv, 407, "Proxy Authentication Required", nil, sip.NewHeader("Proxy-Authenticate", chal))
		inv = peer.nextRequest(sip.INVITE)
		if inv.GetHeader("Proxy-Authorization") == nil {
			t.Fatal("second INVITE without Proxy-Authorization")
		}
		again := `Digest realm="handset.test", nonce="n2", qop="auth"`
		if stale {
			again += ", stale=true"
		}
		peer.reply(inv, 407, "Proxy Authentication Required", nil, sip.NewHeader("Proxy-Authenticate", again))
		if !stale {
			if f := waitFor[Failed](t, u.UA); f.Code != 407 {
				t.Fatalf("Failed = %+v", f)
			}
			continue
		}
		inv = peer.nextRequest(sip.INVITE)
		if inv.CSeq().SeqNo != 3 {
			t.Errorf("third INVITE CSeq %d, want 3", inv.CSeq().SeqNo)
		}
		peer.reply(inv, 200, "OK", testSDP("bob"))
		waitFor[Answered](t, u.UA)
	}
}

// A 302 is followed to its Contact (same Call-ID, next CSeq); a redirect
// loop stops after 3 hops.
func TestOutboundRedirect(t *testing.T) {
	first := newFakePeer(t, "127.0.0.1").serve()
	second := newFakePeer(t, "127.0.0.1").serve()
	u := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	if _, err := u.Dial("sip:bob@"+first.addr(), testSDP("alice")); err != nil {
		t.Fatal(err)
	}
	inv := first.nextRequest(sip.INVITE)
	to := second.contact()
	to.Address.User = "carol"
	first.reply(inv, 302, "Moved Temporarily", nil, to)
	inv2 := second.nextRequest(sip.INVITE)
	if inv2.Recipient.User != "carol" || inv2.CallID().Value() != inv.CallID().Value() || inv2.CSeq().SeqNo != inv.CSeq().SeqNo+1 {
		t.Fatalf("redirected INVITE %s, Call-ID %s, CSeq %d", inv2.Recipient.String(), inv2.CallID().Value(), inv2.CSeq().SeqNo)
	}
	second.reply(inv2, 200, "OK", testSDP("carol"))
	waitFor[Answered](t, u.UA)

	if _, err := u.Dial("sip:bob@"+first.addr(), testSDP("alice")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= maxRedirects; i++ {
		inv := first.nextRequest(sip.INVITE)
		first.reply(inv, 302, "Moved Temporarily", nil)
	}
	if f := waitFor[Failed](t, u.UA); f.Code != 302 {
		t.Fatalf("Failed = %+v", f)
	}
}
