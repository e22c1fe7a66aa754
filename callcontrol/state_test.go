package callcontrol

import "testing"

func TestStateString(t *testing.T) {
	tests := []struct {
		s    State
		want string
	}{
		{Idle, "idle"}, {DialTone, "dial-tone"}, {Dialing, "dialing"}, {Calling, "calling"},
		{Ringing, "ringing"}, {Connected, "connected"}, {Failed, "failed"},
		{Disconnected, "disconnected"}, {State(42), "state(42)"},
	}
	for i, tc := range tests {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("#%d: %d.String() = %q, want %q", i, int(tc.s), got, tc.want)
		}
		if b, _ := tc.s.MarshalText(); string(b) != tc.want {
			t.Errorf("#%d: MarshalText = %q, want %q", i, b, tc.want)
		}
	}
}
