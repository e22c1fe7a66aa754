package alsa

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"handset/config"
	"handset/hal"
)

// xrunLogEvery spaces the warnings about xruns; each one is counted.
const xrunLogEvery = 10 * time.Second

// Card is the phone's ALSA sound card: hal.SoundCard on raw hw devices
// through yobert/alsa, with the card's volumes set through its control
// device. Its methods are safe for concurrent use; a stream it opens
// belongs to one goroutine.
type Card struct {
	cfg config.Audio
	log *slog.Logger
	clk hal.Clock
	sys platform

	xruns atomic.Uint64

	volMu sync.Mutex // serialises volume changes so the card ends at the last one

	mu          sync.Mutex
	volume      [2]int    // percent, per direction
	remembered  [2]string // the id of the card each direction last opened
	opened      string    // what the last Open opened, for Name
	lastXrunLog time.Time
}

var _ hal.SoundCard = (*Card)(nil)

// NewCard checks cfg (the [audio] section) and returns a Card; it touches
// no hardware. Volumes are applied as given (0 is silent), so start from
// config.Default().Audio. A nil log discards.
func NewCard(cfg config.Audio, log *slog.Logger, clk hal.Clock) (*Card, error) {
	return newCard(cfg, log, clk, sysPlatform{})
}

func newCard(cfg config.Audio, log *slog.Logger, clk hal.Clock, sys platform) (*Card, error) {
	if err := checkConfig(cfg); err != nil {
		return nil, err
	}
	if clk == nil {
		return nil, fmt.Errorf("alsa: %w: no clock", ErrBadConfig)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Card{
		cfg:    cfg,
		log:    log,
		clk:    clk,
		sys:    sys,
		volume: [2]int{cfg.PlaybackVolume, cfg.CaptureVolume},
	}, nil
}

// checkConfig refuses values the config package would refuse too, for
// callers that build an Audio by hand.
func checkConfig(cfg config.Audio) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("alsa: %w: %s", ErrBadConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case cfg.Rate < 0:
		return bad("rate %d", cfg.Rate)
	case cfg.Period < 0:
		return bad("period %v", cfg.Period)
	case cfg.BufferPeriods != 0 && (cfg.BufferPeriods < minBufferPeriods || cfg.BufferPeriods > maxBufferPeriods):
		return bad("buffer_periods %d is not %d-%d", cfg.BufferPeriods, minBufferPeriods, maxBufferPeriods)
	case cfg.PlaybackVolume < 0 || cfg.PlaybackVolume > 100:
		return bad("playback_volume %d is not 0-100", cfg.PlaybackVolume)
	case cfg.CaptureVolume < 0 || cfg.CaptureVolume > 100:
		return bad("capture_volume %d is not 0-100", cfg.CaptureVolume)
	}
	for _, d := range [...]config.PCMDevice{cfg.PlaybackDevice, cfg.CaptureDevice} {
		if !d.IsZero() && (d.Device < 0 || d.Device > 31) {
			return bad("device %s", d)
		}
	}
	return nil
}

// Name implements hal.SoundCard: the devices last opened, or what the
// configuration asks for.
func (c *Card) Name() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.opened != "" {
		return c.opened
	}
	want := "first card that plays and captures"
	if c.cfg.Card != "" {
		want = "hw:" + c.cfg.Card
	}
	if !c.cfg.PlaybackDevice.IsZero() || !c.cfg.CaptureDevice.IsZero() {
		want = fmt.Sprintf("playback %s, capture %s", or(c.cfg.PlaybackDevice.String(), want), or(c.cfg.CaptureDevice.String(), want))
	}
	return "alsa " + want
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// Open implements hal.SoundCard. It finds the devices (see resolve),
// negotiates a format both directions accept starting from want and the
// configuration (see negotiate.go), applies the configured volumes,
// unmuting the card, and starts the stream (see doc.go). It fails with an
// error matching hal.ErrNoDevice while the card is absent, ErrBusy while
// another program holds it and ErrNoFormat when nothing fits.
func (c *Card) Open(want hal.PCMFormat) (hal.PCM, error) {
	cards, err := c.sys.cards()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	remembered, volume := c.remembered, c.volume
	c.mu.Unlock()
	ends, err := resolve(cards, c.cfg, remembered)
	if err != nil {
		return nil, err
	}
	var (
		devs  [2]pcmDevice
		names [2]string
	)
	for d, e := range ends {
		devs[d] = c.sys.pcm(e.card.Number, e.device, e.dir)
		names[d] = e.name()
	}
	g, err := negotiate(devs, names, openPlan(want, c.cfg))
	if err != nil {
		return nil, err
	}
	for d, e := range ends {
		c.applyVolume(e.card.Number, Direction(d), volume[d])
	}
	s := newStream(devs, names, g, c.noteXrun, c.log)
	if err := s.start(); err != nil {
		devs[Playback].Close()
		devs[Capture].Close()
		return nil, err
	}
	opened := fmt.Sprintf("alsa %s %q, %s", ends[Playback].name(), ends[Playback].card.Name, ends[Capture].name())
	c.mu.Lock()
	c.remembered = [2]string{ends[Playback].card.ID, ends[Capture].card.ID}
	c.opened = opened
	c.mu.Unlock()
	c.log.Info("sound card opened", "playback", names[Playback], "capture", names[Capture],
		"card", ends[Playback].card.Name, "id", ends[Playback].card.ID, "granted", g.String())
	return s, nil
}

