package sim

import (
	"fmt"
	"io"
	"sync"
	"time"

	"handset/hal"
	"handset/wav"
)

// Defaults for what Open does not get told.
const (
	defaultRate          = 8000
	defaultChannels      = 1
	defaultPeriod        = 20 * time.Millisecond
	defaultBufferPeriods = 4
	minBufferPeriods     = 2
)

// SoundConfig describes a simulated sound card.
type SoundConfig struct {
	// Rates the card offers, e.g. [8000] or [48000]; the first is the
	// default. Empty means [8000].
	Rates []int
	// Channels the card offers, e.g. [1] or [2]. Empty means [1].
	Channels []int
	// Mic is the capture signal; nil means silence.
	Mic Source
	// Speaker, if not nil, receives a WAV recording of everything played:
	// mono (stereo periods are averaged) at the rate of the first Open.
	// SoundCard.Close finishes the file.
	Speaker io.WriteSeeker
	// BufferPeriods, if positive, is the ring size in periods whatever
	// Open asks for (at least two), as [audio] buffer_periods sets it on
	// the real card. Zero: as asked, four when not asked.
	BufferPeriods int
	// Realtime makes the card keep time like hardware, on the injected
	// clock: Read blocks until a period has been captured and playback
	// Write until the ring has room (see pcmStream for the model). Without
	// it nothing blocks and nothing underruns (tests).
	Realtime bool
	// OnCapture, if set, is called after each Read with the index of the
	// period's first frame in the microphone signal (counted over the
	// card's life) and when the microphone heard it: on the card's
	// schedule in real-time mode, else the time of the Read. It runs on
	// the reading goroutine and must not block; it lets a measurement
	// time what the phone does with the sound.
	OnCapture func(frame int64, at time.Time)
	// OnPlay, if set, is called for each Write with the index of its first
	// frame in the speaker recording (counted over the card's life,
	// recorded or not) and when the card starts playing it: on the
	// schedule in real-time mode, else the time of the Write. It runs on
	// the writing goroutine and must not block.
	OnPlay func(frame int64, at time.Time)
}

// SoundCard is a simulated duplex sound card. Only one stream may be open at
// a time, as with a raw ALSA device.
type SoundCard struct {
	cfg SoundConfig
	clk hal.Clock

	mu        sync.Mutex
	open      *pcmStream
	unplugged bool
	closed    bool
	rec       *wav.Writer
	recRate   int
	recErr    error
	underruns uint64
	played    int64 // frames
	heard     int64 // frames captured
}

var _ hal.SoundCard = (*SoundCard)(nil)

// NewSoundCard returns a simulated card; it touches nothing until Open.
func NewSoundCard(cfg SoundConfig, clk hal.Clock) *SoundCard {
	if len(cfg.Rates) == 0 {
		cfg.Rates = []int{defaultRate}
	}
	if len(cfg.Channels) == 0 {
		cfg.Channels = []int{defaultChannels}
	}
	if cfg.Mic == nil {
		cfg.Mic = Silence{}
	}
	return &SoundCard{cfg: cfg, clk: clk}
}

// Name implements hal.SoundCard.
func (c *SoundCard) Name() string { return "sim" }

