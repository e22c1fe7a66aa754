package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/sim"
)

func TestSelftest(t *testing.T) {
	tests := []struct {
		name     string
		mic      sim.Source
		keys     string
		lift     bool
		wantPass bool
		want     []string
	}{
		{"all good", sim.NewToneSource(8000, 440, 0.3), "123", true, true,
			[]string{"PASS  mouthpiece", "PASS  keypad     every key seen", "PASS  hook", "all checks passed"}},
		{"dead microphone", sim.Silence{}, "123", true, false,
			[]string{"FAIL  mouthpiece", "PASS  keypad"}},
		{"key 2 and hook never seen", sim.NewToneSource(8000, 440, 0.3), "13", false, false,
			[]string{"FAIL  keypad     keys never seen: 2", "FAIL  hook       lifted: false"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := hal.SystemClock{}
			hook, keys := sim.NewHook(clk), sim.NewKeypad(clk)
			for _, k := range tc.keys {
				keys.Press(hal.Key(k), false)
			}
			if tc.lift {
				hook.Lift()
				hook.Hang()
			}
			card := sim.NewSoundCard(sim.SoundConfig{Rates: []int{8000}, Channels: []int{1}, Mic: tc.mic}, clk)
			var out bytes.Buffer
			got := selftest(context.Background(), selftestParts{
				Board: "sim", Card: card, Hook: hook, Keys: keys, Bell: &sim.Bell{}, Lamps: &sim.Lamps{}, Layout: "123",
			}, &out, clk, 300*time.Millisecond)
			if got != tc.wantPass {
				t.Errorf("passed = %v, want %v\n%s", got, tc.wantPass, out.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
