package tone

import (
	"math"
	"math/bits"
	"time"
)

const (
	// numKinds sizes the per-kind tables; Ringtone is the last Kind.
	numKinds = int(Ringtone) + 1

	tableBits = 10
	tableSize = 1 << tableBits

	unity = 1 << 15 // gain 1.0 in Q15

	// keyLevelDB is the level of each DTMF feedback component.
	keyLevelDB = -16.0
)

// dtmfRows and dtmfCols are the DTMF frequency groups (ITU-T Q.23).
var (
	dtmfRows = [4]float64{697, 770, 852, 941}
	dtmfCols = [4]float64{1209, 1336, 1477, 1633}
)

// dtmfPair returns the row and column frequencies of a keypad key.
func dtmfPair(key rune) ([2]float64, bool) {
	const keys = "123A456B789C*0#D"
	for i, k := range keys {
		if k == key {
			return [2]float64{dtmfRows[i/4], dtmfCols[i%4]}, true
		}
	}
	return [2]float64{}, false
}

// compiled is a Spec converted to samples and phase increments.
type compiled struct {
	ok     bool
	amp    int32
	steps  []int       // cadence in samples; nil when continuous
	incs   [][2]uint32 // per on-period; at least one
	once   bool
	steady bool
}

// osc is a pair of phase-accumulator oscillators.
type osc struct {
	ph, inc [2]uint32
}

// Generator mixes call-progress tones and DTMF key feedback into frames of
// 16-bit PCM at a fixed sample rate. Its clock is the samples it mixes: each
// Mix call advances it by the frame's length.
//
// Every burst is shaped by a linear ramp of 2-4 ms at both ends (a power of
// two in samples), inside the burst's nominal time, so bursts start and stop
// without clicks and keep their nominal length. A tone cut short by Play or
// muted by PlayKey fades out over the same ramp first.
type Generator struct {
	rate      int
	rampShift uint // ramp length is 1<<rampShift samples
	plan      [numKinds]compiled
	sine      [tableSize + 1]int16 // one full period in Q15, plus a guard

	kind        Kind // what Playing reports
	active      bool // a tone of kind is running (not finished)
	cur         *compiled
	step, pos   int  // cadence step and sample within it
	continuous  bool // no cadence, or a Steady cadence done
	tone        osc
	duck        int32 // Q15 gain fading the tone for PlayKey and Play
	audible     bool  // the last sample of the tone was not silent
	pending     bool  // a Play waits for the tone to fade out
	pendingKind Kind

	key            osc
	keyAmp         int32
	keyLen, keyPos int
}

// NewGenerator returns a silent Generator for sampleRate samples per second
// (a rate that is not positive is taken as 8000) playing tones from p. A
// Kind missing from p plays as silence.
func NewGenerator(sampleRate int, p Plan) *Generator {
	if sampleRate <= 0 {
		sampleRate = 8000
	}
	g := &Generator{rate: sampleRate, duck: unity, keyAmp: Amplitude(keyLevelDB)}
	// A ramp of 2-4 ms: the largest power of two not above 4 ms of samples.
	g.rampShift = uint(max(bits.Len(uint(sampleRate*4/1000)), 1) - 1)
	for i := range g.sine {
		g.sine[i] = int16(math.Round(32767 * math.Sin(2*math.Pi*float64(i)/tableSize)))
	}
	for k := Dial; int(k) < numKinds; k++ {
		if s, ok := p.Tones[k]; ok {
			g.plan[k] = g.compile(s)
		}
	}
	return g
}

// compile converts s for this generator's rate.
func (g *Generator) compile(s Spec) compiled {
	c := compiled{ok: true, amp: Amplitude(s.LevelDB), once: s.Once, steady: s.Steady}
	total := 0
	steps := make([]int, len(s.Cadence))
	for i, d := range s.Cadence {
		steps[i] = g.samples(d)
		total += steps[i]
	}
	if total > 0 {
		c.steps = steps
	}
	pairs := s.Bursts
	if len(pairs) == 0 {
		pairs = [][2]float64{s.Freqs}
	}
	for _, p := range pairs {
		c.incs = append(c.incs, [2]uint32{g.phaseInc(p[0]), g.phaseInc(p[1])})
	}
	return c
}

// samples converts d to a sample count, at least 0 and at most 2^31-1.
func (g *Generator) samples(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	n := int64(math.Round(d.Seconds() * float64(g.rate)))
	return int(min(n, math.MaxInt32))
}

// phaseInc is the per-sample phase step of freq as a fraction of 2^32; 0
// (silence) for frequencies not strictly between 0 and half the rate.
func (g *Generator) phaseInc(freq float64) uint32 {
	if !(freq > 0) || freq >= float64(g.rate)/2 {
		return 0
	}
	return uint32(math.Round(freq / float64(g.rate) * (1 << 32)))
}

