package callcontrol

import (
	"testing"
	"time"
)

func TestRingCadence(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name    string
		cadence []time.Duration
		after   time.Duration
		want    []string
	}{
		{"US", []time.Duration{2 * time.Second, 4 * time.Second}, 14 * time.Second,
			[]string{"on@0s", "off@2s", "on@6s", "off@8s", "on@12s", "off@14s"}},
		{"UK double ring", []time.Duration{400 * ms, 200 * ms, 400 * ms, 2000 * ms}, 3600 * ms,
			[]string{"on@0s", "off@400ms", "on@600ms", "off@1s", "on@3s", "off@3.4s", "on@3.6s"}},
		{"default", nil, 6 * time.Second, []string{"on@0s", "off@2s", "on@6s"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig(t)
			cfg.RingCadence = tc.cadence
			h := newHarness(t, cfg)
			h.sipEvent(incoming("in-1"))
			h.clock.Advance(tc.after)
			if got := h.bell.rec.take(); !equalStrings(got, tc.want) {
				t.Fatalf("bell %q, want %q", got, tc.want)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
