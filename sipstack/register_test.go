package sipstack

import (
	"strconv"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	"handset/hal/haltest"
)

func registrarConfig(port int) Config {
	return Config{
		User: "alice", Password: "secret", DisplayName: "Alice",
		Domain:     "handset.test",
		Registrar:  "127.0.0.1:" + strconv.Itoa(port),
		ListenAddr: "127.0.0.1:0",
		Expiry:     time.Hour,
		UserAgent:  "handset-test",
	}
}

// drain reads the events left after Run returned.
func drain(u *UA) []Event {
	var evs []Event
	for ev := range u.Events() {
		evs = append(evs, ev)
	}
	return evs
}

// sipp as registrar: 401 digest challenge, 200 granting 30 s of the 3600 s
// asked for; the refresh must come at 15 s of (fake) clock time, not
// earlier; shutdown un-registers.
func TestSippRegisterDigestAndGrantedRefresh(t *testing.T) {
	s := startSipp(t, "register_auth.xml")
	port := s.port
	clk := haltest.NewClock(time.Unix(1_000_000, 0))
	u := startUA(t, "alice", registrarConfig(port), clk)

	reg := waitFor[Registered](t, u.UA)
	if reg.Expires != 30*time.Second || reg.Registrar != "127.0.0.1:"+strconv.Itoa(port) {
		t.Fatalf("Registered = %+v, want 30s granted", reg)
	}
	clk.Advance(15*time.Second - time.Millisecond)
	noEvent[Registered](t, u.UA, quietPeriod)
	clk.Advance(time.Millisecond)
	if reg := waitFor[Registered](t, u.UA); reg.Expires != 20*time.Second {
		t.Fatalf("refresh Registered = %+v, want 20s from the Expires header", reg)
	}
	u.stop(t)
	unreg := false
	for _, ev := range drain(u.UA) {
		if _, ok := ev.(Unregistered); ok {
			unreg = true
		}
	}
	if !unreg {
		t.Error("no Unregistered event on shutdown")
	}
	s.wait()
}

// sipp as registrar rejects our credentials (403): a clear failure, then a
// retry after the backoff delay (fake clock), which succeeds.
func TestSippRegisterWrongPasswordBacksOff(t *testing.T) {
	s := startSipp(t, "register_fail_retry.xml")
	port := s.port
	clk := haltest.NewClock(time.Unix(1_000_000, 0))
	cfg := registrarConfig(port)
	cfg.Password = "wrong"
	u := startUA(t, "alice", cfg, clk)

	f := waitFor[RegistrationFailed](t, u.UA)
	if f.Code != 403 || f.Reason != "credentials rejected: Forbidden" {
		t.Fatalf("RegistrationFailed = %+v", f)
	}
	if f.RetryIn < 1600*time.Millisecond || f.RetryIn > 2400*time.Millisecond {
		t.Fatalf("RetryIn = %v, want 2s ±20%%", f.RetryIn)
	}
	clk.Advance(f.RetryIn - time.Millisecond)
	noEvent[Registered](t, u.UA, quietPeriod)
	clk.Advance(time.Millisecond)
	if reg := waitFor[Registered](t, u.UA); reg.Expires != 60*time.Second {
		t.Fatalf("Registered = %+v", reg)
	}
	u.stop(t)
	s.wait()
}

func TestGrantedExpiry(t *testing.T) {
	contact := sip.Uri{Scheme: "sip", User: "alice", Host: "192.0.2.7", Port: 5062}
	tests := []struct {
		name string
		hdrs string
		want time.Duration
	}{
		{"contact param wins over header",
			"Contact: <sip:alice@192.0.2.7:5062>;expires=120\r\nExpires: 600\r\n", 120 * time.Second},
		{"our contact among others",
			"Contact: <sip:alice@192.0.2.99:5060>;expires=5, <sip:alice@192.0.2.7:5062>;expires=90\r\n", 90 * time.Second},
		{"other contact only: Expires header",
			"Contact: <sip:alice@192.0.2.99:5060>;expires=5\r\nExpires: 300\r\n", 300 * time.Second},
		{"Expires header only", "Expires: 1800\r\n", 1800 * time.Second},
		{"nothing: what we asked", "", 3600 * time.Second},
		{"garbage: what we asked", "Expires: soon\r\n", 3600 * time.Second},
	}
	for i, tc := range tests {
		raw := "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.7:5062;branch=z9hG4bK.1\r\n" +
			"From: <sip:alice@example.org>;tag=a\r\nTo: <sip:alice@example.org>;tag=b\r\n" +
			"Call-ID: x\r\nCSeq: 2 REGISTER\r\n" + tc.hdrs + "Content-Length: 0\r\n\r\n"
		msg, err := sip.ParseMessage([]byte(raw))
		if err != nil {
			t.Fatalf("#%d %s: parse: %v", i, tc.name, err)
		}
		if got := grantedExpiry(msg.(*sip.Response), contact, time.Hour); got != tc.want {
			t.Errorf("#%d %s: got %v, want %v", i, tc.name, got, tc.want)
		}
	}
}

