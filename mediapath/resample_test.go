package mediapath

import (
	"errors"
	"slices"
	"testing"

	"handset/hal"
)

func TestConverter(t *testing.T) {
	tests := []struct {
		name    string
		f       hal.PCMFormat
		card    []int16 // one card period, built by the test from frame
		toMedia []int16 // what card converts to
	}{
		{"identity", hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 4}, []int16{1, 2, 3, 4}, []int16{1, 2, 3, 4}},
		{"stereo averaged", hal.PCMFormat{Rate: 8000, Channels: 2, PeriodFrames: 4}, []int16{1, 3, 2, 4, -6, 2, 7, 7}, []int16{2, 3, -2, 7}},
		{"16 kHz decimated", hal.PCMFormat{Rate: 16000, Channels: 1, PeriodFrames: 8}, []int16{1, 9, 2, 9, 3, 9, 4, 9}, []int16{1, 2, 3, 4}},
		{"48 kHz stereo", hal.PCMFormat{Rate: 48000, Channels: 2, PeriodFrames: 12},
			[]int16{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []int16{1, 6}},
	}
	for _, tc := range tests {
		c, err := newConverter(tc.f, len(tc.toMedia))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := make([]int16, len(tc.toMedia))
		c.toMedia(got, tc.card)
		if !slices.Equal(got, tc.toMedia) {
			t.Errorf("%s: toMedia %v, want %v", tc.name, got, tc.toMedia)
		}
		// Back to the card: each media sample repeated over its frames
		// and channels.
		back := make([]int16, tc.f.PeriodSamples())
		c.toCard(back, tc.toMedia)
		ratio := tc.f.PeriodFrames / len(tc.toMedia)
		for j := 0; j < tc.f.PeriodFrames; j++ {
			for ch := 0; ch < tc.f.Channels; ch++ {
				if v, want := back[j*tc.f.Channels+ch], tc.toMedia[j/ratio]; v != want {
					t.Fatalf("%s: toCard frame %d channel %d = %d, want %d (%v)", tc.name, j, ch, v, want, back)
				}
			}
		}
	}
}

func TestConverterRejects(t *testing.T) {
	for _, f := range []hal.PCMFormat{
		{},
		{Rate: 8000, Channels: 1, PeriodFrames: 256}, // 32 ms
		{Rate: 48000, Channels: 2, PeriodFrames: 1024},
		{Rate: 8000, Channels: 0, PeriodFrames: 160},
	} {
		if _, err := newConverter(f, frameSamples); !errors.Is(err, errCardFormat) {
			t.Errorf("%+v: err %v, want errCardFormat", f, err)
		}
	}
}

func TestConverterAllocs(t *testing.T) {
	c, err := newConverter(hal.PCMFormat{Rate: 48000, Channels: 2, PeriodFrames: 960}, frameSamples)
	if err != nil {
		t.Fatal(err)
	}
	card, frame := make([]int16, 1920), make([]int16, frameSamples)
	if n := testing.AllocsPerRun(100, func() {
		c.toMedia(frame, card)
		c.toCard(card, frame)
	}); n != 0 {
		t.Fatalf("%v allocations per period", n)
	}
}
