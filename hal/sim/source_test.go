package sim

import (
	"log/slog"
	"math"
	"testing"
)

func TestToneSource(t *testing.T) {
	tests := []struct {
		rate      int
		freq, amp float64
	}{
		{8000, 1000, 0.5},
		{48000, 600, 1},
		{8000, 440, 2}, // amplitude clamps to full scale
	}
	for i, tc := range tests {
		s := NewToneSource(tc.rate, tc.freq, tc.amp)
		buf := make([]int16, tc.rate) // one second, filled in periods
		for off := 0; off < len(buf); off += tc.rate / 50 {
			s.Fill(buf[off : off+tc.rate/50])
		}
		crossings, peak := 0, 0
		for j, v := range buf {
			if j > 0 && (buf[j-1] < 0) != (v < 0) {
				crossings++
			}
			peak = max(peak, int(math.Abs(float64(v))))
		}
		if want := int(2 * tc.freq); crossings < want-2 || crossings > want+2 {
			t.Errorf("#%d: %d zero crossings in 1 s, want about %d", i, crossings, want)
		}
		wantPeak := math.Min(tc.amp, 1) * math.MaxInt16
		if math.Abs(float64(peak)-wantPeak) > 0.01*math.MaxInt16 {
			t.Errorf("#%d: peak %d, want about %.0f", i, peak, wantPeak)
		}
	}
}

func TestWAVSource(t *testing.T) {
	tests := []struct {
		name     string
		samples  []int16
		channels int
		want     []int16
	}{
		{"mono loops", []int16{1, 2, 3}, 1, []int16{1, 2, 3, 1, 2, 3, 1}},
		{"stereo averaged", []int16{10, 20, -4, 0}, 2, []int16{15, -2, 15, -2, 15}},
		{"channels 0 taken as mono", []int16{5, 6}, 0, []int16{5, 6, 5}},
		{"empty is silence", nil, 1, []int16{0, 0, 0}},
		{"half a frame is silence", []int16{7}, 2, []int16{0, 0}},
	}
	for _, tc := range tests {
		s := NewWAVSource(tc.samples, tc.channels)
		got := make([]int16, len(tc.want))
		for i := range got { // also in pieces of odd sizes
			got[i] = 99
		}
		s.Fill(got[:2])
		s.Fill(got[2:])
		for i := range tc.want {
			if got[i] != tc.want[i] {
				t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

func TestSourcesDoNotAllocate(t *testing.T) {
	buf := make([]int16, 160)
	// A file of 3.5 one-second reading buffers: the runs refill and loop.
	file, err := OpenWAVFile(writeMicPath(t, 100, 2, ramp(2*350)), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for _, s := range []Source{Silence{}, NewToneSource(8000, 1000, 0.5), NewWAVSource(make([]int16, 300), 2), file} {
		if n := testing.AllocsPerRun(100, func() { s.Fill(buf) }); n != 0 {
			t.Errorf("%T.Fill allocates %v times", s, n)
		}
	}
}
