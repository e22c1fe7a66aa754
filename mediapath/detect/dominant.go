package detect

import "math"

// maxCandidates bounds the frequencies Dominant tries.
const maxCandidates = 10000

// Dominant returns the frequency in [lo, hi], tried in steps of step Hz,
// with the most power in samples. A step too fine for 10000 candidates is
// widened to fit. It returns 0 when the band is empty or not finite, step is
// not positive or there are no samples.
func Dominant(samples []int16, rate int, lo, hi, step float64) float64 {
	if !(step > 0) || !(hi >= lo) || math.IsInf(hi-lo, 0) || len(samples) == 0 || rate <= 0 {
		return 0
	}
	if (hi-lo)/step >= maxCandidates {
		step = (hi - lo) / (maxCandidates - 1)
	}
	best, bestP := 0.0, -1.0
	for i := 0; ; i++ {
		f := lo + float64(i)*step
		if f > hi {
			break
		}
		if p := Goertzel(samples, rate, f); p > bestP {
			best, bestP = f, p
		}
	}
	return best
}
