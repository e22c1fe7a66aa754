package bench

import (
	"math"
	"time"
)

// The click, the mark whose passage through the phone is timed: 5 ms of
// 1 kHz (which both G.711 and G.722 carry), starting at its crest at 0.7
// of full scale so it stands out from the first sample on. Onsets finds
// it again as the first sample above a tenth of full scale after 100 ms
// below.
const (
	clickLength    = 5 * time.Millisecond
	clickFreq      = 1000.0
	clickAmplitude = 0.7
	onsetThreshold = math.MaxInt16 / 10
	onsetQuiet     = 100 * time.Millisecond
)

// AddClick writes a click into buf from sample at on (as far as buf
// reaches), at the sample rate rate.
func AddClick(buf []int16, at, rate int) {
	n := int(int64(rate) * int64(clickLength) / int64(time.Second))
	for i := 0; i < n && at+i < len(buf); i++ {
		v := clickAmplitude * math.MaxInt16 * math.Cos(2*math.Pi*clickFreq*float64(i)/float64(rate))
		buf[at+i] = int16(math.Round(v))
	}
}

// Onsets returns the indices of the samples where clicks start: the
// first sample above the threshold after at least 100 ms below it (or
// since the start).
func Onsets(samples []int16, rate int) []int {
	quiet := int(int64(rate) * int64(onsetQuiet) / int64(time.Second))
	var out []int
	below := quiet // the start counts as quiet
	for i, s := range samples {
		if s > onsetThreshold || s < -onsetThreshold {
			if below >= quiet {
				out = append(out, i)
			}
			below = 0
			continue
		}
		below++
	}
	return out
}
