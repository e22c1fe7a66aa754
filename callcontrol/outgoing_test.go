package callcontrol

import (
	"fmt"
	"testing"
	"time"

	"handset/hal"
	"handset/mediapath"
	"handset/sipstack"
)

// dialOut lifts the handset and dials extension 123: call out-1 on stream
// s1, in state Calling.
func dialOut() []step {
	return []step{
		{act: lift(), state: DialTone, tones: []string{"dial"}},
		{act: press("123"), state: Calling, tones: []string{"none"}, sip: []string{"dial 123 offer:s1"},
			media: []string{"key 1", "key 2", "key 3", "new s1"}},
	}
}

// connectedOut is dialOut answered: out-1 connected on s1.
func connectedOut() []step {
	return append(dialOut(), step{
		act:   sipEv(sipstack.Answered{CallID: "out-1", SDP: []byte("answer-1")}),
		state: Connected, media: []string{"accept-answer s1 answer-1", "attach s1"},
		leds: map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDOn},
	})
}

func TestOutgoing(t *testing.T) {
	stats := mediapath.Stats{Codec: "PCMU", PacketsSent: 1500, PacketsReceived: 1498, Lost: 2}
	scenarios := []scenario{
		{name: "happy path", steps: []step{
			{act: lift(), state: DialTone, tones: []string{"dial"}},
			{act: press("12"), state: Dialing, tones: []string{"none"}, media: []string{"key 1", "key 2"}},
			{act: press("3"), state: Calling, sip: []string{"dial 123 offer:s1"}, media: []string{"key 3", "new s1"},
				check: func(t *testing.T, h *harness) {
					if got := eventsOf[Dialed](h); len(got) != 1 || got[0] != (Dialed{Digits: "123", Target: "123"}) {
						t.Fatalf("dialed %+v", got)
					}
					if got := eventsOf[CallStarted](h); len(got) != 1 || got[0] != (CallStarted{CallID: "out-1", Direction: "out", Remote: "123"}) {
						t.Fatalf("call started %+v", got)
					}
				}},
			{act: sipEv(sipstack.Progress{CallID: "out-1", Code: 100}), state: Calling},
			{act: sipEv(sipstack.Progress{CallID: "out-1", Code: 180}), state: Calling, tones: []string{"ringback"}},
			{act: sipEv(sipstack.Progress{CallID: "out-1", Code: 180}), state: Calling},
			{act: advance(2 * time.Second), state: Calling},
			{act: sipEv(sipstack.Answered{CallID: "out-1", SDP: []byte("answer-1")}), state: Connected,
				tones: []string{"none"}, media: []string{"accept-answer s1 answer-1", "attach s1"},
				leds: map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDOn},
				check: func(t *testing.T, h *harness) {
					want := CallConnected{CallID: "out-1", SetupTime: 2 * time.Second}
					if got := eventsOf[CallConnected](h); len(got) != 1 || got[0] != want {
						t.Fatalf("connected %+v, want %+v", got, want)
					}
					h.media.mu.Lock()
					h.media.stats = stats
					h.media.mu.Unlock()
				}},
			{act: advance(30 * time.Second), state: Connected},
			{act: hangUp(), state: Idle, sip: []string{"hangup out-1"}, media: []string{"detach", "close s1"},
				leds: map[hal.LED]hal.LEDPattern{hal.LEDInCall: hal.LEDOff},
				check: func(t *testing.T, h *harness) {
					want := CallEnded{CallID: "out-1", Reason: "local-hangup", Duration: 30 * time.Second, Stats: stats}
					if got := eventsOf[CallEnded](h); len(got) != 1 || got[0] != want {
						t.Fatalf("ended %+v, want %+v", got, want)
					}
				}},
		}},
		{name: "hang up while calling sends hangup", steps: append(dialOut(),
			step{act: sipEv(sipstack.Progress{CallID: "out-1", Code: 180}), state: Calling, tones: []string{"ringback"}},
			step{act: hangUp(), state: Idle, sip: []string{"hangup out-1"}, tones: []string{"none"}, media: []string{"close s1"},
				check: func(t *testing.T, h *harness) {
					if got := eventsOf[CallEnded](h); len(got) != 1 || got[0].Reason != "local-hangup" || got[0].Duration != 0 {
						t.Fatalf("ended %+v", got)
					}
				}},
			// The stack reports the cancelled INVITE's 487: stale, ignored.
			step{act: sipEv(sipstack.Failed{CallID: "out-1", Code: 487}), state: Idle, media: []string{}},
			step{act: sipEv(sipstack.Answered{CallID: "out-1"}), state: Idle, media: []string{}},
		)},
		{name: "early media on 183 with sdp", steps: append(dialOut(),
			step{act: sipEv(sipstack.Progress{CallID: "out-1", Code: 183, SDP: []byte("early-1")}), state: Calling,
				media: []string{"accept-answer s1 early-1", "attach s1"}},
			step{act: sipEv(sipstack.Progress{CallID: "out-1", Code: 180}), state: Calling, media: []string{}},
			step{act: press("5"), state: Calling, media: []string{"key 5", "dtmf 5"}},
			step{act: sipEv(sipstack.Answered{CallID: "out-1", SDP: []byte("early-1")}), state: Connected, media: []string{}},
			step{act: hangUp(), state: Idle, sip: []string{"hangup out-1"}, media: []string{"detach", "close s1"}},
		)},
		{name: "ringback stops when 180 brings sdp", steps: append(dialOut(),
			step{act: sipEv(sipstack.Progress{CallID: "out-1", Code: 180}), state: Calling, tones: []string{"ringback"}},
			step{act: sipEv(sipstack.Progress{CallID: "out-1", Code: 180, SDP: []byte("early-1")}), state: Calling,
				tones: []string{"none"}, media: []string{"accept-answer s1 early-1", "attach s1"}},
		)},
		{name: "unusable answer sdp hangs up", steps: append(dialOut(),
			step{act: sipEv(sipstack.Answered{CallID: "out-1", SDP: []byte("nocodec")}), state: Failed,
				sip: []string{"hangup out-1"}, tones: []string{"congestion"},
				media: []string{"accept-answer s1 nocodec", "close s1"}},
		)},
		{name: "invite not sent", cfg: nil, steps: []step{
			{act: func(h *harness) { h.sip.dialErr = fmt.Errorf("no route") }, state: Idle},
			{act: lift(), state: DialTone, tones: []string{"dial"}},
			{act: press("123"), state: Failed, sip: []string{"dial 123 offer:s1"}, tones: []string{"none", "congestion"},
				media: []string{"key 1", "key 2", "key 3", "new s1", "close s1"}},
		}},
	}
	// Final failures: busy tone for busy and decline, congestion otherwise.
	for _, tc := range []struct {
		code int
		tone string
	}{
		{486, "busy"}, {600, "busy"}, {603, "busy"},
		{404, "congestion"}, {484, "congestion"}, {480, "congestion"}, {408, "congestion"},
		{500, "congestion"}, {503, "congestion"}, {0, "congestion"}, {403, "congestion"},
	} {
		scenarios = append(scenarios, scenario{name: fmt.Sprintf("failed %d", tc.code), steps: append(dialOut(),
			step{act: sipEv(sipstack.Progress{CallID: "out-1", Code: 180}), state: Calling, tones: []string{"ringback"}},
			step{act: sipEv(sipstack.Failed{CallID: "out-1", Code: tc.code, Reason: "Reason"}), state: Failed,
				tones: []string{tc.tone}, media: []string{"close s1"},
				check: func(t *testing.T, h *harness) {
					want := fmt.Sprintf("%d Reason", tc.code)
					if got := eventsOf[CallEnded](h); len(got) != 1 || got[0].Reason != want {
						t.Fatalf("ended %+v, want reason %q", got, want)
					}
				}},
			step{act: press("1"), state: Failed, media: []string{}},
			step{act: hangUp(), state: Idle, tones: []string{"none"}},
		)})
	}
	runScenarios(t, scenarios)
}
