package tone

import (
	"math"
	"time"
)

// Spec describes one tone: up to two simultaneous frequencies switched on
// and off by a cadence.
type Spec struct {
	// Freqs are the frequencies in Hz; Freqs[1] == 0 for a single tone. A
	// component at or above half the sample rate is left out.
	Freqs [2]float64
	// LevelDB is the level of each component in dBm0 (see Amplitude).
	LevelDB float64
	// Cadence alternates on and off periods (on, off, on, off, ...) and
	// repeats; empty means continuous. An odd-length cadence ends with an
	// on-period that runs into the first one on repeat.
	Cadence []time.Duration
	// Once plays the cadence once, then the tone stops (call waiting).
	Once bool
	// Steady plays the cadence once, then the tone stays on (stutter dial).
	Steady bool
	// Bursts, when set, replaces Freqs per on-period: the i-th on-period of
	// each pass through the cadence uses Bursts[i%len(Bursts)]. Tones that
	// step through more than two frequencies use it (the special
	// information tone, the howler).
	Bursts [][2]float64
}

// Plan is a country's set of tones and its bell cadence.
type Plan struct {
	// Country is the lower-case code PlanFor was asked for.
	Country string
	// Tones has a Spec for every Kind except None.
	Tones map[Kind]Spec
	// Ring is the bell cadence: alternating on and off, repeating.
	Ring []time.Duration
}

// dbm0Peak is the dBm0 level of a full-scale sine: G.711 µ-law puts a
// full-scale sine at +3.17 dBm0, so a 0 dBm0 sine peaks at about 0.69 of
// full scale.
const dbm0Peak = 3.17

// Amplitude returns the peak amplitude, in 16-bit sample units, of a sine at
// levelDB dBm0: 32767·10^((levelDB-3.17)/20), so 0 dBm0 ≈ 22750 and
// -13 dBm0 ≈ 5090. Levels above +3.17 dBm0 are limited to full scale; NaN
// gives 0.
func Amplitude(levelDB float64) int32 {
	if math.IsNaN(levelDB) {
		return 0
	}
	a := 32767 * math.Pow(10, (levelDB-dbm0Peak)/20)
	return int32(min(math.Round(a), 32767))
}