// applyVolume sets direction d of card to pct percent and logs what went
// wrong: a card without a mixer still plays.
func (c *Card) applyVolume(card int, d Direction, pct int) {
	n, err := c.setMixer(card, d, pct)
	if err != nil {
		c.log.Warn("sound card volume not set", "card", card, "direction", d.String(), "err", err)
		return
	}
	c.log.Debug("sound card volume set", "card", card, "direction", d.String(), "percent", pct, "controls", n)
}

// setMixer opens card's control device and sets the volume of d.
func (c *Card) setMixer(card int, d Direction, pct int) (int, error) {
	f, err := c.sys.control(card)
	if err != nil {
		return 0, deviceError("open mixer", fmt.Sprintf("hw:%d", card), err)
	}
	m := newMixer(f, nativeABI(), card, c.log)
	defer m.Close()
	return m.SetVolume(d, pct)
}

// SetPlaybackVolume sets the earpiece volume to pct percent (0 mutes) now
// and for every later Open.
func (c *Card) SetPlaybackVolume(pct int) error { return c.setVolume(Playback, pct) }

// SetCaptureVolume sets the microphone volume to pct percent (0 mutes) now
// and for every later Open.
func (c *Card) SetCaptureVolume(pct int) error { return c.setVolume(Capture, pct) }

// StepVolume moves the earpiece volume by delta percent, within 0–100
// (for the volume keys), and returns the new volume. The volume is kept
// even when the card is absent, which the error then says.
func (c *Card) StepVolume(delta int) (int, error) {
	c.volMu.Lock()
	defer c.volMu.Unlock()
	c.mu.Lock()
	pct := clampPct(c.volume[Playback] + delta)
	c.volume[Playback] = pct
	c.mu.Unlock()
	return pct, c.pushVolume(Playback, pct)
}

// Volume returns the volume of d in percent.
func (c *Card) Volume(d Direction) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.volume[d]
}

func (c *Card) setVolume(d Direction, pct int) error {
	if pct < 0 || pct > 100 {
		return fmt.Errorf("alsa: set %s volume: %w (got %d)", d, ErrBadVolume, pct)
	}
	c.volMu.Lock()
	defer c.volMu.Unlock()
	c.mu.Lock()
	c.volume[d] = pct
	c.mu.Unlock()
	return c.pushVolume(d, pct)
}

// pushVolume sets the volume of d on the card that direction resolves to
// now.
func (c *Card) pushVolume(d Direction, pct int) error {
	cards, err := c.sys.cards()
	if err != nil {
		return err
	}
	c.mu.Lock()
	remembered := c.remembered
	c.mu.Unlock()
	ends, err := resolve(cards, c.cfg, remembered)
	if err != nil {
		return err
	}
	_, err = c.setMixer(ends[d].card.Number, d, pct)
	return err
}

// Xruns returns how many underruns and overruns the card's streams have
// met; each was recovered or ended the stream.
func (c *Card) Xruns() uint64 { return c.xruns.Load() }

// noteXrun counts an xrun and warns at most every xrunLogEvery.
func (c *Card) noteXrun(device string) {
	n := c.xruns.Add(1)
	now := c.clk.Now()
	c.mu.Lock()
	due := c.lastXrunLog.IsZero() || now.Sub(c.lastXrunLog) >= xrunLogEvery
	if due {
		c.lastXrunLog = now
	}
	c.mu.Unlock()
	if due {
		c.log.Warn("sound card xrun (clicks or a gap in the audio)", "device", device, "total", n)
	}
}
