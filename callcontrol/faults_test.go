package callcontrol

import (
	"errors"
	"strings"
	"testing"
	"time"

	"handset/hal"
	"handset/sipstack"
)

var errFake = errors.New("fake failure")

func failSIP(verb string) func(*harness) {
	return func(h *harness) {
		h.sip.mu.Lock()
		h.sip.fail = map[string]error{verb: errFake}
		h.sip.mu.Unlock()
	}
}

func failMedia(op string) func(*harness) {
	return func(h *harness) {
		h.media.mu.Lock()
		h.media.fail = map[string]error{op: errFake}
		h.media.mu.Unlock()
	}
}

// TestFaults checks that failing parts are logged and handled, never fatal.
func TestFaults(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "no stream for a call", steps: []step{
			{act: failMedia("new"), state: Idle},
			{act: lift(), state: DialTone, tones: []string{"dial"}},
			{act: press("123"), state: Failed, tones: []string{"none", "congestion"}, media: []string{"key 1", "key 2", "key 3", "new failed"}},
			{act: hangUp(), state: Idle, tones: []string{"none"}},
			{act: sipEv(incoming("in-1")), state: Idle, sip: []string{"reject in-1 480"}, media: []string{"new failed"}},
		}},
		{name: "ring fails", steps: []step{
			{act: failSIP("ring"), state: Idle},
			{act: sipEv(incoming("in-1")), state: Idle, sip: []string{"ring in-1", "reject in-1 480"},
				media: []string{"new s1", "accept-offer s1 offer-in-1", "close s1"}},
		}},
		{name: "answer fails", steps: []step{
			ringIn("in-1", "s1", "0s"),
			{act: failSIP("answer"), state: Ringing},
			{act: lift(), state: Failed, sip: []string{"answer in-1 answer:offer-in-1"}, tones: []string{"congestion"},
				bell: []string{"off@0s"}, media: []string{"close s1"}},
			{act: hangUp(), state: Idle, tones: []string{"none"}},
		}},
		{name: "answering the waiting call fails", cfg: callWaiting, steps: append(connectedOut(),
			waitingIn("in-1", "s2"),
			step{act: failSIP("answer"), state: Connected},
			step{act: flash(), state: Failed, sip: []string{"hangup out-1", "answer in-1 answer:offer-in-1"},
				tones: []string{"none", "congestion"}, media: []string{"detach", "close s1", "close s2"}},
		)},
		{name: "attach fails: the call goes on without audio", steps: append(dialOut(),
			step{act: failMedia("attach"), state: Calling},
			step{act: sipEv(sipstack.Answered{CallID: "out-1", SDP: []byte("a")}), state: Connected,
				media: []string{"accept-answer s1 a", "attach s1"}},
			step{act: hangUp(), state: Idle, sip: []string{"hangup out-1"}, media: []string{"close s1"}},
		)},
		{name: "hangup, reject, close, bell and lamps fail", steps: append(connectedOut(),
			step{act: func(h *harness) {
				failSIP("hangup")(h)
				failMedia("close")(h)
				h.bell.err = errFake
				h.lamps.mu.Lock()
				h.lamps.err = errFake
				h.lamps.mu.Unlock()
			}, state: Connected},
			step{act: hangUp(), state: Idle, sip: []string{"hangup out-1"}, media: []string{"detach", "close s1"}},
			ringIn("in-1", "s2", "0s"),
			step{act: advance(2 * time.Second), state: Ringing, bell: []string{"off@2s"}},
			step{act: sipEv(sipstack.Ended{CallID: "in-1", ByPeer: true, Reason: "cancel"}), state: Idle, bell: []string{"off@2s"}},
			step{act: failSIP("reject"), state: Idle},
			step{act: sipEv(sipstack.Incoming{CallID: "in-2"}), state: Idle, sip: []string{"reject in-2 488"}},
		)},
		{name: "flash where it means nothing", steps: append(dialOut(),
			step{act: flash(), state: Calling},
			step{act: hangUp(), state: Idle, sip: []string{"hangup out-1"}},
			step{act: flash(), state: DialTone, tones: []string{"dial"}}, // a flash from on hook is a lift
			step{act: press("1"), state: Dialing, tones: []string{"none"}},
			step{act: flash(), state: Dialing},
		)},
	})
}

// TestClosedInputs checks that the loop survives its inputs closing.
func TestClosedInputs(t *testing.T) {
	h := newHarness(t, baseConfig(t))
	close(h.hook)
	close(h.keys)
	h.sync()
	h.sipEvent(incoming("in-1"))
	if h.phone.State() != Ringing {
		t.Fatalf("state %v, want ringing", h.phone.State())
	}
	if !strings.Contains(h.logs.String(), "hook switch closed") {
		t.Fatalf("closed hook switch not logged")
	}
	close(h.sip.ch)
	h.clock.Advance(2 * time.Second) // the bell cadence still runs
	if got := h.bell.rec.take(); !equalStrings(got, []string{"on@0s", "off@2s"}) {
		t.Fatalf("bell %q", got)
	}
	if h.lamps.get(hal.LEDInCall) != hal.LEDBlinkSlow {
		t.Fatalf("in-call lamp %v", h.lamps.get(hal.LEDInCall))
	}
}
