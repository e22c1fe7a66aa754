package cn

import "math"

// VAD decisions, tuned for 20 ms frames.
const (
	// speechAboveNoise: a frame this many dB above the noise floor is
	// speech.
	speechAboveNoise = 9.0
	// speechFloorDB: a frame louder than this (dBov) is always speech.
	speechFloorDB = -30.0
	// silenceBelowDB: a frame quieter than this (dBov) is never speech.
	silenceBelowDB = -65.0
	// hangover keeps the decision "speech" this many frames after the last
	// speech frame, so word endings and short pauses are sent.
	hangover = 10
	// The noise floor follows quieter frames quickly and louder ones
	// slowly (dB per frame), so speech does not lift it.
	floorFall = 1.0
	floorRise = 0.1
)

// VAD is a voice activity detector on frame energy: speech is what stands
// well above a tracked noise floor. It also measures the background level
// for CN payloads.
type VAD struct {
	floor    float64 // noise floor, dBov
	started  bool
	quiet    int     // frames since the last speech frame
	noiseSum float64 // mean power of the silent frames…
	noiseN   int     // …over this many frames
}

// Active reports whether frame (one period of the microphone) is speech,
// with a hangover of 200 ms (at 20 ms frames) after the last speech.
func (v *VAD) Active(frame []int16) bool {
	var sum float64
	for _, s := range frame {
		sum += float64(s) * float64(s)
	}
	db := silenceBelowDB - 30
	if len(frame) > 0 && sum > 0 {
		db = 10*math.Log10(sum/float64(len(frame))) - 20*math.Log10(32767)
	}
	if !v.started { // no hangover before the first speech
		v.floor, v.started, v.quiet = db, true, hangover
	}
	if db < v.floor {
		v.floor = max(db, v.floor-floorFall)
	} else {
		v.floor = min(db, v.floor+floorRise)
	}
	speech := db > silenceBelowDB && (db > speechFloorDB || db > v.floor+speechAboveNoise)
	if speech {
		v.quiet = 0
		v.noiseSum, v.noiseN = 0, 0
		return true
	}
	v.quiet++
	if len(frame) > 0 {
		v.noiseSum += sum / float64(len(frame))
		v.noiseN++
	}
	return v.quiet <= hangover
}

// NoiseLevel is the background level in -dBov for a CN payload: the mean
// level of the frames since speech stopped.
func (v *VAD) NoiseLevel() uint8 {
	if v.noiseN == 0 {
		return Silent
	}
	return levelOfRMS(math.Sqrt(v.noiseSum / float64(v.noiseN)))
}

// Reset forgets the noise floor, as for a new call.
func (v *VAD) Reset() { *v = VAD{} }
