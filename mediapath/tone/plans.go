package tone

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Levels of the built-in plans, in dBm0 per component.
const (
	levelDial     = -13.0
	levelProgress = -16.0 // ringback, busy, congestion, call waiting, error
	levelHowler   = -3.0  // meant to be heard with the handset off the ear
	levelRingtone = -6.0  // meant to be heard across the room
)

// Countries returns the country codes PlanFor knows, sorted.
func Countries() []string {
	return []string{"de", "eu", "fr", "uk", "us"}
}

// PlanFor returns the tone plan of country ("us", "uk", "de", "fr", or "eu"
// for the CEPT 425 Hz recommendation), compared without regard to case.
//
// Dial, ringback, busy, congestion and bell cadences follow ITU-T E.180
// Supplement 2 and the national specifications. Call waiting is a single
// short beep (US: 440 Hz 300 ms). Stutter dial tone is the country's dial
// tone broken ten times 100/100 ms, then steady. The off-hook warning
// approximates the 1400+2060+2450+2600 Hz howler by alternating
// 1400+2060 Hz and 2450+2600 Hz bursts of 100 ms at -3 dBm0. The error tone
// is the special information tone: 950, 1400 and 1800 Hz for 330 ms each,
// then 1 s of silence.
func PlanFor(country string) (Plan, error) {
	c := strings.ToLower(strings.TrimSpace(country))
	var p Plan
	switch c {
	case "us":
		p = Plan{Ring: ms(2000, 4000), Tones: map[Kind]Spec{
			Dial:        {Freqs: [2]float64{350, 440}, LevelDB: levelDial},
			Ringback:    {Freqs: [2]float64{440, 480}, LevelDB: levelProgress, Cadence: ms(2000, 4000)},
			Busy:        {Freqs: [2]float64{480, 620}, LevelDB: levelProgress, Cadence: ms(500, 500)},
			Congestion:  {Freqs: [2]float64{480, 620}, LevelDB: levelProgress, Cadence: ms(250, 250)},
			CallWaiting: {Freqs: [2]float64{440}, LevelDB: levelProgress, Cadence: ms(300), Once: true},
		}}
	case "uk":
		p = Plan{Ring: ms(400, 200, 400, 2000), Tones: map[Kind]Spec{
			Dial:        {Freqs: [2]float64{350, 440}, LevelDB: levelDial},
			Ringback:    {Freqs: [2]float64{400, 450}, LevelDB: levelProgress, Cadence: ms(400, 200, 400, 2000)},
			Busy:        {Freqs: [2]float64{400}, LevelDB: levelProgress, Cadence: ms(375, 375)},
			Congestion:  {Freqs: [2]float64{400}, LevelDB: levelProgress, Cadence: ms(400, 350, 225, 525)},
			CallWaiting: {Freqs: [2]float64{400}, LevelDB: levelProgress, Cadence: ms(100), Once: true},
		}}
	case "de":
		p = Plan{Ring: ms(1000, 4000), Tones: map[Kind]Spec{
			Dial:        {Freqs: [2]float64{425}, LevelDB: levelDial},
			Ringback:    {Freqs: [2]float64{425}, LevelDB: levelProgress, Cadence: ms(1000, 4000)},
			Busy:        {Freqs: [2]float64{425}, LevelDB: levelProgress, Cadence: ms(480, 480)},
			Congestion:  {Freqs: [2]float64{425}, LevelDB: levelProgress, Cadence: ms(240, 240)},
			CallWaiting: {Freqs: [2]float64{425}, LevelDB: levelProgress, Cadence: ms(200, 200, 200), Once: true},
		}}
	case "eu":
		p = Plan{Ring: ms(1000, 4000), Tones: map[Kind]Spec{
			Dial:        {Freqs: [2]float64{425}, LevelDB: levelDial},
			Ringback:    {Freqs: [2]float64{425}, LevelDB: levelProgress, Cadence: ms(1000, 4000)},
			Busy:        {Freqs: [2]float64{425}, LevelDB: levelProgress, Cadence: ms(500, 500)},
			Congestion:  {Freqs: [2]float64{425}, LevelDB: levelProgress, Cadence: ms(250, 250)},
			CallWaiting: {Freqs: [2]float64{425}, LevelDB: levelProgress, Cadence: ms(200, 200, 200), Once: true},
		}}
	case "fr":
		// E.180 lists no French congestion tone; it is the busy tone at
		// twice the rate, as in the CEPT recommendation.
		p = Plan{Ring: ms(1500, 3500), Tones: map[Kind]Spec{
			Dial:        {Freqs: [2]float64{440}, LevelDB: levelDial},
			Ringback:    {Freqs: [2]float64{440}, LevelDB: levelProgress, Cadence: ms(1500, 3500)},
			Busy:        {Freqs: [2]float64{440}, LevelDB: levelProgress, Cadence: ms(500, 500)},
			Congestion:  {Freqs: [2]float64{440}, LevelDB: levelProgress, Cadence: ms(250, 250)},
			CallWaiting: {Freqs: [2]float64{440}, LevelDB: levelProgress, Cadence: ms(300), Once: true},
		}}
	default:
		return Plan{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownCountry, country, strings.Join(Countries(), ", "))
	}
	p.Country = c
	dial := p.Tones[Dial]
	p.Tones[StutterDial] = Spec{Freqs: dial.Freqs, LevelDB: dial.LevelDB, Cadence: stutter(), Steady: true}
	p.Tones[OffHookWarn] = Spec{
		LevelDB: levelHowler,
		Cadence: ms(100, 100, 100, 100),
		Bursts:  [][2]float64{{1400, 2060}, {2450, 2600}},
	}
	// The ringtone warbles between 1000 and 1250 Hz every 60 ms; the bell's
	// cadence switches it on and off.
	p.Tones[Ringtone] = Spec{
		LevelDB: levelRingtone,
		Cadence: ms(55, 5, 55, 5),
		Bursts:  [][2]float64{{1000}, {1250}},
	}
	p.Tones[Error] = Spec{
		LevelDB: levelProgress,
		Cadence: ms(330, 30, 330, 30, 330, 1000),
		Bursts:  [][2]float64{{950}, {1400}, {1800}},
	}
	return p, nil
}

// ms turns milliseconds into a cadence.
func ms(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, m := range v {
		out[i] = time.Duration(m) * time.Millisecond
	}
	return out
}

// stutter is ten 100 ms bursts with 100 ms gaps.
func stutter() []time.Duration {
	return slices.Repeat(ms(100, 100), 10)
}
