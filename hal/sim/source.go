package sim

import "math"

// Source produces the simulated microphone signal.
type Source interface {
	// Fill overwrites buf with the next mono samples at the card's rate.
	// It must not allocate.
	Fill(buf []int16)
}

// Silence is a Source of zeros.
type Silence struct{}

// Fill implements Source.
func (Silence) Fill(buf []int16) { clear(buf) }

// ToneSource is a Source of one sine wave.
type ToneSource struct {
	step  float64 // phase advance per sample, radians
	amp   float64 // peak, in sample units
	phase float64
}

// NewToneSource returns a sine of freq Hz sampled at rate, with amplitude a
// fraction (0..1, clamped) of full scale.
func NewToneSource(rate int, freq, amplitude float64) *ToneSource {
	amplitude = max(0, min(1, amplitude))
	step := 0.0
	if rate > 0 {
		step = 2 * math.Pi * freq / float64(rate)
	}
	return &ToneSource{step: step, amp: amplitude * math.MaxInt16}
}

// Fill implements Source.
func (s *ToneSource) Fill(buf []int16) {
	for i := range buf {
		buf[i] = int16(math.Round(s.amp * math.Sin(s.phase)))
		s.phase += s.step
		if s.phase >= 2*math.Pi {
			s.phase -= 2 * math.Pi
		}
	}
}

// wavSource plays a recording in a loop.
type wavSource struct {
	mono []int16
	pos  int
}

// NewWAVSource returns a Source that plays samples (interleaved, channels
// per frame) in a loop, down-mixed to mono by averaging the channels. The
// samples must be at the card's rate; they are not resampled. channels below
// 1 is taken as 1; empty samples give silence. Mono samples are played in
// place, not copied (a long recording is held once): the caller must not
// change them afterwards.
func NewWAVSource(samples []int16, channels int) Source {
	channels = max(1, channels)
	frames := len(samples) / channels
	if frames == 0 {
		return Silence{}
	}
	if channels == 1 {
		return &wavSource{mono: samples[:frames:frames]}
	}
	mono := make([]int16, frames)
	mixDown(mono, samples, channels)
	return &wavSource{mono: mono}
}

// mixDown averages each frame of interleaved (channels per frame) into
// one sample of mono, for as many frames as mono holds. mono may be
// interleaved's own start: each frame is read before its sample is written.
func mixDown(mono, interleaved []int16, channels int) {
	if channels == 1 {
		copy(mono, interleaved)
		return
	}
	for i := range mono {
		sum := 0
		for _, v := range interleaved[i*channels : (i+1)*channels] {
			sum += int(v)
		}
		mono[i] = int16(sum / channels)
	}
}

// Fill implements Source.
func (s *wavSource) Fill(buf []int16) {
	for len(buf) > 0 {
		n := copy(buf, s.mono[s.pos:])
		buf = buf[n:]
		s.pos = (s.pos + n) % len(s.mono)
	}
}