// Play starts tone k from the beginning of its cadence; None stops the
// tone. A tone that is sounding fades out first (a few ms).
func (g *Generator) Play(k Kind) {
	g.kind = k
	if g.audible {
		g.pending, g.pendingKind = true, k
		return
	}
	g.start(k)
}

// start switches to tone k at once.
func (g *Generator) start(k Kind) {
	g.pending = false
	g.active = false
	if k <= None || int(k) >= numKinds || !g.plan[k].ok {
		return
	}
	g.cur = &g.plan[k]
	g.active = true
	g.step, g.pos = 0, 0
	g.continuous = g.cur.steps == nil
	g.tone = osc{inc: g.cur.incs[0]}
	for !g.continuous && g.cur.steps[g.step] == 0 { // the total is > 0
		g.step++
		g.enterStep()
	}
	if g.keyPos >= g.keyLen {
		g.duck = unity
	}
}

// Playing returns the tone last asked for with Play, or None once a tone
// with Once has finished.
func (g *Generator) Playing() Kind { return g.kind }

// PlayKey mixes the DTMF pair of key ('0'-'9', '*', '#', 'A'-'D') for d as
// feedback of a key press. The current tone is muted meanwhile (its cadence
// keeps time) and continues afterwards. An unknown key or d <= 0 is ignored;
// a new key replaces one still playing.
func (g *Generator) PlayKey(key rune, d time.Duration) {
	pair, ok := dtmfPair(key)
	n := g.samples(d)
	if !ok || n == 0 {
		return
	}
	g.key = osc{inc: [2]uint32{g.phaseInc(pair[0]), g.phaseInc(pair[1])}}
	g.keyLen, g.keyPos = n, 0
}

// Mix adds the current tone and key feedback into frame, saturating at the
// int16 limits, and advances the generator by len(frame) samples. It does
// not allocate.
func (g *Generator) Mix(frame []int16) {
	ramp := 1 << g.rampShift
	for i := range frame {
		var v int32

		// The key feedback.
		if g.keyPos < g.keyLen {
			env := envelope(g.keyPos, g.keyLen, ramp) << (15 - g.rampShift)
			v = g.sample(&g.key, g.keyAmp) * env >> 15
			g.keyPos++
		}

		// The fade for key feedback and tone changes.
		if g.pending || g.keyPos < g.keyLen {
			g.duck = max(g.duck-unity>>g.rampShift, 0)
		} else {
			g.duck = min(g.duck+unity>>g.rampShift, unity)
		}
		if g.pending && (g.duck == 0 || !g.audible) {
			g.start(g.pendingKind)
		}

		// The tone.
		g.audible = false
		if g.active {
			var env int32
			switch {
			case g.continuous:
				env = int32(min(g.pos, ramp)) << (15 - g.rampShift)
				if g.pos < ramp {
					g.pos++
				}
			case g.step%2 == 0:
				env = envelope(g.pos, g.cur.steps[g.step], ramp) << (15 - g.rampShift)
			}
			if env > 0 && g.duck > 0 {
				t := g.sample(&g.tone, g.cur.amp) * env >> 15
				v += t * g.duck >> 15
				g.audible = true
			}
			if !g.continuous {
				g.advance()
			}
		}

		s := int32(frame[i]) + v
		frame[i] = int16(min(max(s, math.MinInt16), math.MaxInt16))
	}
}

// envelope is the ramp gain, in ramp units (0..ramp), at sample pos of a
// burst n samples long.
func envelope(pos, n, ramp int) int32 {
	return int32(min(pos, n-pos, ramp))
}

// sample returns the sum of o's two sines at amplitude amp and steps o on.
func (g *Generator) sample(o *osc, amp int32) int32 {
	var v int32
	for j := range o.inc {
		if o.inc[j] == 0 {
			continue
		}
		ph := o.ph[j]
		idx := ph >> (32 - tableBits)
		frac := int32(ph>>(16-tableBits)) & 0xFFFF
		a, b := int32(g.sine[idx]), int32(g.sine[idx+1])
		v += (a + (b-a)*frac>>16) * amp >> 15
		o.ph[j] = ph + o.inc[j]
	}
	return v
}

// advance moves the cadence on by one sample.
func (g *Generator) advance() {
	g.pos++
	steps := g.cur.steps
	for g.pos >= steps[g.step] { // skips zero-length steps; the total is > 0
		g.pos = 0
		g.step++
		if g.step == len(steps) {
			g.step = 0
			switch {
			case g.cur.once:
				g.active = false
				if !g.pending {
					g.kind = None
				}
				return
			case g.cur.steady:
				g.continuous = true
				g.tone = osc{inc: g.cur.incs[0]}
				return
			}
		}
		g.enterStep()
	}
}

// enterStep sets the oscillators up for the cadence step just entered.
func (g *Generator) enterStep() {
	if g.step%2 == 0 {
		g.tone = osc{inc: g.cur.incs[(g.step/2)%len(g.cur.incs)]}
	}
}
