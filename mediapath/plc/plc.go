package plc

import "math"

// Timing of the concealment, in milliseconds of audio.
const (
	minPitchMs   = 2.5  // 400 Hz
	maxPitchMs   = 15.0 // 66 Hz
	stepMs       = 10   // each 10 ms lost: one more period, 20 % less gain
	fadePerStep  = 0.2
	fullGainMs   = 10 // the first 10 ms play at full level
	mergeMs      = 4  // blending into good audio: 4 ms, +4 ms per 10 ms lost
	maxMergeMs   = 10
	maxPeriods   = 3
	corrWindowMs = 10 // the span compared when looking for the pitch
)

// Concealer hides lost frames of one audio stream. Feed every frame through
// it in order: Good for decoded audio, Conceal for a frame that is missing.
// Both write the frame to play, which lags the decoded audio by Delay
// samples.
type Concealer struct {
	rate                int
	delay               int // output lag in samples
	minP, maxP          int
	win                 int // correlation window
	step, merge, mergeN int // samples per 10 ms, merge base and cap

	hist []float32 // the audio so far, real or made up; newest last

	// Concealment state, valid while lost > 0.
	lost   int       // samples concealed since the last good frame
	period int       // pitch period in samples
	tpl    []float32 // the last maxPeriods pitch periods before the loss
	span   int       // periods in use (1…3)
	pos    int       // read position within the last span·period of tpl
	gain   float32
	// After a widening, the old repetition fades out over blendN samples.
	oldSpan, oldPos, blend, blendN int

	lastP   int // period found at the last loss
	scratch []float32
}

// New returns a Concealer for audio at rate samples per second (8000 or
// 16000 are typical) in frames of at most maxFrame samples.
func New(rate, maxFrame int) *Concealer {
	rate = max(rate, 1000)
	ms := func(v float64) int { return int(math.Round(v * float64(rate) / 1000)) }
	c := &Concealer{
		rate:   rate,
		minP:   ms(minPitchMs),
		maxP:   ms(maxPitchMs),
		win:    ms(corrWindowMs),
		step:   ms(stepMs),
		merge:  ms(mergeMs),
		mergeN: ms(maxMergeMs),
	}
	c.delay = c.maxP / 4
	c.hist = make([]float32, max(maxPeriods*c.maxP, c.maxP+c.win)+c.delay)
	c.tpl = make([]float32, maxPeriods*c.maxP)
	c.scratch = make([]float32, max(maxFrame, c.mergeN))
	return c
}

// Delay is how many samples the output lags the input.
func (c *Concealer) Delay() int { return c.delay }

// Pitch is the pitch period, in samples, found at the last loss.
func (c *Concealer) Pitch() int { return c.lastP }

// Reset forgets the audio heard, as for a new stream.
func (c *Concealer) Reset() {
	clear(c.hist)
	c.lost = 0
}

// Good takes a decoded frame and replaces it with the frame to play: the
// audio of Delay samples ago, blended in from the concealment when it
// follows a loss.
func (c *Concealer) Good(frame []int16) {
	x := c.scratch[:len(frame)]
	for i, v := range frame {
		x[i] = float32(v)
	}
	if c.lost > 0 {
		// Blend from the continued concealment into the real audio.
		m := min(len(x), c.merge+c.merge*(c.lost/c.step), c.mergeN)
		for i := range m {
			w := float32(i+1) / float32(m+1)
			x[i] = w*x[i] + (1-w)*c.next()
		}
		c.lost = 0
	}
	c.push(x, frame)
}

// Conceal fills frame with made-up audio for a lost frame (the output, like
// Good's, lags by Delay samples).
func (c *Concealer) Conceal(frame []int16) {
	if c.lost == 0 {
		c.start()
	}
	x := c.scratch[:len(frame)]
	for i := range x {
		x[i] = c.next()
	}
	c.push(x, frame)
}

// push appends x to the history and writes the delayed output to out.
func (c *Concealer) push(x []float32, out []int16) {
	n := len(x)
	h := c.hist
	if n >= len(h) {
		// A frame longer than the history: the delayed output is the
		// history's tail, then the start of x.
		for i := range out {
			j := i - c.delay
			var v float32
			if j < 0 {
				v = h[len(h)+j]
			} else {
				v = x[j]
			}
			out[i] = clamp(v)
		}
		copy(h, x[n-len(h):])
		return
	}
	copy(h, h[n:])
	copy(h[len(h)-n:], x)
	for i, v := range h[len(h)-n-c.delay : len(h)-c.delay] {
		out[i] = clamp(v)
	}
}

// start begins a loss: it finds the pitch period, copies the last periods
// as the template and smooths the seam where the repetition begins.
func (c *Concealer) start() {
	p := c.pitch()
	c.period, c.lastP = p, p
	h := c.hist
	t := c.tpl[:maxPeriods*p]
	copy(t, h[len(h)-len(t):])
	// The last quarter period fades into the period before it, so the
	// audio runs on into the first repetition without a step. The same
	// change goes into the history, which has not been played yet there.
	q := max(p/4, 1)
	for i := range q {
		w := float32(i+1) / float32(q+1)
		k := len(t) - q + i
		t[k] = (1-w)*t[k] + w*t[k-p]
		h[len(h)-q+i] = t[k]
	}
	c.span, c.pos, c.gain, c.blend = 1, 0, 1, 0
}

// next returns the next concealment sample and moves on: each 10 ms the
// repetition widens by a period (blended over a quarter period) and,
// after the first 10 ms, the gain drops by a fifth per 10 ms.
func (c *Concealer) next() float32 {
	p := c.period
	t := c.tpl[:maxPeriods*p]
	block := t[len(t)-c.span*p:]
	v := block[c.pos%len(block)]
	if c.blend > 0 {
		old := t[len(t)-c.oldSpan*p:]
		w := float32(c.blendN-c.blend+1) / float32(c.blendN+1)
		v = w*v + (1-w)*old[c.oldPos%len(old)]
		c.oldPos++
		c.blend--
	}
	v *= c.gain
	c.lost++
	c.pos++
	if c.lost%c.step == 0 && c.span < maxPeriods {
		// Widen: carry on one period further back, at the same phase,
		// fading over from where the old repetition would have gone.
		c.oldSpan, c.oldPos = c.span, c.pos
		c.pos %= c.span * p
		c.span++
		c.blendN = max(p/4, 1)
		c.blend = c.blendN
	}
	if c.lost > c.step*fullGainMs/stepMs {
		c.gain = max(0, c.gain-fadePerStep/float32(c.step))
	}
	return v
}

// pitch returns the lag, between minP and maxP, at which the last window
// of history best matches the audio before it (normalised correlation).
// Silence gives maxP.
func (c *Concealer) pitch() int {
	h := c.hist
	end := len(h)
	w := h[end-c.win:]
	best, bestScore := c.maxP, float32(0)
	for lag := c.minP; lag <= c.maxP; lag++ {
		v := h[end-c.win-lag : end-lag]
		var xy, yy float32
		for i, a := range w {
			xy += a * v[i]
			yy += v[i] * v[i]
		}
		if yy <= 0 || xy <= 0 {
			continue
		}
		score := xy * xy / yy
		if score > bestScore {
			best, bestScore = lag, score
		}
	}
	return best
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
