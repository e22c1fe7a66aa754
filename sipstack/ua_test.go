package sipstack

import (
	"bytes"
	"context"
	"errors"
	"net"
	"runtime"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/haltest"
)

func directConfig(user string) Config {
	return Config{User: user, DisplayName: user, ListenAddr: "127.0.0.1:0", AllowDirectCalls: true}
}

// Two UAs without a registrar call each other by URI; each side hangs up
// once. Afterwards no goroutine is left.
func TestDirectCallBetweenTwoUAs(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, callerHangsUp := range []bool{false, true} {
		a := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
		b := startUA(t, "bob", directConfig("bob"), hal.SystemClock{})

		offer, answer := testSDP("alice"), testSDP("bob")
		id, err := a.Dial("sip:bob@"+b.LocalAddr().String(), offer)
		if err != nil {
			t.Fatalf("Dial: %v", err)
		}
		in := waitFor[Incoming](t, b.UA)
		if in.FromUser != "alice" || in.DisplayName != "alice" || !bytes.Equal(in.SDP, offer) {
			t.Fatalf("Incoming = %+v", in)
		}
		if in.Source != a.LocalAddr().String() {
			t.Errorf("Incoming.Source = %q, want %q", in.Source, a.LocalAddr())
		}
		if err := b.Ring(in.CallID); err != nil {
			t.Fatalf("Ring: %v", err)
		}
		if p := waitFor[Progress](t, a.UA); p.Code != 180 || p.CallID != id {
			t.Fatalf("Progress = %+v", p)
		}
		if err := b.Ring("nonsense"); !errors.Is(err, ErrUnknownCall) {
			t.Errorf("Ring(unknown) = %v, want ErrUnknownCall", err)
		}
		if err := a.Ring(id); !errors.Is(err, ErrCallState) {
			t.Errorf("Ring on an outbound call = %v, want ErrCallState", err)
		}
		if err := b.Answer(in.CallID, answer); err != nil {
			t.Fatalf("Answer: %v", err)
		}
		ans := waitFor[Answered](t, a.UA)
		if ans.CallID != id || !bytes.Equal(ans.SDP, answer) {
			t.Fatalf("Answered = %+v", ans)
		}
		if err := b.Answer(in.CallID, answer); !errors.Is(err, ErrCallState) {
			t.Errorf("second Answer = %v, want ErrCallState", err)
		}

		hanger, other, hid, oid := b, a, in.CallID, id
		if callerHangsUp {
			hanger, other, hid, oid = a, b, id, in.CallID
		}
		if err := hanger.Hangup(hid); err != nil {
			t.Fatalf("Hangup: %v", err)
		}
		if e := waitFor[Ended](t, other.UA); e.CallID != oid || !e.ByPeer || e.Reason != "bye" {
			t.Fatalf("peer's Ended = %+v", e)
		}
		if e := waitFor[Ended](t, hanger.UA); e.CallID != hid || e.ByPeer || e.Reason != "bye" {
			t.Fatalf("own Ended = %+v", e)
		}
		a.stop(t)
		b.stop(t)
	}
	checkGoroutines(t, before)
}

// An unanswered direct call: the caller hangs up while it rings (CANCEL),
// and the callee sees Ended{cancel}.
func TestDirectCallCancelled(t *testing.T) {
	a := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	b := startUA(t, "bob", directConfig("bob"), hal.SystemClock{})
	id, err := a.Dial("sip:bob@"+b.LocalAddr().String(), testSDP("alice"))
	if err != nil {
		t.Fatal(err)
	}
	in := waitFor[Incoming](t, b.UA)
	if err := b.Ring(in.CallID); err != nil {
		t.Fatal(err)
	}
	waitFor[Progress](t, a.UA)
	if err := a.Hangup(id); err != nil {
		t.Fatal(err)
	}
	if e := waitFor[Ended](t, b.UA); !e.ByPeer || e.Reason != "cancel" {
		t.Fatalf("callee Ended = %+v", e)
	}
	if e := waitFor[Ended](t, a.UA); e.ByPeer || e.Reason != "cancel" {
		t.Fatalf("caller Ended = %+v", e)
	}
	if err := b.Answer(in.CallID, testSDP("bob")); !errors.Is(err, ErrUnknownCall) {
		t.Errorf("Answer after cancel = %v, want ErrUnknownCall", err)
	}
}

// The callee rejects with 486; the caller gets Failed{486}.
func TestDirectCallRejected(t *testing.T) {
	a := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	b := startUA(t, "bob", directConfig("bob"), hal.SystemClock{})
	id, err := a.Dial("sip:bob@"+b.LocalAddr().String(), testSDP("alice"))
	if err != nil {
		t.Fatal(err)
	}
	in := waitFor[Incoming](t, b.UA)
	if err := b.Reject(in.CallID, 200); !errors.Is(err, ErrBadCode) {
		t.Errorf("Reject(200) = %v, want ErrBadCode", err)
	}
	if err := b.Reject(in.CallID, 486); err != nil {
		t.Fatal(err)
	}
	if f := waitFor[Failed](t, a.UA); f.CallID != id || f.Code != 486 || f.Reason != "Busy Here" {
		t.Fatalf("Failed = %+v", f)
	}
	if e := waitFor[Ended](t, b.UA); e.ByPeer || e.Reason != "reject" {
		t.Fatalf("callee Ended = %+v", e)
	}
}

// Calls to a user that is not ours, sent directly, are refused with 404.
func TestDirectCallWrongUser(t *testing.T) {
	a := startUA(t, "alice", directConfig("alice"), hal.SystemClock{})
	b := startUA(t, "bob", directConfig("bob"), hal.SystemClock{})
	if _, err := a.Dial("sip:carol@"+b.LocalAddr().String(), testSDP("alice")); err != nil {
		t.Fatal(err)
	}
	if f := waitFor[Failed](t, a.UA); f.Code != 404 {
		t.Fatalf("Failed = %+v, want 404", f)
	}
	noEvent[Incoming](t, b.UA, quietPeriod)
}

func TestRunPortBusy(t *testing.T) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	u, err := New(Config{User: "a", ListenAddr: c.LocalAddr().String()}, nil, hal.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.Run(context.Background()); err == nil {
		t.Fatal("Run on a busy port succeeded")
	}
	if _, ok := <-u.Events(); ok {
		t.Error("Events not closed after a failed Run")
	}
}

// Verbs before Run, and Run twice.
func TestNotRunning(t *testing.T) {
	u, err := New(directConfig("a"), nil, haltest.NewClock(time.Unix(0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Dial("sip:b@127.0.0.1:5999", testSDP("a")); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Dial before Run = %v, want ErrNotRunning", err)
	}
	if err := u.Hangup("x"); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Hangup before Run = %v, want ErrNotRunning", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := u.Run(ctx); err != nil {
		t.Fatalf("Run with a cancelled context: %v", err)
	}
	if _, ok := <-u.Events(); ok {
		t.Error("Events not closed after Run")
	}
	if err := u.Run(context.Background()); err == nil {
		t.Error("second Run succeeded")
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	if _, err := New(directConfig("a"), nil, nil); !errors.Is(err, ErrConfig) {
		t.Errorf("nil clock: %v", err)
	}
}
