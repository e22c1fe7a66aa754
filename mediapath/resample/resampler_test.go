package resample

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// The rate pairs the audio engine meets: a card at 8, 16, 44.1 or 48 kHz
// against the engine's 8 or 16 kHz, both ways.
var pairs = [][2]int{
	{8000, 16000}, {16000, 8000},
	{48000, 8000}, {8000, 48000}, {48000, 16000}, {16000, 48000},
	{44100, 8000}, {8000, 44100}, {44100, 16000}, {16000, 44100},
}

// run pushes x through a new resampler in 20 ms blocks.
func run(t testing.TB, in, out int, x []int16) []int16 {
	t.Helper()
	block := in / 50
	r, err := New(in, out, block)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]int16, 0, len(x)*out/in+1)
	dst := make([]int16, out/50+1)
	for i := 0; i+block <= len(x); i += block {
		n := r.Process(dst, x[i:i+block])
		y = append(y, dst[:n]...)
	}
	return y
}

func sine(n, rate int, freq, amp float64) []int16 {
	x := make([]int16, n)
	for i := range x {
		x[i] = int16(math.Round(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))))
	}
	return x
}

// fit finds the amplitude of freq in y by least squares and returns it
// with the power of what is left over (per sample).
func fit(y []int16, rate int, freq float64) (amp, residual float64) {
	var ss, cc, sc, ys, yc float64
	for i, v := range y {
		w := 2 * math.Pi * freq * float64(i) / float64(rate)
		s, c := math.Sin(w), math.Cos(w)
		ss += s * s
		cc += c * c
		sc += s * c
		ys += float64(v) * s
		yc += float64(v) * c
	}
	det := ss*cc - sc*sc
	a := (ys*cc - yc*sc) / det
	b := (yc*ss - ys*sc) / det
	for i, v := range y {
		w := 2 * math.Pi * freq * float64(i) / float64(rate)
		e := float64(v) - a*math.Sin(w) - b*math.Cos(w)
		residual += e * e
	}
	return math.Hypot(a, b), residual / float64(len(y))
}

func db(x float64) float64 { return 20 * math.Log10(x) }

// TestPassband checks gain flatness and distortion in the passband (up to
// 85 % of the lower rate's Nyquist frequency) against reference sines.
func TestPassband(t *testing.T) {
	const amp = 10000.0
	for _, p := range pairs {
		in, out := p[0], p[1]
		top := passFraction * float64(min(in, out)) / 2
		lo, hi, worstSNR := math.Inf(1), math.Inf(-1), math.Inf(1)
		for _, f := range []float64{100, 300, 1000, 2000, 3000, top} {
			if f > top {
				continue
			}
			y := run(t, in, out, sine(in/2, in, f, amp)) // 500 ms
			y = y[len(y)/5:]                             // past the filter's start
			a, res := fit(y, out, f)
			g := db(a / amp)
			lo, hi = min(lo, g), max(hi, g)
			snr := 10 * math.Log10(a*a/2/res)
			worstSNR = min(worstSNR, snr)
		}
		t.Logf("%5d → %5d Hz: passband gain %+.3f … %+.3f dB, worst SNR %.1f dB", in, out, lo, hi, worstSNR)
		if lo < -0.1 || hi > 0.1 {
			t.Errorf("%d → %d Hz: passband gain %.3f…%.3f dB, want within ±0.1 dB", in, out, lo, hi)
		}
		if worstSNR < 60 {
			t.Errorf("%d → %d Hz: SNR %.1f dB against the reference sine, want ≥ 60", in, out, worstSNR)
		}
	}
}

// TestAliasing feeds tones the output rate cannot carry: downsampling must
// remove them rather than fold them into the band.
func TestAliasing(t *testing.T) {
	const amp = 10000.0
	for _, p := range pairs {
		in, out := p[0], p[1]
		if out >= in {
			continue
		}
		nyq := float64(out) / 2
		worst := math.Inf(-1)
		for _, k := range []float64{1.0, 1.05, 1.3, 2.2, 3.7} {
			f := nyq * k
			if f >= float64(in)/2 {
				continue
			}
			y := run(t, in, out, sine(in/2, in, f, amp))
			y = y[len(y)/5:]
			var pow float64
			for _, v := range y {
				pow += float64(v) * float64(v)
			}
			rms := math.Sqrt(pow / float64(len(y)))
			rel := db(rms / (amp / math.Sqrt2))
			if k > 1.0 { // the band edge itself is only half attenuated by design
				worst = max(worst, rel)
			}
		}
		t.Logf("%5d → %5d Hz: worst alias above Nyquist at %.1f dB", in, out, worst)
		if worst > -60 {
			t.Errorf("%d → %d Hz: an out-of-band tone comes through at %.1f dB, want ≤ -60", in, out, worst)
		}
	}
}

