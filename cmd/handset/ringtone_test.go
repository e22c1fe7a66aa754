package main

import (
	"slices"
	"testing"

	"handset/hal/sim"
	"handset/mediapath/tone"
)

type toneLog []tone.Kind

func (l *toneLog) PlayTone(k tone.Kind) { *l = append(*l, k) }

func TestRingtoneFollowsTheBell(t *testing.T) {
	var played toneLog
	bell := &sim.Bell{}
	r := &ringtoneBell{bell: bell, media: &played}
	for _, on := range []bool{true, true, false, false, true, false} {
		if err := r.SetBell(on); err != nil {
			t.Fatal(err)
		}
		if bell.On() != on {
			t.Fatalf("bell %v after SetBell(%v)", bell.On(), on)
		}
	}
	want := toneLog{tone.Ringtone, tone.None, tone.Ringtone, tone.None}
	if !slices.Equal(played, want) {
		t.Fatalf("tones %v, want %v", played, want)
	}
}
