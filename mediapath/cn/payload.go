package cn

import (
	"fmt"
	"math"
)

// PayloadType is the static RTP payload type of CN on an 8 kHz clock
// (RFC 3551).
const PayloadType = 13

// Silent is the level of digital silence: -127 dBov, the lowest a payload
// carries.
const Silent = 127

// The CN payload (RFC 3389 §3) starts with the noise level; reflection
// coefficients, one byte each, may follow:
//
//	 0 1 2 3 4 5 6 7
//	+-+-+-+-+-+-+-+-+
//	|0|   level     |  level in -dBov, 0 (loudest) to 127
//	+-+-+-+-+-+-+-+-+
//	|     N1        |  optional spectral information…
//	+-+-+-+-+-+-+-+-+

// MarshalTo writes a CN payload of noise level level (-dBov, limited to
// 127) into dst and returns its length, 1.
func MarshalTo(dst []byte, level uint8) (int, error) {
	if len(dst) < 1 {
		return 0, fmt.Errorf("marshal CN: %w", errEmpty)
	}
	dst[0] = min(level, Silent)
	return 1, nil
}

// Unmarshal returns the noise level of a CN payload, ignoring the
// reserved top bit and any spectral information.
func Unmarshal(b []byte) (level uint8, err error) {
	if len(b) < 1 {
		return 0, fmt.Errorf("unmarshal CN: %w", errEmpty)
	}
	return b[0] & 0x7F, nil
}

// LevelOf returns the level of frame in -dBov: 0 for a full-scale square
// wave, 3 for a full-scale sine, 127 for silence.
func LevelOf(frame []int16) uint8 {
	var sum float64
	for _, v := range frame {
		sum += float64(v) * float64(v)
	}
	if len(frame) == 0 || sum == 0 {
		return Silent
	}
	return levelOfRMS(math.Sqrt(sum / float64(len(frame))))
}

// levelOfRMS converts an RMS in sample units to -dBov, rounded.
func levelOfRMS(rms float64) uint8 {
	if rms <= 0 {
		return Silent
	}
	db := -20 * math.Log10(rms/32767)
	return uint8(min(max(math.Round(db), 0), Silent))
}

// rmsOfLevel is the RMS, in sample units, of noise at level -dBov.
func rmsOfLevel(level uint8) float64 {
	if level >= Silent {
		return 0
	}
	return 32767 * math.Pow(10, -float64(level)/20)
}
