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
// period: the card's clock paces whoever calls it.
//
// Playback is a ring of BufferFrames frames. It starts with the first
// Write after Open or Recover and from then on plays frame after frame,
// so what is written waits behind what is still queued: Delay says how
// much that is, and the caller keeps it as small as its own lateness
// allows (a playback lead). If the ring runs dry, Write and Delay fail
// with ErrXrun until Recover; or, on a card that plays on through a short
// gap (board/alsa), Delay skips what was missed and reports 0.
type PCM interface {
	Format() PCMFormat
	// Read fills buf (PeriodSamples values) with the next capture period.
	Read(buf []int16) error
	// Write queues buf for playback: whole frames (a multiple of
	// Channels values), at most BufferFrames of them. It blocks until the
	// ring has room for all of buf.
	Write(buf []int16) error
	// Delay is the number of frames written but not yet played: how long
	// a frame written now waits before it is heard. It is 0 before the
	// first Write.
	Delay() (int, error)
	// Recover brings the stream back after ErrXrun, with an empty ring.
	Recover() error
	Close() error
}
