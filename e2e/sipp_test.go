package e2e

import (
	"crypto/md5"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"handset/internal/testpeer"
)

// directPhone starts a phone that does not register: its calls go to
// sip:DIGITS@handset.test through proxy (if set), and it takes direct calls.
func directPhone(t *testing.T, proxy string, mic float64) (*phone, account) {
	t.Helper()
	a := account{
		user: "1001", password: "secret-1001", domain: testDomain, proxy: proxy,
		port: testpeer.FreeUDPPort(t, "127.0.0.1"), direct: true,
	}
	return startPhone(t, "A", phoneOpts{config: a.toml(), mic: mic}), a
}

// sippUAS starts a sipp callee and a phone whose outbound proxy it is.
func sippUAS(t *testing.T, scenario string, args ...string) (*phone, *testpeer.Sipp) {
	t.Helper()
	s := testpeer.StartSipp(t, testpeer.SippConfig{
		Scenario: "testdata/" + scenario, Timeout: 30 * time.Second, Args: args,
	})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("--- sipp %s messages:\n%s", scenario, testpeer.Tail(s.Messages(), 120))
		}
	})
	p, _ := directPhone(t, s.Addr().String(), 1000)
	return p, s
}

// sippUAC runs a sipp caller against the phone a.
func sippUAC(t *testing.T, a account, scenario string) *testpeer.Sipp {
	t.Helper()
	s := testpeer.StartSipp(t, testpeer.SippConfig{
		Scenario: "testdata/" + scenario, Remote: "127.0.0.1:" + strconv.Itoa(a.port),
		Timeout: 30 * time.Second, Args: []string{"-s", a.user},
	})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("--- sipp %s messages:\n%s", scenario, testpeer.Tail(s.Messages(), 120))
		}
	})
	return s
}

func sippDone(t *testing.T, s *testpeer.Sipp) {
	t.Helper()
	if err := s.Wait(); err != nil {
		t.Fatalf("sipp: %v", err)
	}
}

// TestOutboundAuthAnswered: the proxy challenges the INVITE with 407; the
// phone answers with a digest that sipp verifies, gets 180 and 200, sends
// RTP that sipp echoes back, and hangs up with BYE.
func TestOutboundAuthAnswered(t *testing.T) {
	p, s := sippUAS(t, "uas_auth_answer.xml", "-rtp_echo")
	p.Do("offhook")
	p.Do("dial 1002#")
	p.WaitEvent("tone", func(e event) bool { return e.Str("tone") == "ringback" }, 10*time.Second)
	p.WaitState("connected", 10*time.Second)
	time.Sleep(2 * time.Second)
	p.Do("onhook")
	p.WaitState("idle", 5*time.Second)
	sippDone(t, s)
	checkDigest(t, s.Messages(), "INVITE", "1001", "secret-1001")
	if d := p.heard(1000); d < time.Second {
		t.Errorf("the echoed microphone tone was heard for %v, want ≥ 1 s", d)
	}
}

// checkDigest recomputes the RFC 2617 digest (MD5, no qop) of the first
// Proxy-Authorization header in msgs.
func checkDigest(t *testing.T, msgs, method, user, password string) {
	t.Helper()
	m := regexp.MustCompile(`Proxy-Authorization: Digest (.*)`).FindStringSubmatch(msgs)
	if m == nil {
		t.Fatal("no Proxy-Authorization header sent")
	}
	param := func(name string) string {
		p := regexp.MustCompile(name + `="?([^",]*)"?`).FindStringSubmatch(m[1])
		if p == nil {
			t.Fatalf("Proxy-Authorization has no %s: %s", name, m[1])
		}
		return p[1]
	}
	md5hex := func(s string) string { return fmt.Sprintf("%x", md5.Sum([]byte(s))) }
	if got := param("username"); got != user {
		t.Errorf("digest username %q, want %q", got, user)
	}
	ha1 := md5hex(user + ":" + param("realm") + ":" + password)
	ha2 := md5hex(method + ":" + param("uri"))
	if want := md5hex(ha1 + ":" + param("nonce") + ":" + ha2); param("response") != want {
		t.Errorf("digest response %s, want %s", param("response"), want)
	}
}

