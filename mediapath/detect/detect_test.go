package detect

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// sine returns n samples of amplitude amp (of full scale) at freq.
func sine(n, rate int, freq, amp float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(amp * 32767 * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return out
}

func add(a, b []int16) []int16 {
	out := make([]int16, len(a))
	for i := range a {
		out[i] = a[i] + b[i]
	}
	return out
}

func noise(n int, amp float64, seed uint64) []int16 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(amp * 32767 * (2*r.Float64() - 1))
	}
	return out
}

func TestGoertzel(t *testing.T) {
	cases := []struct {
		name    string
		samples []int16
		rate    int
		freq    float64
		lo, hi  float64
	}{
		{"full-scale on bin", sine(800, 8000, 1000, 1), 8000, 1000, 0.98, 1.02},
		{"half amplitude", sine(800, 8000, 1000, 0.5), 8000, 1000, 0.24, 0.26},
		{"off bin 425 Hz", sine(1600, 8000, 425, 1), 8000, 425, 0.97, 1.03},
		{"16 kHz", sine(1600, 16000, 2600, 0.5), 16000, 2600, 0.24, 0.26},
		{"other frequency", sine(800, 8000, 1000, 1), 8000, 1500, 0, 1e-4},
		{"silence", make([]int16, 800), 8000, 440, 0, 0},
		{"empty", nil, 8000, 440, 0, 0},
		{"bad rate", sine(800, 8000, 1000, 1), 0, 1000, 0, 0},
	}
	for i, c := range cases {
		p := Goertzel(c.samples, c.rate, c.freq)
		if p < c.lo || p > c.hi {
			t.Errorf("#%d %s: Goertzel = %g, want [%g, %g]", i, c.name, p, c.lo, c.hi)
		}
	}
}

func TestGoertzelTwoTones(t *testing.T) {
	x := add(sine(1600, 8000, 350, 0.3), sine(1600, 8000, 440, 0.3))
	for _, f := range []float64{350, 440} {
		if p := Goertzel(x, 8000, f); math.Abs(p-0.09) > 0.01 {
			t.Errorf("%g Hz: %g, want 0.09", f, p)
		}
	}
	if p := Goertzel(x, 8000, 620); p > 0.001 {
		t.Errorf("620 Hz in a 350+440 mix: %g", p)
	}
}

// burst builds total samples of silence with freq playing in [on, off).
func burst(rate int, total, on, off time.Duration, freqs ...float64) []int16 {
	n := int(total * time.Duration(rate) / time.Second)
	out := make([]int16, n)
	a := int(on * time.Duration(rate) / time.Second)
	b := int(off * time.Duration(rate) / time.Second)
	for _, f := range freqs {
		s := sine(b-a, rate, f, 0.2)
		for i := range s {
			out[a+i] += s[i]
		}
	}
	return out
}

func near(a, b, tol time.Duration) bool { return a-b <= tol && b-a <= tol }

func TestFind(t *testing.T) {
	const tol = 6 * time.Millisecond
	ms := time.Millisecond
	cases := []struct {
		name    string
		samples []int16
		rate    int
		freq    float64
		minDur  time.Duration
		want    []Segment
	}{
		{"single tone", burst(8000, time.Second, 200*ms, 700*ms, 425), 8000, 425, 50 * ms,
			[]Segment{{200 * ms, 700 * ms}}},
		{"two-tone pair, 16 kHz", burst(16000, time.Second, 100*ms, 600*ms, 480, 620), 16000, 620, 50 * ms,
			[]Segment{{100 * ms, 600 * ms}}},
		{"absent frequency", burst(8000, time.Second, 200*ms, 700*ms, 425), 8000, 1000, 0, nil},
		{"silence", make([]int16, 8000), 8000, 425, 0, nil},
		{"shorter than minDur", burst(8000, time.Second, 200*ms, 260*ms, 425), 8000, 425, 100 * ms, nil},
		{"shorter than a window", sine(100, 8000, 425, 1), 8000, 425, 0, nil},
	}
	for i, c := range cases {
		got := Find(c.samples, c.rate, c.freq, c.minDur)
		if len(got) != len(c.want) {
			t.Errorf("#%d %s: Find = %v, want %v", i, c.name, got, c.want)
			continue
		}
		for j := range got {
			if !near(got[j].Start, c.want[j].Start, tol) || !near(got[j].End, c.want[j].End, tol) {
				t.Errorf("#%d %s: segment %d = %v, want %v", i, c.name, j, got[j], c.want[j])
			}
		}
	}
}

func TestFindCadence(t *testing.T) {
	// 425 Hz 240 ms on / 240 ms off, three times, over noise at -26 dBFS.
	rate := 8000
	x := noise(rate*3/2, 0.05, 7)
	for k := range 3 {
		on := time.Duration(k) * 480 * time.Millisecond
		b := burst(rate, 1500*time.Millisecond, on, on+240*time.Millisecond, 425)
		for i := range x {
			x[i] += b[i]
		}
	}
	got := Find(x, rate, 425, 100*time.Millisecond)
	if len(got) != 3 {
		t.Fatalf("Find = %v, want 3 bursts", got)
	}
	for k, s := range got {
		want := time.Duration(k) * 480 * time.Millisecond
		if !near(s.Start, want, 6*time.Millisecond) || !near(s.End-s.Start, 240*time.Millisecond, 12*time.Millisecond) {
			t.Errorf("burst %d = %v, want start %v length 240ms", k, s, want)
		}
	}
}

func TestFindNoise(t *testing.T) {
	for seed := range uint64(5) {
		if got := Find(noise(16000, 0.5, seed), 8000, 440, 0); got != nil {
			t.Errorf("seed %d: white noise gave %v", seed, got)
		}
	}
}

func TestDominant(t *testing.T) {
	cases := []struct {
		name      string
		samples   []int16
		lo, hi    float64
		step      float64
		want, tol float64
	}{
		{"single", sine(1600, 8000, 425, 0.5), 300, 3000, 5, 425, 5},
		{"louder of two", add(sine(1600, 8000, 480, 0.4), sine(1600, 8000, 620, 0.2)), 300, 3000, 5, 480, 5},
		{"with noise", add(sine(1600, 8000, 1400, 0.3), noise(1600, 0.1, 3)), 300, 3000, 10, 1400, 10},
		{"empty band", sine(1600, 8000, 425, 0.5), 500, 400, 5, 0, 0},
		{"zero step", sine(1600, 8000, 425, 0.5), 300, 3000, 0, 0, 0},
		{"NaN step", sine(1600, 8000, 425, 0.5), 300, 3000, math.NaN(), 0, 0},
		{"infinite band", sine(1600, 8000, 425, 0.5), 300, math.Inf(1), 1, 0, 0},
		{"tiny step is widened", sine(1600, 8000, 425, 0.5), 300, 3000, 1e-9, 425, 5},
		{"no samples", nil, 300, 3000, 5, 0, 0},
	}
	for i, c := range cases {
		if got := Dominant(c.samples, 8000, c.lo, c.hi, c.step); math.Abs(got-c.want) > c.tol {
			t.Errorf("#%d %s: Dominant = %g, want %g±%g", i, c.name, got, c.want, c.tol)
		}
	}
}
