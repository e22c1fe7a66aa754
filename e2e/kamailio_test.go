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
	a.WaitEvent("registration", registered, 10*time.Second)
	b.WaitEvent("registration", registered, 10*time.Second)

	// A calls B; B hangs up first.
	a.Do("offhook")
	a.WaitState("dial-tone", 5*time.Second)
	a.Do("dial 1002#")
	a.WaitState("calling", 5*time.Second)
	b.WaitState("ringing", 10*time.Second)
	b.WaitEvent("bell", func(e event) bool { return e["on"] == true }, 5*time.Second)
	a.WaitEvent("tone", func(e event) bool { return e.Str("tone") == "ringback" }, 5*time.Second)
	b.Do("offhook")
	b.WaitState("connected", 5*time.Second)
	a.WaitState("connected", 5*time.Second)
	time.Sleep(2 * time.Second) // talk
	b.Do("onhook")
	b.WaitState("idle", 5*time.Second)
	a.WaitState("disconnected", 10*time.Second)
	ended := a.WaitEvent("call-ended", nil, 5*time.Second)
	a.Do("onhook")
	a.WaitState("idle", 5*time.Second)
	stats, _ := ended["stats"].(map[string]any)
	if sent, _ := stats["PacketsSent"].(float64); sent < 50 {
		t.Errorf("A sent %v RTP packets in a 2 s call, want ≥ 50 (stats %v)", sent, stats)
	}

	// B calls A; A hangs up first.
	a.Checkpoint()
	b.Checkpoint()
	b.Do("offhook")
	b.Do("dial 1001#")
	a.WaitState("ringing", 10*time.Second)
	a.Do("offhook")
	a.WaitState("connected", 5*time.Second)
	b.WaitState("connected", 5*time.Second)
	time.Sleep(1 * time.Second)
	a.Do("onhook")
	b.WaitState("disconnected", 10*time.Second)
	b.Do("onhook")
	b.WaitState("idle", 5*time.Second)

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
	first := p.WaitEvent("registration", nil, 10*time.Second)
	if registered(first) || (first.Num("code") != 401 && first.Num("code") != 403) {
		t.Fatalf("first registration event %v, want a 401/403 failure", first)
	}
	second := p.WaitEvent("registration", nil, 20*time.Second)
	if registered(second) {
		t.Fatalf("registered with a wrong password: %v", second)
	}
	if r1, r2 := first.Num("retry_in"), second.Num("retry_in"); r1 <= 0 || r2 <= r1 {
		t.Errorf("retry_in %v then %v: want a growing backoff", r1, r2)
	}
	p.WaitEvent("led", func(e event) bool { return e.Str("led") == "registered" && e.Str("pattern") == "blink-fast" }, time.Second)
	p.Do("offhook")
	p.WaitState("dial-tone", 5*time.Second)
}

// TestRegistrarRestart: the registrar goes away and comes back with an
// empty location table; the phone registers again by itself and can then
// be called.
func TestRegistrarRestart(t *testing.T) {
	k := startPBX(t, 6) // a 6 s binding: refreshes every few seconds
	a := startPhone(t, "A", phoneOpts{config: pbxAccount(t, k, "1001", testUsers["1001"]).toml()})
	a.WaitEvent("registration", registered, 10*time.Second)
	k.Stop()
	a.WaitEvent("registration", func(e event) bool { return !registered(e) }, 45*time.Second)
	k.Restart()
	a.WaitEvent("registration", registered, 60*time.Second)

	b := startPhone(t, "B", phoneOpts{config: pbxAccount(t, k, "1002", testUsers["1002"]).toml()})
	b.WaitEvent("registration", registered, 10*time.Second)
	b.Do("offhook")
	b.Do("dial 1001#")
	a.WaitState("ringing", 10*time.Second)
	b.Do("onhook")
	a.WaitEvent("missed-call", nil, 10*time.Second)
}

// TestGhostCallGuard: an INVITE straight to a registered phone from an
// address that is not its registrar is refused with 403 and never rings.
func TestGhostCallGuard(t *testing.T) {
	k := startPBX(t, 0)
	acct := pbxAccount(t, k, "1001", testUsers["1001"])
	p := startPhone(t, "A", phoneOpts{config: acct.toml()})
	p.WaitEvent("registration", registered, 10*time.Second)
	p.Checkpoint()
	s := testpeer.StartSipp(t, testpeer.SippConfig{
		Scenario: "testdata/ghost_invite.xml",
		Remote:   "127.0.0.1:" + itoa(acct.port),
		Local:    "127.0.0.2",
		Timeout:  20 * time.Second,
	})
	if err := s.Wait(); err != nil {
		t.Fatalf("scanner scenario (expects 403): %v", err)
	}
	if e, ok := p.Claim("ring", nil); ok {
		t.Fatalf("the scanner's INVITE rang the phone: %v", e)
	}
	p.Never("ring", 500*time.Millisecond)
	p.Do("offhook")
	p.WaitState("dial-tone", 5*time.Second)
}