// TestOutboundBusy: 486 gives busy tone until the handset goes down.
func TestOutboundBusy(t *testing.T) {
	p, s := sippUAS(t, "uas_busy.xml")
	p.Do("offhook")
	p.Do("dial 1002#")
	p.WaitState("failed", 10*time.Second)
	p.WaitEvent("tone", func(e event) bool { return e.Str("tone") == "busy" }, 5*time.Second)
	sippDone(t, s)
	p.Do("onhook")
	p.WaitState("idle", 5*time.Second)
}

// TestOutboundEarlyMedia: 183 with SDP plays the far end's audio before the
// answer (sipp echoes the phone's own microphone), then 200 connects.
func TestOutboundEarlyMedia(t *testing.T) {
	p, s := sippUAS(t, "uas_early_media.xml", "-rtp_echo")
	p.Do("offhook")
	p.Do("dial 1002#")
	p.WaitState("calling", 10*time.Second)
	p.WaitState("connected", 10*time.Second)
	p.Do("onhook")
	p.WaitState("idle", 5*time.Second)
	sippDone(t, s)
	// The 2 s between 183 and 200 carried the echo: no ringback, the tone.
	if d := p.heard(1000); d < time.Second {
		t.Errorf("early media: heard the echoed tone for %v, want ≥ 1 s", d)
	}
}

// TestOutboundCancel: hanging up while it rings sends CANCEL; the 487 is ACKed.
func TestOutboundCancel(t *testing.T) {
	p, s := sippUAS(t, "uas_cancel.xml")
	p.Do("offhook")
	p.Do("dial 1002#")
	p.WaitEvent("tone", func(e event) bool { return e.Str("tone") == "ringback" }, 10*time.Second)
	p.Do("onhook")
	p.WaitState("idle", 5*time.Second)
	sippDone(t, s)
}

// TestInboundAnsweredPeerHangsUp: the phone rings, lifting answers with the
// caller's first codec (PCMA), and the caller's BYE ends the call.
func TestInboundAnsweredPeerHangsUp(t *testing.T) {
	p, a := directPhone(t, "", 1000)
	s := sippUAC(t, a, "uac_answer_bye.xml")
	p.WaitState("ringing", 10*time.Second)
	p.WaitEvent("bell", func(e event) bool { return e["on"] == true }, 5*time.Second)
	p.Do("offhook")
	p.WaitState("connected", 5*time.Second)
	p.WaitState("disconnected", 10*time.Second)
	ended := p.WaitEvent("call-ended", nil, 5*time.Second)
	if stats, _ := ended["stats"].(map[string]any); stats["Codec"] != "PCMA" {
		t.Errorf("codec %v, want the caller's first choice PCMA", stats["Codec"])
	}
	p.Do("onhook")
	p.WaitState("idle", 5*time.Second)
	sippDone(t, s)
}

// TestInboundCancelled: the caller's CANCEL stops the bell; a missed call.
func TestInboundCancelled(t *testing.T) {
	p, a := directPhone(t, "", 0)
	s := sippUAC(t, a, "uac_cancel.xml")
	p.WaitState("ringing", 10*time.Second)
	p.WaitEvent("missed-call", nil, 10*time.Second)
	p.WaitState("idle", 5*time.Second)
	p.WaitEvent("bell", func(e event) bool { return e["on"] == false }, 5*time.Second)
	sippDone(t, s)
}

// TestInboundNoCommonCodec: a G.729-only offer gets 488 and never rings.
func TestInboundNoCommonCodec(t *testing.T) {
	p, a := directPhone(t, "", 0)
	p.Checkpoint()
	sippDone(t, sippUAC(t, a, "uac_no_codec.xml"))
	if e, ok := p.Claim("ring", nil); ok {
		t.Fatalf("rang for a call it cannot take: %v", e)
	}
}

// TestMalformedRequests: garbage is dropped or refused, and the phone
// still answers OPTIONS and still makes calls.
func TestMalformedRequests(t *testing.T) {
	p, a := directPhone(t, "", 0)
	sippDone(t, sippUAC(t, a, "uac_malformed.xml"))
	p.Do("offhook")
	p.WaitState("dial-tone", 5*time.Second)
}
