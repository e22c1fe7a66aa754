package testpeer

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// End-to-end tests: sipp talks to kamailio on loopback.

const testDomain = "handset.test"

func testUsers() map[string]string {
	return map[string]string{"1001": "secret-1001", "1002": "secret-1002"}
}

func startRegistrar(t *testing.T) *Kamailio {
	t.Helper()
	return StartKamailio(t, KamailioConfig{Users: testUsers(), Domain: testDomain, Addr: "127.0.0.1:0"})
}

// sippAs returns sipp arguments that make scenarios act as user with
// password.
func sippAs(user, password string, extra ...string) []string {
	args := []string{"-s", user, "-au", user, "-ap", password, "-key", "domain", testDomain}
	return append(args, extra...)
}

// run starts one scenario against k and waits for it.
func run(t *testing.T, k *Kamailio, cfg SippConfig) (*Sipp, error) {
	t.Helper()
	cfg.Remote = k.Addr().String()
	s := StartSipp(t, cfg)
	return s, s.Wait()
}

// register registers user from local:port and fails the test if that does
// not work.
func register(t *testing.T, k *Kamailio, user, local string, port int) {
	t.Helper()
	s, err := run(t, k, SippConfig{
		Scenario: "testdata/register.xml",
		Local:    local,
		Port:     port,
		Args:     sippAs(user, testUsers()[user], "-key", "expires", "3600"),
	})
	if err != nil {
		t.Fatalf("register %s: %v\nkamailio log:\n%s", user, err, k.Log())
	}
	if s.Addr().Port() != uint16(port) {
		t.Fatalf("register %s: sipp on %v, want port %d", user, s.Addr(), port)
	}
}

// callThrough registers 1002 and has 1001 call it through k: 1002 answers,
// 1001 hangs up.
func callThrough(t *testing.T, k *Kamailio) {
	t.Helper()
	calleePort := FreeUDPPort(t, "127.0.0.1")
	register(t, k, "1002", "127.0.0.1", calleePort)

	callee := StartSipp(t, SippConfig{Scenario: "testdata/answer.xml", Local: "127.0.0.1", Port: calleePort})
	caller := StartSipp(t, SippConfig{
		Scenario: "testdata/call.xml",
		Remote:   k.Addr().String(),
		Local:    "127.0.0.2",
		Args:     sippAs("1001", testUsers()["1001"], "-key", "callee", "1002"),
	})
	if err := caller.Wait(); err != nil {
		t.Fatalf("caller: %v\nkamailio log:\n%s", err, k.Log())
	}
	if err := callee.Wait(); err != nil {
		t.Fatalf("callee: %v\nkamailio log:\n%s", err, k.Log())
	}
	msgs := caller.Messages()
	for _, want := range []string{"SIP/2.0 407", "SIP/2.0 180", "SIP/2.0 200 OK", "Record-Route: <sip:" + k.Addr().String() + ";lr"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("caller never saw %q; messages:\n%s", want, msgs)
		}
	}
	for _, want := range []string{"ACK sip:", "BYE sip:"} {
		if !strings.Contains(callee.Messages(), want) {
			t.Errorf("callee never got %q; messages:\n%s", want, callee.Messages())
		}
	}
}

func TestKamailioRegisterWithDigestAuth(t *testing.T) {
	k := startRegistrar(t)
	tests := []struct {
		expires, granted string
	}{
		{"600", "expires=600"},   // honoured
		{"30", "expires=60"},     // raised to the minimum
		{"7200", "expires=3600"}, // cut to the maximum
	}
	for i, tc := range tests {
		s, err := run(t, k, SippConfig{
			Scenario: "testdata/register.xml",
			Args:     sippAs("1002", "secret-1002", "-key", "expires", tc.expires),
		})
		if err != nil {
			t.Fatalf("#%d: register: %v\nkamailio log:\n%s", i, err, k.Log())
		}
		msgs := s.Messages()
		if !strings.Contains(msgs, "SIP/2.0 401 Unauthorized") || !strings.Contains(msgs, `WWW-Authenticate: Digest realm="handset.test"`) {
			t.Errorf("#%d: no 401 challenge for realm %s; messages:\n%s", i, testDomain, msgs)
		}
		_, reply, _ := strings.Cut(msgs, "SIP/2.0 200 OK")
		if !strings.Contains(reply, tc.granted) {
			t.Errorf("#%d: Expires %s: 200 does not grant %s; messages:\n%s", i, tc.expires, tc.granted, msgs)
		}
	}
	if !strings.Contains(k.Log(), "registered sip:1002@handset.test") {
		t.Errorf("kamailio did not log the registration:\n%s", k.Log())
	}
}

