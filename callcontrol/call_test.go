package callcontrol

import (
	"testing"
	"time"

	"handset/hal"
	"handset/sipstack"
)

func TestConnectedCall(t *testing.T) {
	bye := sipstack.Ended{CallID: "out-1", ByPeer: true, Reason: "bye"}
	scenarios := []scenario{
		{name: "peer hangs up: disconnected until on-hook", steps: append(connectedOut(),
			step{act: advance(10 * time.Second), state: Connected},
			step{act: sipEv(bye), state: Disconnected, tones: []string{"busy"}, media: []string{"detach", "close s1"},
				leds: map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDOff},
				check: func(t *testing.T, h *harness) {
					if got := eventsOf[CallEnded](h); len(got) != 1 || got[0].Reason != "remote-bye" || got[0].Duration != 10*time.Second {
						t.Fatalf("ended %+v", got)
					}
				}},
			step{act: press("1"), state: Disconnected, media: []string{}},
			step{act: hangUp(), state: Idle, tones: []string{"none"}},
		)},
		{name: "on-hook, then the peer's BYE crosses it", steps: append(connectedOut(),
			step{act: hangUp(), state: Idle, sip: []string{"hangup out-1"}, media: []string{"detach", "close s1"}},
			step{act: sipEv(bye), state: Idle, media: []string{}},
			step{act: lift(), state: DialTone, tones: []string{"dial"}},
		)},
		{name: "peer's BYE, then on-hook", steps: append(connectedOut(),
			step{act: sipEv(bye), state: Disconnected, tones: []string{"busy"}, media: []string{"detach", "close s1"}},
			step{act: hangUp(), state: Idle, tones: []string{"none"}, media: []string{}},
			step{act: sipEv(sipstack.Ended{CallID: "out-1", Reason: "error"}), state: Idle},
		)},
		{name: "incoming call ended by the peer", steps: []step{
			ringIn("in-1", "s1", "0s"),
			{act: lift(), state: Connected, sip: []string{"answer in-1 answer:offer-in-1"}, bell: []string{"off@0s"}},
			{act: sipEv(sipstack.Ended{CallID: "in-1", ByPeer: true, Reason: "bye"}), state: Disconnected, tones: []string{"busy"}},
		}},
		{name: "re-invite", steps: append(connectedOut(),
			step{act: sipEv(sipstack.Updated{CallID: "out-1", SDP: []byte("hold")}), state: Connected,
				sip: []string{"answer out-1 answer:hold"}, media: []string{"accept-offer s1 hold"}},
			step{act: sipEv(sipstack.Updated{CallID: "out-1", SDP: []byte("nocodec")}), state: Connected,
				sip: []string{"reject out-1 488"}, media: []string{"accept-offer s1 nocodec"}},
			step{act: sipEv(sipstack.Updated{CallID: "other", SDP: []byte("x")}), state: Connected, media: []string{}},
		)},
		{name: "dtmf in a call", steps: append(connectedOut(),
			step{act: press("5#A*"), state: Connected,
				media: []string{"key 5", "dtmf 5", "key #", "dtmf #", "key A", "dtmf A", "key *", "dtmf *"}},
			step{act: press(string(hal.KeyVolumeUp) + string(hal.KeyRedial)), state: Connected, media: []string{}},
			step{act: sipEv(sipstack.DTMF{CallID: "out-1", Digit: '7'}), state: Connected, media: []string{}},
		)},
	}
	runScenarios(t, scenarios)
}
