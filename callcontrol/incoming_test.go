package callcontrol

import (
	"testing"
	"time"

	"handset/hal"
	"handset/sipstack"
)

// ringIn offers call id to an idle phone: it rings (stream s<n>), the bell
// starting at the given time since the test's start.
func ringIn(id, stream, at string) step {
	return step{act: sipEv(incoming(id)), state: Ringing, sip: []string{"ring " + id}, bell: []string{"on@" + at},
		media: []string{"new " + stream, "accept-offer " + stream + " offer-" + id},
		leds:  map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDBlinkSlow}}
}

// waitingIn offers call id during a connected call with call waiting on.
func waitingIn(id, stream string) step {
	return step{act: sipEv(incoming(id)), state: Connected, sip: []string{"ring " + id}, tones: []string{"call-waiting"},
		media: []string{"new " + stream, "accept-offer " + stream + " offer-" + id}}
}

func callWaiting(c *Config) { c.CallWaiting = true }

func TestIncoming(t *testing.T) {
	scenarios := []scenario{
		{name: "answer", steps: []step{
			ringIn("in-1", "s1", "0s"),
			{act: advance(12 * time.Second), state: Ringing, bell: []string{"off@2s", "on@6s", "off@8s", "on@12s"}},
			{act: advance(time.Second), state: Ringing},
			{act: lift(), state: Connected, sip: []string{"answer in-1 answer:offer-in-1"}, bell: []string{"off@13s"},
				media: []string{"attach s1"}, leds: map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDOn},
				check: func(t *testing.T, h *harness) {
					if got := eventsOf[CallStarted](h); len(got) != 1 || got[0] != (CallStarted{CallID: "in-1", Direction: "in", Remote: "sip:1001@pbx.test"}) {
						t.Fatalf("started %+v", got)
					}
					if got := eventsOf[CallConnected](h); len(got) != 1 || got[0] != (CallConnected{CallID: "in-1", SetupTime: 13 * time.Second}) {
						t.Fatalf("connected %+v", got)
					}
					if got := eventsOf[Ring](h); len(got) != 2 || got[0] != (Ring{On: true, CallID: "in-1"}) || got[1] != (Ring{On: false, CallID: "in-1"}) {
						t.Fatalf("ring events %+v", got)
					}
				}},
			// The bell's timer is gone: nothing rings on.
			{act: advance(time.Minute), state: Connected},
			{act: hangUp(), state: Idle, sip: []string{"hangup in-1"}, media: []string{"detach", "close s1"}},
		}},
		{name: "caller cancels: missed call", steps: []step{
			ringIn("in-1", "s1", "0s"),
			{act: advance(3 * time.Second), state: Ringing, bell: []string{"off@2s"}},
			{act: sipEv(sipstack.Ended{CallID: "in-1", ByPeer: true, Reason: "cancel"}), state: Idle,
				bell: []string{"off@3s"}, media: []string{"close s1"},
				leds: map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDOff},
				check: func(t *testing.T, h *harness) {
					if got := eventsOf[MissedCall](h); len(got) != 1 || got[0] != (MissedCall{CallID: "in-1", From: "sip:1001@pbx.test"}) {
						t.Fatalf("missed %+v", got)
					}
					if got := eventsOf[CallEnded](h); len(got) != 1 || got[0].Reason != "remote-cancel" {
						t.Fatalf("ended %+v", got)
					}
				}},
			{act: advance(time.Minute), state: Idle},
			ringIn("in-2", "s2", "1m3s"),
		}},
		{name: "no common codec: 488", steps: []step{
			{act: sipEv(sipstack.Incoming{CallID: "in-1", SDP: []byte("nocodec")}), state: Idle,
				sip: []string{"reject in-1 488"}, media: []string{"new s1", "accept-offer s1 nocodec", "close s1"}},
			{act: sipEv(sipstack.Incoming{CallID: "in-2"}), state: Idle, sip: []string{"reject in-2 488"}, media: []string{}},
			ringIn("in-3", "s2", "0s"),
		}},
		{name: "486 at dial tone", steps: []step{
			{act: lift(), state: DialTone, tones: []string{"dial"}},
			{act: sipEv(incoming("in-1")), state: DialTone, sip: []string{"reject in-1 486"}, media: []string{}},
		}},
		{name: "486 while dialing", steps: []step{
			{act: lift(), state: DialTone, tones: []string{"dial"}},
			{act: press("2"), state: Dialing, tones: []string{"none"}},
			{act: sipEv(incoming("in-1")), state: Dialing, sip: []string{"reject in-1 486"}},
		}},
		{name: "486 while calling", steps: append(dialOut(),
			step{act: sipEv(incoming("in-1")), state: Calling, sip: []string{"reject in-1 486"}},
		)},
		{name: "486 after a failure", steps: []step{
			{act: lift(), state: DialTone, tones: []string{"dial"}},
			{act: press("5"), state: Failed, tones: []string{"none", "congestion"}},
			{act: sipEv(incoming("in-1")), state: Failed, sip: []string{"reject in-1 486"}},
		}},
		{name: "486 while ringing", steps: []step{
			ringIn("in-1", "s1", "0s"),
			{act: sipEv(incoming("in-2")), state: Ringing, sip: []string{"reject in-2 486"}, media: []string{}},
		}},
		{name: "486 in a call without call waiting", steps: append(connectedOut(),
			step{act: sipEv(incoming("in-1")), state: Connected, sip: []string{"reject in-1 486"}, media: []string{}},
		)},
		{name: "call waiting: flash answers the waiting call", cfg: callWaiting, steps: append(connectedOut(),
			waitingIn("in-1", "s2"),
			step{act: advance(9900 * time.Millisecond), state: Connected},
			step{act: advance(100 * time.Millisecond), state: Connected, tones: []string{"call-waiting"}},
			step{act: sipEv(incoming("in-2")), state: Connected, sip: []string{"reject in-2 486"}},
			step{act: flash(), state: Connected, tones: []string{"none"},
				sip:   []string{"hangup out-1", "answer in-1 answer:offer-in-1"},
				media: []string{"detach", "close s1", "attach s2"},
				leds:  map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDOn},
				check: func(t *testing.T, h *harness) {
					if got := eventsOf[CallEnded](h); len(got) != 1 || got[0].CallID != "out-1" {
						t.Fatalf("ended %+v", got)
					}
					if got := eventsOf[CallConnected](h); len(got) != 2 || got[1].CallID != "in-1" {
						t.Fatalf("connected %+v", got)
					}
				}},
			step{act: advance(time.Minute), state: Connected},
			step{act: hangUp(), state: Idle, sip: []string{"hangup in-1"}, media: []string{"detach", "close s2"}},
		)},
		{name: "call waiting: hanging up rings for the waiting call", cfg: callWaiting, steps: append(connectedOut(),
			waitingIn("in-1", "s2"),
			step{act: advance(time.Second), state: Connected},
			step{act: hangUp(), state: Ringing, sip: []string{"hangup out-1"}, tones: []string{"none"}, bell: []string{"on@1s"},
				media: []string{"detach", "close s1"}, leds: map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDBlinkSlow}},
			step{act: advance(20 * time.Second), state: Ringing, bell: []string{"off@3s", "on@7s", "off@9s", "on@13s", "off@15s", "on@19s", "off@21s"}},
			step{act: lift(), state: Connected, sip: []string{"answer in-1 answer:offer-in-1"}, bell: []string{"off@21s"},
				media: []string{"attach s2"}},
		)},
		{name: "call waiting: the waiting caller gives up", cfg: callWaiting, steps: append(connectedOut(),
			waitingIn("in-1", "s2"),
			step{act: sipEv(sipstack.Ended{CallID: "in-1", ByPeer: true, Reason: "cancel"}), state: Connected,
				tones: []string{"none"}, media: []string{"close s2"}, leds: map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDOn},
				check: func(t *testing.T, h *harness) {
					if got := eventsOf[MissedCall](h); len(got) != 1 || got[0].CallID != "in-1" {
						t.Fatalf("missed %+v", got)
					}
				}},
			step{act: advance(time.Minute), state: Connected},
			step{act: hangUp(), state: Idle, sip: []string{"hangup out-1"}},
		)},
		{name: "call waiting: the far end hangs up, then the phone rings", cfg: callWaiting, steps: append(connectedOut(),
			waitingIn("in-1", "s2"),
			step{act: sipEv(sipstack.Ended{CallID: "out-1", ByPeer: true, Reason: "bye"}), state: Disconnected,
				tones: []string{"busy"}, media: []string{"detach", "close s1"}},
			step{act: advance(time.Minute), state: Disconnected},
			step{act: hangUp(), state: Ringing, tones: []string{"none"}, bell: []string{"on@1m0s"}},
		)},
		{name: "call waiting: flash after the far end hung up", cfg: callWaiting, steps: append(connectedOut(),
			waitingIn("in-1", "s2"),
			step{act: sipEv(sipstack.Ended{CallID: "out-1", ByPeer: true, Reason: "bye"}), state: Disconnected,
				tones: []string{"busy"}},
			step{act: flash(), state: Connected, tones: []string{"none"}, sip: []string{"answer in-1 answer:offer-in-1"},
				media: []string{"attach s2"}},
		)},
	}
	runScenarios(t, scenarios)
}
