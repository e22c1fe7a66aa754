package bench

import (
	"slices"
	"testing"

	"handset/mediapath/codec"
)

func TestOnsetsFindClicks(t *testing.T) {
	for _, rate := range []int{8000, 16000} {
		buf := make([]int16, rate)
		at := []int{0, rate / 4, rate/2 + 3, rate - rate/100}
		for _, i := range at {
			AddClick(buf, i, rate)
		}
		if got := Onsets(buf, rate); !slices.Equal(got, at) {
			t.Errorf("%d Hz: onsets %v, want %v", rate, got, at)
		}
	}
	// Clicks closer than 100 ms count once.
	buf := make([]int16, 8000)
	AddClick(buf, 100, 8000)
	AddClick(buf, 500, 8000)
	if got := Onsets(buf, 8000); !slices.Equal(got, []int{100}) {
		t.Errorf("onsets %v, want [100]", got)
	}
}

// TestClicksSurviveCodecs: a click through G.711 starts on the same
// sample; through G.722 within the codec's delay of 2 ms.
func TestClicksSurviveCodecs(t *testing.T) {
	for _, tc := range []struct {
		codec      string
		rate       int
		maxSamples int
	}{{"PCMU", 8000, 0}, {"PCMA", 8000, 0}, {"G722", 16000, 32}} {
		enc, _ := codec.ByName(tc.codec)
		dec, _ := codec.ByName(tc.codec)
		frame := tc.rate / 50
		in := make([]int16, 25*frame)
		at := 5*frame + 7
		AddClick(in, at, tc.rate)
		var out []int16
		payload := make([]byte, 1500)
		pcm := make([]int16, 2*frame)
		for f := 0; f < 25; f++ {
			n := enc.Encode(payload, in[f*frame:(f+1)*frame])
			m := dec.Decode(pcm, payload[:n])
			out = append(out, pcm[:m]...)
		}
		got := Onsets(out, tc.rate)
		if len(got) != 1 || got[0] < at || got[0] > at+tc.maxSamples {
			t.Errorf("%s: onsets %v, want one at %d..%d", tc.codec, got, at, at+tc.maxSamples)
		}
	}
}
