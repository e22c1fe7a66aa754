package cn

import "math"

// Generator makes white noise at a level set from received CN payloads.
// The level glides to a new value over one frame, so updates do not
// step.
type Generator struct {
	state     uint64  // xorshift state, never 0
	gain, cur float32 // target and current RMS
}

// NewGenerator returns a silent Generator; seed varies the noise.
func NewGenerator(seed uint64) *Generator {
	g := &Generator{}
	g.Seed(seed)
	return g
}

// Seed restarts the noise sequence.
func (g *Generator) Seed(seed uint64) {
	g.state = seed | 1
}

// SetLevel sets the noise level in -dBov (Silent for none).
func (g *Generator) SetLevel(level uint8) {
	g.gain = float32(rmsOfLevel(level))
}

// Fill writes one frame of noise into frame.
func (g *Generator) Fill(frame []int16) {
	// Uniform noise in [-1, 1) has an RMS of 1/√3.
	const scale = 1.7320508
	step := (g.gain - g.cur) / float32(max(len(frame), 1))
	for i := range frame {
		g.cur += step
		frame[i] = int16(min(max(g.uniform()*scale*g.cur, math.MinInt16), math.MaxInt16))
	}
	g.cur = g.gain
}

// uniform returns a pseudo-random number in [-1, 1) (xorshift64*).
func (g *Generator) uniform() float32 {
	x := g.state
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	g.state = x
	return float32(int32((x*0x2545F4914F6CDD1D)>>32)) / (1 << 31)
}
