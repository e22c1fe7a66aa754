package callcontrol

import (
	"encoding/json"
	"testing"
	"time"

	"handset/mediapath"
)

func TestEventsJSON(t *testing.T) {
	tests := []struct {
		ev   Event
		kind string
		want string
	}{
		{StateChanged{From: Idle, To: DialTone, Reason: "off-hook"}, "state",
			`{"from":"idle","to":"dial-tone","reason":"off-hook"}`},
		{Tone{Tone: "busy"}, "tone", `{"tone":"busy"}`},
		{Ring{On: true, CallID: "c1"}, "ring", `{"on":true,"call_id":"c1"}`},
		{CallStarted{CallID: "c1", Direction: DirectionIn, Remote: "sip:1@x", DisplayName: "Al"}, "call-started",
			`{"call_id":"c1","direction":"in","remote":"sip:1@x","display_name":"Al"}`},
		{CallConnected{CallID: "c1", SetupTime: time.Second}, "call-connected", `{"call_id":"c1","setup_time":1000000000}`},
		{Registration{Registered: true, Registrar: "pbx", Expires: time.Second}, "registration",
			`{"registered":true,"registrar":"pbx","expires":1000000000}`},
		{Registration{Registrar: "pbx", Code: 403, Reason: "Forbidden", RetryIn: time.Second}, "registration",
			`{"registered":false,"registrar":"pbx","code":403,"reason":"Forbidden","retry_in":1000000000}`},
		{MissedCall{CallID: "c1", From: "sip:1@x"}, "missed-call", `{"call_id":"c1","from":"sip:1@x"}`},
		{Dialed{Digits: "2000#", Target: "2000"}, "dialed", `{"digits":"2000#","target":"2000"}`},
	}
	for i, tc := range tests {
		if got := tc.ev.Kind(); got != tc.kind {
			t.Errorf("#%d: Kind %q, want %q", i, got, tc.kind)
		}
		b, err := json.Marshal(tc.ev)
		if err != nil || string(b) != tc.want {
			t.Errorf("#%d: JSON %s (%v), want %s", i, b, err, tc.want)
		}
	}
	ended := CallEnded{CallID: "c1", Reason: "remote-bye", Duration: time.Minute, Stats: mediapath.Stats{Codec: "PCMU", Lost: 3}}
	b, err := json.Marshal(ended)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		CallID   string `json:"call_id"`
		Reason   string
		Duration time.Duration
		Stats    mediapath.Stats
	}
	if err := json.Unmarshal(b, &back); err != nil || back.CallID != "c1" || back.Reason != "remote-bye" ||
		back.Duration != time.Minute || back.Stats.Lost != 3 || ended.Kind() != "call-ended" {
		t.Errorf("call-ended JSON %s (%v) read back as %+v", b, err, back)
	}
}