func TestKamailioOnIPv6WithPunctuation(t *testing.T) {
	if c, err := net.ListenPacket("udp", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	} else {
		c.Close()
	}
	const user, password = "+49.30_a-b", "p w!#%&'()*+,-./:;<=>?@^`{|}~"
	k := StartKamailio(t, KamailioConfig{Users: map[string]string{user: password}, Domain: testDomain, Addr: "[::1]:0"})
	_, err := run(t, k, SippConfig{
		Scenario: "testdata/register.xml",
		Local:    "::1",
		Args:     sippAs(user, password, "-key", "expires", "120"),
	})
	if err != nil {
		t.Fatalf("register: %v\nkamailio log:\n%s", err, k.Log())
	}
}

func TestKamailioRefusesBadCredentials(t *testing.T) {
	k := startRegistrar(t)
	tests := []struct {
		name      string
		args      []string
		wantReply string
	}{
		{"wrong password", sippAs("1002", "wrong"), "SIP/2.0 401"},
		{"unknown user", sippAs("9999", "whatever"), "SIP/2.0 403 Unknown User"},
		// 1001's credentials used to register 1002.
		{"auth user mismatch", []string{"-s", "1002", "-au", "1001", "-ap", "secret-1001", "-key", "domain", testDomain}, "SIP/2.0 403 Auth User Mismatch"},
	}
	for i, tc := range tests {
		s, err := run(t, k, SippConfig{Scenario: "testdata/register_rejected.xml", Args: tc.args})
		if err != nil {
			t.Fatalf("#%d %s: %v\nkamailio log:\n%s", i, tc.name, err, k.Log())
		}
		msgs := s.Messages()
		if n := strings.Count(msgs, "SIP/2.0 "); n != 2 {
			t.Errorf("#%d %s: got %d replies, want a challenge and a refusal; messages:\n%s", i, tc.name, n, msgs)
		}
		_, second, _ := strings.Cut(msgs, "Authorization: Digest")
		if !strings.Contains(second, tc.wantReply) {
			t.Errorf("#%d %s: credentials not refused with %q; messages:\n%s", i, tc.name, tc.wantReply, msgs)
		}
	}

	// The scenario that expects success must fail, and say why.
	_, err := run(t, k, SippConfig{
		Scenario: "testdata/register.xml",
		Args:     sippAs("1002", "wrong", "-key", "expires", "3600"),
	})
	if !errors.Is(err, errSippFailed) {
		t.Fatalf("register with a wrong password: got %v, want %v", err, errSippFailed)
	}
	if !strings.Contains(err.Error(), "401") {
		t.Errorf("the error does not show the unexpected 401: %v", err)
	}
}

func TestKamailioRelaysCallToRegisteredUser(t *testing.T) {
	k := startRegistrar(t)
	callThrough(t, k)
	if !strings.Contains(k.Log(), "INVITE from 1001 relayed to sip:1002@127.0.0.1:") {
		t.Errorf("kamailio did not log the relayed INVITE:\n%s", k.Log())
	}
}

func TestKamailioRefusesCalls(t *testing.T) {
	k := startRegistrar(t)
	tests := []struct {
		callee, want string
	}{
		{"9999", "SIP/2.0 404"}, // no such user
		{"1002", "SIP/2.0 480"}, // a user who is not registered
	}
	for i, tc := range tests {
		s, err := run(t, k, SippConfig{
			Scenario: "testdata/call_rejected.xml",
			Args:     sippAs("1001", "secret-1001", "-key", "callee", tc.callee),
		})
		if err != nil {
			t.Fatalf("#%d: call %s: %v\nkamailio log:\n%s", i, tc.callee, err, k.Log())
		}
		if msgs := s.Messages(); !strings.Contains(msgs, "SIP/2.0 407") || !strings.Contains(msgs, tc.want) {
			t.Errorf("#%d: call %s: want 407 then %q; messages:\n%s", i, tc.callee, tc.want, msgs)
		}
	}
}

