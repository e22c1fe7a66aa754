package hal

import "errors"

// PCMFormat is what a sound card was opened with: signed 16-bit native-endian
// interleaved samples at Rate frames per second with Channels per frame,
// transferred one period (PeriodFrames frames) at a time.
type PCMFormat struct {
	Rate         int
	Channels     int
	PeriodFrames int
	// BufferFrames is the ring size the card accepted (a few periods).
	BufferFrames int
}

// PeriodSamples is the number of int16 values in one period.
func (f PCMFormat) PeriodSamples() int { return f.PeriodFrames * f.Channels }

// ErrXrun reports a playback underrun or capture overrun. The stream is
// still usable after Recover.
var ErrXrun = errors.New("pcm: xrun")

// ErrNoDevice reports that the sound card is gone (unplugged) or absent.
var ErrNoDevice = errors.New("pcm: no such device")

// SoundCard opens duplex audio streams.
type SoundCard interface {
	// Open negotiates a format as close to want as the card allows; the
	// returned stream's Format says what was granted. Callers convert rate
	// and channels when the card grants something else.
	Open(want PCMFormat) (PCM, error)
	// Name describes the card for logs and selftest.
	Name() string
}

// PCM is an open duplex stream. Read blocks until the card has captured a
// period and Write until it has room for one: the card's clock paces
// whoever calls them.
type PCM interface {
	Format() PCMFormat
	// Read fills buf (PeriodSamples values) with the next capture period.
	Read(buf []int16) error
	// Write queues one playback period (PeriodSamples values).
	Write(buf []int16) error
	// Recover brings the stream back after ErrXrun.
	Recover() error
	Close() error
}