// Open implements hal.SoundCard. The rate granted is the smallest offered
// rate at or above want.Rate, else the highest offered; channels likewise.
// The period keeps want's duration at the granted rate (20 ms when not
// given) and the buffer holds at least two periods (four when not given).
func (c *SoundCard) Open(want hal.PCMFormat) (hal.PCM, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, fmt.Errorf("sim: open: %w", errCardClosed)
	case c.unplugged:
		return nil, fmt.Errorf("sim: open: %w", errUnplugged)
	case c.open != nil:
		return nil, fmt.Errorf("sim: open: %w", errBusy)
	}
	rate, err := pick(c.cfg.Rates, want.Rate)
	if err != nil {
		return nil, fmt.Errorf("sim: open: rate: %w", err)
	}
	channels, err := pick(c.cfg.Channels, want.Channels)
	if err != nil {
		return nil, fmt.Errorf("sim: open: channels: %w", err)
	}
	period := rate / int(time.Second/defaultPeriod)
	if want.PeriodFrames > 0 && want.Rate > 0 {
		period = int(int64(want.PeriodFrames) * int64(rate) / int64(want.Rate))
	}
	period = max(1, period)
	periods := defaultBufferPeriods
	switch {
	case c.cfg.BufferPeriods > 0:
		periods = max(minBufferPeriods, c.cfg.BufferPeriods)
	case want.BufferFrames > 0 && want.PeriodFrames > 0:
		periods = max(minBufferPeriods, (want.BufferFrames+want.PeriodFrames-1)/want.PeriodFrames)
	}
	if c.cfg.Speaker != nil {
		if c.rec == nil && c.recErr == nil {
			if c.rec, err = wav.NewWriter(c.cfg.Speaker, rate, 1); err != nil {
				return nil, fmt.Errorf("sim: open: speaker recording: %w", err)
			}
			c.recRate = rate
		} else if c.recRate != rate {
			return nil, fmt.Errorf("sim: open: speaker recording is at %d Hz, card would run at %d Hz", c.recRate, rate)
		}
	}
	p := &pcmStream{
		card:     c,
		f:        hal.PCMFormat{Rate: rate, Channels: channels, PeriodFrames: period, BufferFrames: period * periods},
		capMono:  make([]int16, period),
		playMono: make([]int16, period*periods),
		gone:     make(chan struct{}),
	}
	if c.cfg.Realtime {
		p.playWait, p.capWait = newWaiter(c.clk, p.gone), newWaiter(c.clk, p.gone)
	}
	c.open = p
	return p, nil
}

// pick returns the smallest offered value at or above want, else the
// highest offered; want <= 0 picks the first (default) value.
func pick(offered []int, want int) (int, error) {
	best, highest := 0, 0
	for _, v := range offered {
		if v <= 0 {
			return 0, fmt.Errorf("sim: offered value %d is not positive", v)
		}
		highest = max(highest, v)
		if v >= want && (best == 0 || v < best) {
			best = v
		}
	}
	if want <= 0 {
		return offered[0], nil
	}
	if best == 0 {
		best = highest
	}
	return best, nil
}

// Unplug makes the card vanish like a pulled USB device: the open stream
// (if any) fails from now on with an error wrapping hal.ErrNoDevice, even
// after Plug, and Open fails the same way until Plug.
func (c *SoundCard) Unplug() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unplugged = true
	if p := c.open; p != nil {
		p.dead = true
		p.signalGone()
		c.open = nil
	}
}

// Plug brings an unplugged card back; it must be opened again.
func (c *SoundCard) Plug() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unplugged = false
}

// Underruns reports how many playback underruns the card has seen.
func (c *SoundCard) Underruns() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.underruns
}

// Played reports how many frames the card has played since it was made.
func (c *SoundCard) Played() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.played
}

// Close closes the open stream, if any, and finishes the speaker recording.
// It returns the first error the recording met. The card cannot be opened
// again.
func (c *SoundCard) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.recErr
	}
	c.closed = true
	if p := c.open; p != nil {
		p.closed = true
		p.signalGone()
		c.open = nil
	}
	if c.rec != nil {
		if err := c.rec.Close(); err != nil && c.recErr == nil {
			c.recErr = err
		}
	}
	return c.recErr
}

// record appends frames written to the speaker recording, down-mixed to
// mono in p.playMono. Called with c.mu held.
func (c *SoundCard) record(p *pcmStream, buf []int16, frames int) {
	c.played += int64(frames)
	if c.rec == nil || c.recErr != nil {
		return
	}
	mono := buf
	if ch := p.f.Channels; ch > 1 {
		mono = p.playMono[:frames]
		for i := range mono {
			sum := 0
			for _, s := range buf[i*ch : i*ch+ch] {
				sum += int(s)
			}
			mono[i] = int16(sum / ch)
		}
	}
	if err := c.rec.Write(mono); err != nil {
		c.recErr = fmt.Errorf("sim: speaker recording: %w", err)
	}
}
