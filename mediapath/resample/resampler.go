package resample

import (
	"fmt"
	"math"
)

// maxPhases bounds the filter table: rates whose ratio needs more phases
// than this (after reduction) are refused.
const maxPhases = 4096

// Resampler converts a stream of mono samples from one rate to another by
// a rational factor up/down. Output sample n lies at input time n·down/up;
// it is the sum of taps input samples weighted by the phase (n·down mod up)
// of a low-pass filter designed at up × the input rate.
type Resampler struct {
	up, down int
	taps     int
	coef     []float32 // up phases of taps weights, oldest sample's first; phase p at coef[p*taps:]
	buf      []float32 // taps-1 samples of history, then the current input
	pos      int       // n·down of the next output, relative to the current input
	maxIn    int
}

// New returns a Resampler from inRate to outRate samples per second for
// blocks of at most maxIn input samples. Equal rates pass samples through.
func New(inRate, outRate, maxIn int) (*Resampler, error) {
	if inRate <= 0 || outRate <= 0 || maxIn <= 0 {
		return nil, fmt.Errorf("%w: %d Hz to %d Hz, blocks of %d", errRate, inRate, outRate, maxIn)
	}
	g := gcd(inRate, outRate)
	up, down := outRate/g, inRate/g
	if up > maxPhases || down > maxPhases*8 {
		return nil, fmt.Errorf("%w: %d Hz to %d Hz needs %d phases", errRate, inRate, outRate, up)
	}
	r := &Resampler{up: up, down: down, maxIn: maxIn}
	if up == 1 && down == 1 {
		return r, nil
	}
	// Design at the upsampled rate: the cutoff lies midway through the
	// transition band, below the lower rate's Nyquist frequency.
	lowNyq := float64(min(inRate, outRate)) / 2
	hi := float64(inRate) * float64(up)
	pass, stop := passFraction*lowNyq, lowNyq
	dw := 2 * math.Pi * (stop - pass) / hi
	n := kaiserLength(stopDB, dw)
	r.taps = (n + up - 1) / up
	h := lowPass(r.taps*up, (pass+stop)/2/hi, float64(up))
	// Phase p takes taps p, p+up, p+2·up… of the prototype; tap p+q·up
	// weighs the input q samples before the newest, so it is stored at
	// taps-1-q to make each output a plain dot product over time order.
	r.coef = make([]float32, up*r.taps)
	for p := range up {
		for q := range r.taps {
			r.coef[p*r.taps+r.taps-1-q] = float32(h[p+q*up])
		}
	}
	r.buf = make([]float32, r.taps-1+maxIn)
	return r, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Taps is the filter length per output sample (0 when rates are equal).
func (r *Resampler) Taps() int { return r.taps }

// Delay is the filter's group delay in input samples.
func (r *Resampler) Delay() float64 {
	if r.taps == 0 {
		return 0
	}
	return (float64(r.taps*r.up) - 1) / 2 / float64(r.up)
}

// OutLen is how many samples Process will write for n more input samples.
// For blocks that last a whole number of 1/gcd(in, out) seconds (such as
// 20 ms periods of the usual rates) it is n·out/in every time.
func (r *Resampler) OutLen(n int) int {
	if r.taps == 0 {
		return n
	}
	// Outputs k with pos + k·down < n·up.
	end := n * r.up
	if r.pos >= end {
		return 0
	}
	return (end - r.pos + r.down - 1) / r.down
}

// Process converts src and writes OutLen(len(src)) samples to dst; it
// returns the count. Samples dst has no room for are lost, and input
// beyond the maxIn samples given to New is ignored. It never allocates.
func (r *Resampler) Process(dst, src []int16) int {
	if r.taps == 0 {
		return copy(dst, src)
	}
	src = src[:min(len(src), r.maxIn)]
	h := r.taps - 1
	in := r.buf[:h+len(src)]
	for i, s := range src {
		in[h+i] = float32(s)
	}
	count := r.OutLen(len(src))
	n := min(count, len(dst))
	for k := range n {
		// Input sample i is at in[h+i]; the output's newest is pos/up,
		// so its window starts at in[pos/up].
		x := in[r.pos/r.up:][:r.taps]
		c := r.coef[(r.pos%r.up)*r.taps:][:r.taps]
		dst[k] = clamp(dot(x, c))
		r.pos += r.down
	}
	r.pos += (count - n) * r.down // outputs dst had no room for
	r.pos -= len(src) * r.up
	copy(r.buf[:h], in[len(src):])
	return n
}

// dot is the sum of x[i]·c[i] over c. Four running sums let the
// multiplications overlap instead of waiting for each other.
func dot(x, c []float32) float32 {
	x = x[:len(c)]
	var a0, a1, a2, a3 float32
	i := 0
	for ; i+4 <= len(c); i += 4 {
		a0 += x[i] * c[i]
		a1 += x[i+1] * c[i+1]
		a2 += x[i+2] * c[i+2]
		a3 += x[i+3] * c[i+3]
	}
	for ; i < len(c); i++ {
		a0 += x[i] * c[i]
	}
	return (a0 + a1) + (a2 + a3)
}

// Reset forgets the history, as for a new stream.
func (r *Resampler) Reset() {
	clear(r.buf)
	r.pos = 0
}

// clamp rounds v to the nearest int16, saturating.
func clamp(v float32) int16 {
	switch {
	case v >= math.MaxInt16:
		return math.MaxInt16
	case v <= math.MinInt16:
		return math.MinInt16
	case v < 0:
		return int16(v - 0.5)
	}
	return int16(v + 0.5)
}
