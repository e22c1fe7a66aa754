package g722

import (
	"math"
	"math/rand/v2"
)

// The test signals, 16 kHz. Each generator is deterministic.

const rate = 16000

// roundClip rounds v to the nearest 16-bit sample, clipped.
func roundClip(v float64) int16 {
	return int16(math.Round(min(max(v, -32768), 32767)))
}

// sine returns n samples of a sine of amplitude amp (full scale 32767) at
// freq.
func sine(n int, freq, amp float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = roundClip(amp * math.Sin(2*math.Pi*freq*float64(i)/rate))
	}
	return out
}

// square returns n samples of a square wave between lo and hi at freq.
func square(n int, freq float64, lo, hi int16) []int16 {
	out := make([]int16, n)
	for i := range out {
		if math.Mod(freq*float64(i)/rate, 1) < 0.5 {
			out[i] = hi
		} else {
			out[i] = lo
		}
	}
	return out
}

// sweep returns n samples of an exponential sine sweep from f0 to f1.
func sweep(n int, f0, f1, amp float64) []int16 {
	out := make([]int16, n)
	k := math.Log(f1 / f0)
	dur := float64(n) / rate
	for i := range out {
		t := float64(i) / rate
		phase := 2 * math.Pi * f0 * dur / k * (math.Exp(t/dur*k) - 1)
		out[i] = roundClip(amp * math.Sin(phase))
	}
	return out
}

// noise returns n samples of Gaussian white noise of standard deviation
// sd, clipped to 16 bits.
func noise(n int, sd float64, seed uint64) []int16 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]int16, n)
	for i := range out {
		out[i] = roundClip(sd * r.NormFloat64())
	}
	return out
}

// uniform returns n samples drawn uniformly from the whole 16-bit range.
func uniform(n int, seed uint64) []int16 {
	r := rand.New(rand.NewPCG(seed, 2))
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(r.Uint32())
	}
	return out
}

// extremes returns n samples each -32768 or 32767: alternating, in runs of
// a few samples, and at random.
func extremes(n int, seed uint64) []int16 {
	r := rand.New(rand.NewPCG(seed, 3))
	out := make([]int16, n)
	for i := range out {
		var hi bool
		switch (i / 4000) % 3 {
		case 0:
			hi = i%2 == 0
		case 1:
			hi = (i/(1+i/4000%7))%2 == 0
		default:
			hi = r.IntN(2) == 0
		}
		out[i] = -32768
		if hi {
			out[i] = 32767
		}
	}
	return out
}

// speechLike returns n samples of noise shaped roughly like speech: a
// resonant band-pass whose centre wanders between 300 Hz and 3 kHz,
// amplitude-modulated at a syllable rate of about 4 Hz, with pauses, and
// peaks near full scale.
func speechLike(n int, seed uint64) []int16 {
	r := rand.New(rand.NewPCG(seed, 4))
	out := make([]int16, n)
	var y1, y2 float64
	for i := range out {
		t := float64(i) / rate
		fc := 1650 + 1350*math.Sin(2*math.Pi*0.7*t)
		w := 2 * math.Pi * fc / rate
		const rad = 0.97
		y := r.NormFloat64() + 2*rad*math.Cos(w)*y1 - rad*rad*y2
		y1, y2 = y, y1
		env := math.Max(0, math.Sin(2*math.Pi*4*t)) * math.Max(0, math.Sin(2*math.Pi*0.3*t)+0.3)
		out[i] = roundClip(2500 * env * y)
	}
	return out
}

// signals are the encoder's inputs for the bit-exactness tests: about 40 s
// in all.
func signals() []struct {
	name string
	pcm  []int16
} {
	const s = rate // one second
	return []struct {
		name string
		pcm  []int16
	}{
		{"silence", make([]int16, 2*s)},
		{"square-100Hz-full", square(2*s, 100, -32768, 32767)},
		{"square-1kHz-full", square(2*s, 1000, -32768, 32767)},
		{"square-3333Hz-full", square(s, 3333, -32768, 32767)},
		{"square-7kHz-half", square(s, 7000, -16384, 16383)},
		{"sine-440Hz-clipped", sine(2*s, 440, 4*32767)},
		{"sine-5kHz-clipped", sine(s, 5000, 2*32767)},
		{"sweep-loud", sweep(5*s, 50, 7900, 29000)},
		{"sweep-quiet", sweep(3*s, 50, 7900, 100)},
		{"sweep-full", sweep(3*s, 50, 7900, 32767)},
		{"noise-sd10", noise(2*s, 10, 1)},
		{"noise-sd300", noise(2*s, 300, 2)},
		{"noise-sd3000", noise(2*s, 3000, 3)},
		{"noise-sd20000", noise(2*s, 20000, 4)},
		{"noise-uniform", uniform(2*s, 5)},
		{"extremes", extremes(3*s, 6)},
		{"speech-like", speechLike(6*s, 7)},
	}
}