func TestKamailioRestartForgetsRegistrations(t *testing.T) {
	k := startRegistrar(t)
	addr := k.Addr()
	callThrough(t, k) // 1002 is registered and reachable

	pgid := k.proc.pid()
	k.Stop()
	if live := liveInGroup(t, pgid); len(live) > 0 {
		t.Fatalf("after Stop, kamailio processes %v are still running", live)
	}
	if err := ping(addr, 300*time.Millisecond); err == nil {
		t.Fatal("a stopped kamailio answered OPTIONS")
	}
	k.Stop() // twice is harmless

	k.Restart()
	if k.Addr() != addr {
		t.Fatalf("restarted on %v, want %v", k.Addr(), addr)
	}
	if err := ping(addr, 2*time.Second); err != nil {
		t.Fatalf("restarted kamailio: %v", err)
	}
	s, err := run(t, k, SippConfig{
		Scenario: "testdata/call_rejected.xml",
		Args:     sippAs("1001", "secret-1001", "-key", "callee", "1002"),
	})
	if err != nil {
		t.Fatalf("call after restart: %v\nkamailio log:\n%s", err, k.Log())
	}
	if msgs := s.Messages(); !strings.Contains(msgs, "SIP/2.0 480") {
		t.Errorf("after restart 1002 is still registered; messages:\n%s", msgs)
	}
	if n := strings.Count(k.Log(), "Listening on"); n != 2 {
		t.Errorf("log holds %d runs, want both", n)
	}
}

func TestSippTimeout(t *testing.T) {
	// A UAS that never gets a call fails once its Timeout is up.
	s := StartSipp(t, SippConfig{Scenario: "testdata/answer.xml", Timeout: time.Second})
	err := s.Wait()
	if !errors.Is(err, errSippFailed) && !errors.Is(err, errSippTimeout) {
		t.Fatalf("got %v, want a failure", err)
	}
	if again := s.Wait(); again != err {
		t.Errorf("second Wait: got %v, want %v", again, err)
	}
}

func TestPeersLeaveNoProcesses(t *testing.T) {
	var kamailioGroup, sippPid int
	t.Run("peers", func(t *testing.T) {
		k := startRegistrar(t)
		s := StartSipp(t, SippConfig{Scenario: "testdata/answer.xml", Timeout: time.Minute})
		kamailioGroup, sippPid = k.proc.pid(), s.proc.pid()
		if live := liveInGroup(t, kamailioGroup); len(live) < 2 {
			t.Fatalf("kamailio group %d: live processes %v, want a main process and workers", kamailioGroup, live)
		}
		// The test ends with both still running: the cleanups must stop them.
	})
	if live := liveInGroup(t, kamailioGroup); len(live) > 0 {
		t.Errorf("kamailio processes %v outlived the test", live)
	}
	if live := liveInGroup(t, sippPid); len(live) > 0 {
		t.Errorf("sipp processes %v outlived the test", live)
	}
	if kids := liveChildren(t); len(kids) > 0 {
		t.Errorf("the test process still has children %v", kids)
	}
}

func TestKamailioMaxExpiresCapsGrant(t *testing.T) {
	k := StartKamailio(t, KamailioConfig{Users: testUsers(), Domain: testDomain, Addr: "127.0.0.1:0", MaxExpires: 10})
	s, err := run(t, k, SippConfig{
		Scenario: "testdata/register.xml",
		Args:     sippAs("1002", "secret-1002", "-key", "expires", "600"),
	})
	if err != nil {
		t.Fatalf("register: %v\nkamailio log:\n%s", err, k.Log())
	}
	if _, reply, _ := strings.Cut(s.Messages(), "SIP/2.0 200 OK"); !strings.Contains(reply, "expires=10") {
		t.Fatalf("200 does not grant 10 s; messages:\n%s", s.Messages())
	}
}
