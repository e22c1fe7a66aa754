package detect

import "math"

// fullScale normalises samples to [-1, 1).
const fullScale = 32768.0

// Goertzel returns the normalised power of freq in samples taken at rate
// samples per second: A² for a sine of amplitude A (relative to full scale)
// at freq, so a full-scale sine gives about 1 and silence 0. The frequency
// need not fall on a DFT bin. It returns 0 for empty input or a rate that is
// not positive.
func Goertzel(samples []int16, rate int, freq float64) float64 {
	n := len(samples)
	if n == 0 || rate <= 0 {
		return 0
	}
	coeff := 2 * math.Cos(2*math.Pi*freq/float64(rate))
	var s1, s2 float64
	for _, v := range samples {
		s0 := float64(v)/fullScale + coeff*s1 - s2
		s2, s1 = s1, s0
	}
	// |X(freq)|² of the N-point sum; a sine of amplitude A gives (A·N/2)².
	p := s1*s1 + s2*s2 - coeff*s1*s2
	half := float64(n) / 2
	return p / (half * half)
}

// meanSquare is the normalised mean power of samples: A²/2 for a sine of
// amplitude A.
func meanSquare(samples []int16) float64 {
	if len(samples) == 0 {
		return 0
	}
	var sum float64
	for _, v := range samples {
		x := float64(v) / fullScale
		sum += x * x
	}
	return sum / float64(len(samples))
}