// TestBlockLengths checks that every 20 ms block gives exactly 20 ms.
func TestBlockLengths(t *testing.T) {
	for _, p := range append(pairs, [2]int{8000, 8000}) {
		in, out := p[0], p[1]
		r, err := New(in, out, in/50)
		if err != nil {
			t.Fatal(err)
		}
		src, dst := make([]int16, in/50), make([]int16, out/50+2)
		for i := range 20 {
			if want := out / 50; r.OutLen(len(src)) != want || r.Process(dst, src) != want {
				t.Fatalf("%d → %d Hz, block %d: not %d samples", in, out, i, want)
			}
		}
	}
}

// TestOddBlocks feeds blocks of varying length: the stream must come out
// the same as when fed in one piece.
func TestOddBlocks(t *testing.T) {
	x := sine(4410, 44100, 1234, 9000)
	whole, err := New(44100, 8000, len(x))
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int16, 1000)
	want = want[:whole.Process(want, x)]
	pieces, _ := New(44100, 8000, 500)
	var got []int16
	dst := make([]int16, 200)
	for i, n := 0, 1; i < len(x); n = n%487 + 13 {
		n = min(n, len(x)-i)
		got = append(got, dst[:pieces.Process(dst, x[i:i+n])]...)
		i += n
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pieces gave %d samples, whole %d, or they differ", len(got), len(want))
	}
}

func TestNewRejects(t *testing.T) {
	for _, c := range [][3]int{{0, 8000, 160}, {8000, -1, 160}, {8000, 16000, 0}, {8000, 8191 * 7, 160}} {
		if _, err := New(c[0], c[1], c[2]); !errors.Is(err, errRate) {
			t.Errorf("New(%v): %v, want errRate", c, err)
		}
	}
}

func TestPassThroughAndReset(t *testing.T) {
	r, err := New(16000, 16000, 320)
	if err != nil {
		t.Fatal(err)
	}
	x := sine(320, 16000, 1000, 5000)
	y := make([]int16, 320)
	if n := r.Process(y, x); n != 320 || fmt.Sprint(x) != fmt.Sprint(y) || r.Delay() != 0 {
		t.Error("equal rates must pass samples through")
	}
	d, _ := New(16000, 8000, 320)
	a := make([]int16, 160)
	d.Process(a, x)
	d.Reset()
	b := make([]int16, 160)
	d.Process(b, x)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("Reset did not forget the history")
	}
	if d.Delay() <= 0 || d.Taps() == 0 {
		t.Errorf("delay %v, taps %d", d.Delay(), d.Taps())
	}
}

func TestAllocs(t *testing.T) {
	for _, p := range pairs {
		r, err := New(p[0], p[1], p[0]/50)
		if err != nil {
			t.Fatal(err)
		}
		src, dst := make([]int16, p[0]/50), make([]int16, p[1]/50)
		if a := testing.AllocsPerRun(50, func() { r.Process(dst, src) }); a != 0 {
			t.Errorf("%v: %v allocs per block", p, a)
		}
	}
}

// BenchmarkPeriod converts one 20 ms period for each pair.
func BenchmarkPeriod(b *testing.B) {
	for _, p := range pairs {
		b.Run(fmt.Sprintf("%dto%d", p[0], p[1]), func(b *testing.B) {
			r, err := New(p[0], p[1], p[0]/50)
			if err != nil {
				b.Fatal(err)
			}
			src, dst := sine(p[0]/50, p[0], 1000, 8000), make([]int16, p[1]/50)
			b.ReportAllocs()
			for b.Loop() {
				r.Process(dst, src)
			}
		})
	}
}