func TestRefreshIn(t *testing.T) {
	tests := []struct{ granted, want time.Duration }{
		{3600 * time.Second, 1800 * time.Second},
		{30 * time.Second, 15 * time.Second},
		{time.Second, time.Second},
		{0, time.Second},
	}
	for i, tc := range tests {
		if got := refreshIn(tc.granted); got != tc.want {
			t.Errorf("#%d refreshIn(%v) = %v, want %v", i, tc.granted, got, tc.want)
		}
	}
}

// Registrar failures back off 2 s, 4 s, 8 s… (±20 %) on the fake clock; a
// second challenge after our credentials is a wrong password. Every
// REGISTER of the run shares Call-ID and From tag, CSeq counts up.
func TestRegisterBackoffSchedule(t *testing.T) {
	peer := newFakePeer(t, "127.0.0.1").serve()
	clk := haltest.NewClock(time.Unix(1_000_000, 0))
	cfg := registrarConfig(0)
	cfg.Registrar = peer.addr()
	u := startUA(t, "alice", cfg, clk)

	var callID, fromTag string
	var cseq uint32
	check := func(req *sip.Request) {
		t.Helper()
		tag, _ := req.From().Params.Get("tag")
		if callID == "" {
			callID, fromTag = req.CallID().Value(), tag
		}
		if req.CallID().Value() != callID || tag != fromTag || req.CSeq().SeqNo <= cseq {
			t.Errorf("REGISTER Call-ID %s tag %s CSeq %d; first had %s %s, last CSeq %d",
				req.CallID().Value(), tag, req.CSeq().SeqNo, callID, fromTag, cseq)
		}
		cseq = req.CSeq().SeqNo
		if ua := req.GetHeader("User-Agent"); ua == nil || ua.Value() != "handset-test" {
			t.Errorf("User-Agent = %v", ua)
		}
		if !req.Via().Params.Has("rport") {
			t.Error("Via without rport")
		}
		if req.Recipient.String() != "sip:handset.test" {
			t.Errorf("Request-URI %s", req.Recipient.String())
		}
	}
	for i, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second} {
		req := peer.nextRequest(sip.REGISTER)
		check(req)
		peer.reply(req, 503, "Service Unavailable", nil)
		f := waitFor[RegistrationFailed](t, u.UA)
		lo, hi := want*8/10, want*12/10
		if f.Code != 503 || f.RetryIn < lo || f.RetryIn > hi {
			t.Fatalf("#%d RegistrationFailed = %+v, want 503 retry in %v…%v", i, f, lo, hi)
		}
		clk.Advance(f.RetryIn)
	}
	req := peer.nextRequest(sip.REGISTER)
	check(req)
	peer.reply(req, 401, "Unauthorized", nil, sip.NewHeader("WWW-Authenticate", `Digest realm="r", nonce="1"`))
	req = peer.nextRequest(sip.REGISTER)
	check(req)
	if req.GetHeader("Authorization") == nil {
		t.Fatal("no Authorization after the challenge")
	}
	peer.reply(req, 401, "Unauthorized", nil, sip.NewHeader("WWW-Authenticate", `Digest realm="r", nonce="2"`))
	f := waitFor[RegistrationFailed](t, u.UA)
	if f.Code != 401 || f.Reason != "credentials rejected: Unauthorized" || f.RetryIn < 25*time.Second {
		t.Fatalf("RegistrationFailed = %+v", f)
	}
	clk.Advance(f.RetryIn)
	req = peer.nextRequest(sip.REGISTER)
	check(req)
	peer.reply(req, 200, "OK", nil, sip.NewHeader("Expires", "120"))
	if r := waitFor[Registered](t, u.UA); r.Expires != 120*time.Second {
		t.Fatalf("Registered = %+v", r)
	}
	peer.registrar.Store(int64(time.Minute)) // answer the un-REGISTER
}

// A 423 raises our requested expiry to Min-Expires.
func TestRegisterIntervalTooBrief(t *testing.T) {
	peer := newFakePeer(t, "127.0.0.1").serve()
	cfg := registrarConfig(0)
	cfg.Registrar = peer.addr()
	cfg.Expiry = 30 * time.Second
	u := startUA(t, "alice", cfg, haltest.NewClock(time.Unix(0, 0)))
	req := peer.nextRequest(sip.REGISTER)
	peer.reply(req, 423, "Interval Too Brief", nil, sip.NewHeader("Min-Expires", "300"))
	req = peer.nextRequest(sip.REGISTER)
	if e := req.GetHeader("Expires"); e == nil || e.Value() != "300" {
		t.Fatalf("Expires after 423 = %v", e)
	}
	peer.reply(req, 200, "OK", nil, sip.NewHeader("Expires", "300"))
	waitFor[Registered](t, u.UA)
	peer.registrar.Store(int64(time.Minute))
}
