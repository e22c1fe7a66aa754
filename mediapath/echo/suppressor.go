package echo

import "math"

// Tuning, in milliseconds and dB.
const (
	blockMs = 5 // decisions are made every 5 ms
	// holdMs is how long the far end counts as talking after its level
	// drops: it covers the echo path (card buffers and the acoustics).
	holdMs = 240
	// marginDB: the microphone is taken for echo unless it is louder than
	// the far end's recent peak minus this margin. Handset echo returns
	// 20 dB or more below the far end; near-end speech is far louder.
	marginDB = 12.0
	// floorDB: a far end quieter than this (dBFS RMS) is not talking.
	floorDB = -50.0
	// depthDB is how far the microphone is turned down.
	depthDB = 30.0
	// releaseMs is how long the microphone stays down once the echo
	// condition ends, so echo tails do not slip out.
	releaseMs = 60
	// rampMs is how fast the gain moves between levels.
	rampMs = 5
)

// Suppressor turns the microphone down while only the far end talks.
type Suppressor struct {
	block            int       // samples per decision
	peaks            []float64 // far-end block RMS over the hold time, a ring
	next             int
	release          int // blocks left before the gain may rise
	gain             float64
	floor            float64 // depthDB as a gain
	step             float64 // gain change per sample
	floorRMS, margin float64

	suppressed int64 // samples turned down, for the stats
}

// New returns a Suppressor for audio at rate samples per second.
func New(rate int) *Suppressor {
	rate = max(rate, 1000)
	block := rate * blockMs / 1000
	return &Suppressor{
		block:    block,
		peaks:    make([]float64, holdMs/blockMs),
		gain:     1,
		floor:    math.Pow(10, -depthDB/20),
		step:     1 / float64(rate*rampMs/1000),
		floorRMS: 32768 * math.Pow(10, floorDB/20),
		margin:   math.Pow(10, -marginDB/20),
	}
}

// Process turns mic down in place where it holds only the echo of far,
// the audio played to the earpiece during the same period. Both are
// frames of the same length at the Suppressor's rate.
func (s *Suppressor) Process(mic, far []int16) {
	n := min(len(mic), len(far))
	for at := 0; at < n; at += s.block {
		end := min(at+s.block, n)
		s.peaks[s.next] = rms(far[at:end])
		s.next = (s.next + 1) % len(s.peaks)
		peak := 0.0
		for _, p := range s.peaks {
			peak = max(peak, p)
		}
		echoOnly := peak > s.floorRMS && rms(mic[at:end]) < peak*s.margin
		target := 1.0
		switch {
		case echoOnly:
			target = s.floor
			s.release = releaseMs / blockMs
		case s.release > 0:
			target = s.floor
			s.release--
		}
		for i := at; i < end; i++ {
			switch {
			case s.gain > target:
				s.gain = max(target, s.gain-s.step)
			case s.gain < target:
				s.gain = min(target, s.gain+s.step)
			}
			if s.gain < 1 {
				mic[i] = int16(math.Round(float64(mic[i]) * s.gain))
				s.suppressed++
			}
		}
	}
}

// Suppressed is how many samples were turned down since New or Reset.
func (s *Suppressor) Suppressed() int64 { return s.suppressed }

// Reset forgets the far end's history, as for a new call.
func (s *Suppressor) Reset() {
	clear(s.peaks)
	s.next, s.release, s.gain, s.suppressed = 0, 0, 1, 0
}

func rms(x []int16) float64 {
	if len(x) == 0 {
		return 0
	}
	var sum float64
	for _, v := range x {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(len(x)))
}
