package e2e

import (
	"testing"
	"time"

	"handset/internal/testpeer"
)

const testDomain = "handset.test"

var testUsers = map[string]string{"1001": "secret-1001", "1002": "secret-1002"}

func startPBX(t *testing.T, maxExpires int) *testpeer.Kamailio {
	t.Helper()
	return testpeer.StartKamailio(t, testpeer.KamailioConfig{
		Users: testUsers, Domain: testDomain, Addr: "127.0.0.1:0", MaxExpires: maxExpires,
	})
}

// pbxAccount is a phone account on the test Kamailio.
func pbxAccount(t *testing.T, k *testpeer.Kamailio, user, password string) account {
	return account{
		user: user, password: password, domain: testDomain, register: true,
		registrar: k.Addr().String(), proxy: k.Addr().String(),
		port: testpeer.FreeUDPPort(t, "127.0.0.1"),
	}
}

func registered(e event) bool { return e["registered"] == true }

// TestCallThroughKamailio: two phones register with digest auth, A calls B
// through the proxy and B hangs up, then B calls A and A hangs up; each
// earpiece must have heard the other phone's microphone tone.
func TestCallThroughKamailio(t *testing.T) {
	k := startPBX(t, 0)
	a := startPhone(t, "A", phoneOpts{config: pbxAccount(t, k, "1001", testUsers["1001"]).toml(), mic: 1000})
	b := startPhone(t, "B", phoneOpts{config: pbxAccount(t, k, "1002", testUsers["1002"]).toml(), mic: 600})
	a.waitEvent("registration", registered, 10*time.Second)
	b.waitEvent("registration", registered, 10*time.Second)

	// A calls B; B hangs up first.
	a.do("offhook")
	a.waitState("dial-tone", 5*time.Second)
	a.do("dial 1002#")
	a.waitState("calling", 5*time.Second)
	b.waitState("ringing", 10*time.Second)
	b.waitEvent("bell", func(e event) bool { return e["on"] == true }, 5*time.Second)
	a.waitEvent("tone", func(e event) bool { return e.str("tone") == "ringback" }, 5*time.Second)
	b.do("offhook")
	b.waitState("connected", 5*time.Second)
	a.waitState("connected", 5*time.Second)
	time.Sleep(2 * time.Second) // talk
	b.do("onhook")
	b.waitState("idle", 5*time.Second)
	a.waitState("disconnected", 10*time.Second)
	ended := a.waitEvent("call-ended", nil, 5*time.Second)
	a.do("onhook")
	a.waitState("idle", 5*time.Second)
	stats, _ := ended["stats"].(map[string]any)
	if sent, _ := stats["PacketsSent"].(float64); sent < 50 {
		t.Errorf("A sent %v RTP packets in a 2 s call, want ≥ 50 (stats %v)", sent, stats)
	}

	// B calls A; A hangs up first.
	a.checkpoint()
	b.checkpoint()
	b.do("offhook")
	b.do("dial 1001#")
	a.waitState("ringing", 10*time.Second)
	a.do("offhook")
	a.waitState("connected", 5*time.Second)
	b.waitState("connected", 5*time.Second)
	time.Sleep(1 * time.Second)
	a.do("onhook")
	b.waitState("disconnected", 10*time.Second)
	b.do("onhook")
	b.waitState("idle", 5*time.Second)

	if d := b.heard(1000); d < 2*time.Second {
		t.Errorf("B's earpiece heard A's 1000 Hz for %v over two calls, want ≥ 2 s", d)
	}
	if d := a.heard(600); d < 2*time.Second {
		t.Errorf("A's earpiece heard B's 600 Hz for %v over two calls, want ≥ 2 s", d)
	}
}

// TestWrongPasswordBacksOff: a wrong password is a clear registration
// failure, retried later and later, and the phone stays usable.
func TestWrongPasswordBacksOff(t *testing.T) {
	k := startPBX(t, 0)
	p := startPhone(t, "A", phoneOpts{config: pbxAccount(t, k, "1001", "not-the-password").toml()})
	first := p.waitEvent("registration", nil, 10*time.Second)
	if registered(first) || (first.num("code") != 401 && first.num("code") != 403) {
		t.Fatalf("first registration event %v, want a 401/403 failure", first)
	}
	second := p.waitEvent("registration", nil, 20*time.Second)
	if registered(second) {
		t.Fatalf("registered with a wrong password: %v", second)
	}
	if r1, r2 := first.num("retry_in"), second.num("retry_in"); r1 <= 0 || r2 <= r1 {
		t.Errorf("retry_in %v then %v: want a growing backoff", r1, r2)
	}
	p.waitEvent("led", func(e event) bool { return e.str("led") == "registered" && e.str("pattern") == "blink-fast" }, time.Second)
	p.do("offhook")
	p.waitState("dial-tone", 5*time.Second)
}

// TestRegistrarRestart: the registrar goes away and comes back with an
// empty location table; the phone registers again by itself and can then
// be called.
func TestRegistrarRestart(t *testing.T) {
	k := startPBX(t, 6) // a 6 s binding: refreshes every few seconds
	a := startPhone(t, "A", phoneOpts{config: pbxAccount(t, k, "1001", testUsers["1001"]).toml()})
	a.waitEvent("registration", registered, 10*time.Second)
	k.Stop()
	a.waitEvent("registration", func(e event) bool { return !registered(e) }, 45*time.Second)
	k.Restart()
	a.waitEvent("registration", registered, 60*time.Second)

	b := startPhone(t, "B", phoneOpts{config: pbxAccount(t, k, "1002", testUsers["1002"]).toml()})
	b.waitEvent("registration", registered, 10*time.Second)
	b.do("offhook")
	b.do("dial 1001#")
	a.waitState("ringing", 10*time.Second)
	b.do("onhook")
	a.waitEvent("missed-call", nil, 10*time.Second)
}

// TestGhostCallGuard: an INVITE straight to a registered phone from an
// address that is not its registrar is refused with 403 and never rings.
func TestGhostCallGuard(t *testing.T) {
	k := startPBX(t, 0)
	acct := pbxAccount(t, k, "1001", testUsers["1001"])
	p := startPhone(t, "A", phoneOpts{config: acct.toml()})
	p.waitEvent("registration", registered, 10*time.Second)
	p.checkpoint()
	s := testpeer.StartSipp(t, testpeer.SippConfig{
		Scenario: "testdata/ghost_invite.xml",
		Remote:   "127.0.0.1:" + itoa(acct.port),
		Local:    "127.0.0.2",
		Timeout:  20 * time.Second,
	})
	if err := s.Wait(); err != nil {
		t.Fatalf("scanner scenario (expects 403): %v", err)
	}
	if e, ok := p.claim("ring", nil); ok {
		t.Fatalf("the scanner's INVITE rang the phone: %v", e)
	}
	p.never("ring", 500*time.Millisecond)
	p.do("offhook")
	p.waitState("dial-tone", 5*time.Second)
}
