package resample

import "math"

// Filter design: a Kaiser-windowed sinc low-pass. The passband runs to
// passFraction of the lower rate's Nyquist frequency and the stopband
// starts at that Nyquist frequency, so nothing that would alias into the
// lower rate's band passes (e.g. 3.4 kHz / 4 kHz for 8 kHz).
const (
	passFraction = 0.85
	// stopDB is the stopband attenuation the window is designed for.
	stopDB = 70.0
)

// kaiserBeta is the window's shape for an attenuation of a dB (Kaiser's
// empirical formula).
func kaiserBeta(a float64) float64 {
	switch {
	case a > 50:
		return 0.1102 * (a - 8.7)
	case a >= 21:
		return 0.5842*math.Pow(a-21, 0.4) + 0.07886*(a-21)
	}
	return 0
}

// kaiserLength is the number of taps for attenuation a dB and a transition
// band of width dw radians per sample (Kaiser's estimate).
func kaiserLength(a, dw float64) int {
	return int(math.Ceil((a-7.95)/(2.285*dw))) + 1
}

// besselI0 is the modified Bessel function of the first kind, order 0, by
// its power series.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	half := x / 2
	for k := 1; k < 50; k++ {
		term *= half / float64(k)
		sum += term * term
		if term*term < sum*1e-17 {
			break
		}
	}
	return sum
}

// lowPass returns n taps of a linear-phase low-pass with cutoff fc (a
// fraction of the sample rate, below 0.5) and DC gain gain.
func lowPass(n int, fc, gain float64) []float64 {
	h := make([]float64, n)
	beta := kaiserBeta(stopDB)
	i0b := besselI0(beta)
	mid := float64(n-1) / 2
	sum := 0.0
	for i := range h {
		t := float64(i) - mid
		x := 2 * fc
		if t != 0 {
			x = math.Sin(2*math.Pi*fc*t) / (math.Pi * t)
		}
		r := t / mid
		w := besselI0(beta*math.Sqrt(max(0, 1-r*r))) / i0b
		h[i] = x * w
		sum += h[i]
	}
	for i := range h {
		h[i] *= gain / sum
	}
	return h
}
