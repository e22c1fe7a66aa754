package callcontrol

import (
	"slices"
	"testing"
	"time"

	"handset/sipstack"
)

// TestPeerDTMF: digits from the far end, by SIP INFO and in the media
// (RFC 4733, through PeerDTMF), come out as one kind of event for the call
// in progress; INFO for another call and digits outside a call do not.
func TestPeerDTMF(t *testing.T) {
	received := func(h *harness) []DTMFReceived { return eventsOf[DTMFReceived](h) }
	runScenarios(t, []scenario{
		{name: "INFO and RFC 4733 in a call", steps: append(connectedOut(),
			step{act: sipEv(sipstack.DTMF{CallID: "out-1", Digit: '7'}), state: Connected, media: []string{}},
			step{act: sipEv(sipstack.DTMF{CallID: "elsewhere", Digit: '8'}), state: Connected, media: []string{}},
			step{act: func(h *harness) {
				h.phone.PeerDTMF('#')
				deadline := time.Now().Add(patience)
				for len(received(h)) < 2 && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
			}, state: Connected, check: func(t *testing.T, h *harness) {
				want := []DTMFReceived{{CallID: "out-1", Key: "7", Via: "info"}, {CallID: "out-1", Key: "#", Via: "rfc4733"}}
				if got := received(h); !slices.Equal(got, want) {
					t.Fatalf("events %+v, want %+v", got, want)
				}
				if k := (DTMFReceived{}).Kind(); k != "dtmf-received" {
					t.Fatalf("kind %q", k)
				}
			}},
		)},
		{name: "no call", steps: []step{
			{act: sipEv(sipstack.DTMF{CallID: "x", Digit: '1'}), state: Idle, check: func(t *testing.T, h *harness) {
				if got := received(h); len(got) != 0 {
					t.Fatalf("events %+v outside a call", got)
				}
			}},
		}},
	})
}
