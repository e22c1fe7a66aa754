package mediapath

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"handset/hal"
	"handset/mediapath/codec"
	"handset/mediapath/jitter"
	"handset/mediapath/tone"
)

// The pump's fixed timing: one 20 ms period, of 8 kHz mono audio, or of
// 16 kHz when a wideband codec is configured.
const (
	narrowRate       = 8000
	wideRate         = 16000
	period           = 20 * time.Millisecond
	periodsPerSecond = int(time.Second / period)
)

// Defaults for zero Config fields, and bounds.
const (
	defaultPortMin = 16384
	defaultPortMax = 32766
	defaultDTMFPT  = 101
	minJitter      = 20 * time.Millisecond
	maxJitter      = time.Second
)

const (
	// cardBufferPeriods is the playback ring asked of the card. The pump
	// keeps only its playback lead queued (lead.go), a few milliseconds
	// when it comes on time; the ring bounds how far the lead may grow
	// (all but one period of it) when it does not. A card (or [audio]
	// buffer_periods) may grant another size.
	cardBufferPeriods = 3
	// reopenInterval is how often a missing card is tried again.
	reopenInterval = time.Second
	// keyToneLength is the length of local key feedback and of a DTMF
	// event sent to the far end.
	keyToneLength = 100 * time.Millisecond
)

// Config is what an Engine needs.
type Config struct {
	// Card is the sound card the pump owns.
	Card hal.SoundCard
	// Plan is the country's call-progress tones.
	Plan tone.Plan
	// Codecs in order of preference; empty means PCMU, PCMA.
	Codecs []string
	// LocalAddr is where RTP binds and what SDP advertises.
	LocalAddr netip.Addr
	// PortMin and PortMax bound the RTP ports: each stream takes an even
	// one, and RTCP the odd one above it. Both zero means 16384–32766.
	PortMin, PortMax int
	// DTMFPayloadType is the RFC 4733 payload type offered; 0 means 101.
	DTMFPayloadType uint8
	// JitterMax bounds the adaptive jitter buffer's delay (20 ms–1 s); 0
	// means 200 ms. It starts at 40 ms and moves with the network.
	JitterMax time.Duration
	// ComfortNoise offers RFC 3389 comfort noise. When the far end takes
	// it, a silent mouthpiece (by a voice activity detector) is sent as
	// occasional CN packets instead of voice, and CN received plays as
	// noise at the level the far end measured.
	ComfortNoise bool
	// EchoSuppressor turns the mouthpiece down by 30 dB while only the far
	// end talks, so it does not hear itself.
	EchoSuppressor bool
	// Beat, if set, is called once per period the pump completes, on the
	// card or on the silent stand-in while the card is away: the hardware
	// watchdog is fed only while it keeps coming. It must not block.
	Beat func()
	// OnDTMF, if set, is called from the pump's goroutine for each DTMF
	// event received on any open stream, attached or not. It must not
	// block.
	OnDTMF func(k hal.Key)
}

// Engine is the audio engine: it owns the sound card while Run runs and
// makes the RTP streams of calls. Its methods are safe for concurrent use.
type Engine struct {
	cfg   Config
	log   *slog.Logger
	clk   hal.Clock
	rate  int             // the pump's sample rate: 16 kHz with a wideband codec
	frame int             // samples per period at rate
	gen   *tone.Generator // the pump's
	drain drainer         // the pump's: what it receives with
	lead  leadStats       // the pump's playback lead, for Stats

	mu       sync.Mutex
	running  bool
	tone     tone.Kind
	toneSet  bool
	keyTones keyQueue
	dtmf     keyQueue
	attached *Stream
	last     *Stream
	streams  []*Stream    // open: the pump drains their RTP sockets
	ports    map[int]bool // bound or being bound
	nextPort int
}

// NewEngine checks cfg and returns an Engine; it touches no hardware and
// binds no socket.
func NewEngine(cfg Config, log *slog.Logger, clk hal.Clock) (*Engine, error) {
	if cfg.Card == nil {
		return nil, fmt.Errorf("%w: no sound card", ErrBadConfig)
	}
	if clk == nil {
		return nil, fmt.Errorf("%w: no clock", ErrBadConfig)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(cfg.Codecs) == 0 {
		cfg.Codecs = []string{"PCMU", "PCMA"}
	}
	cfg.Codecs = append([]string(nil), cfg.Codecs...)
	rate := narrowRate
	for _, name := range cfg.Codecs {
		c, ok := codec.ByName(name)
		if !ok {
			return nil, fmt.Errorf("%w: unknown codec %q", ErrBadConfig, name)
		}
		switch c.SampleRate() {
		case narrowRate:
		case wideRate:
			rate = wideRate
		default:
			return nil, fmt.Errorf("%w: codec %s needs %d Hz audio; the pump runs at 8 or 16 kHz", ErrBadConfig, name, c.SampleRate())
		}
		if c.ClockRate() != narrowRate {
			return nil, fmt.Errorf("%w: codec %s has a %d Hz RTP clock; the jitter buffer and events use 8 kHz", ErrBadConfig, name, c.ClockRate())
		}
	}
	if !cfg.LocalAddr.IsValid() || cfg.LocalAddr.IsUnspecified() {
		return nil, fmt.Errorf("%w: local address %v cannot be advertised", ErrBadConfig, cfg.LocalAddr)
	}
	cfg.LocalAddr = cfg.LocalAddr.Unmap()
	if cfg.PortMin == 0 && cfg.PortMax == 0 {
		cfg.PortMin, cfg.PortMax = defaultPortMin, defaultPortMax
	}
	cfg.PortMin += cfg.PortMin & 1
	if cfg.PortMin < 1 || cfg.PortMax > 65535 || cfg.PortMin > cfg.PortMax {
		return nil, fmt.Errorf("%w: RTP port range %d–%d has no even port", ErrBadConfig, cfg.PortMin, cfg.PortMax)
	}
	if cfg.DTMFPayloadType == 0 {
		cfg.DTMFPayloadType = defaultDTMFPT
	}
	if cfg.DTMFPayloadType < 96 || cfg.DTMFPayloadType > 127 {
		return nil, fmt.Errorf("%w: DTMF payload type %d is not dynamic (96–127)", ErrBadConfig, cfg.DTMFPayloadType)
	}
	if cfg.JitterMax == 0 {
		cfg.JitterMax = jitter.DefaultMaxDelay
	}
	if cfg.JitterMax < minJitter || cfg.JitterMax > maxJitter {
		return nil, fmt.Errorf("%w: jitter buffer bound %v not in %v–%v", ErrBadConfig, cfg.JitterMax, minJitter, maxJitter)
	}
	return &Engine{
		cfg:      cfg,
		log:      log,
		clk:      clk,
		rate:     rate,
		frame:    rate / periodsPerSecond,
		gen:      tone.NewGenerator(rate, cfg.Plan),
		ports:    make(map[int]bool),
		nextPort: cfg.PortMin,
	}, nil
}

// Rate is the sample rate the pump, the tones and the card path run at:
// 16 kHz when a wideband codec (G.722) is configured, else 8 kHz.
func (e *Engine) Rate() int { return e.rate }

// Run owns the sound card until ctx ends, then returns nil. It opens the
// card for mono 20 ms periods at the engine's Rate (converting when the
// card grants another rate or channel count) and runs the pump. Card
// trouble never ends it: an xrun is recovered and counted; a lost or
// unopenable card is logged once, closed, and tried again every second
// while the pump keeps streams and tones going on the clock, silently. It
// returns ErrRunning if already running.
//
// The pump does not lock its goroutine to an OS thread: measured under a
// heavy garbage-collection load (TestPumpUnderGCLoad), a locked pump woke
// up to 200 ms late, an unlocked one within a few ms.
func (e *Engine) Run(ctx context.Context) error {
	e.mu.Lock()
	if e.running {
		e.mu.Unlock()
		return ErrRunning
	}
	e.running = true
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.running = false
		e.mu.Unlock()
	}()

	p := newPump(e)
	want := hal.PCMFormat{Rate: e.rate, Channels: 1, PeriodFrames: e.frame, BufferFrames: cardBufferPeriods * e.frame}
	name := e.cfg.Card.Name()
	lost := false // the loss of the card has been logged
	for ctx.Err() == nil {
		pcm, err := e.openCard(p, want)
		if err != nil {
			if !lost {
				e.log.Warn("sound card unavailable; retrying every second", "card", name, "err", err)
				lost = true
			}
			p.idle(ctx, reopenInterval)
			continue
		}
		if lost {
			e.log.Info("sound card back", "card", name, "format", pcm.Format())
			lost = false
		} else {
			e.log.Info("sound card open", "card", name, "format", pcm.Format())
		}
		err = p.run(ctx, pcm, time.Time{})
		if cerr := pcm.Close(); cerr != nil {
			e.log.Debug("closing sound card", "card", name, "err", cerr)
		}
		if err != nil {
			e.log.Warn("sound card failed; reopening", "card", name, "err", err)
			lost = true
			p.idle(ctx, reopenInterval)
		}
	}
	return nil
}

// openCard opens the card and fits the pump to the format it grants.
func (e *Engine) openCard(p *pump, want hal.PCMFormat) (hal.PCM, error) {
	pcm, err := e.cfg.Card.Open(want)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	if err := p.setFormat(pcm.Format()); err != nil {
		pcm.Close()
		return nil, err
	}
	return pcm, nil
}

// PlayTone plays a call-progress tone into the earpiece until the next
// PlayTone; tone.None stops it.
func (e *Engine) PlayTone(k tone.Kind) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.tone, e.toneSet = k, true
}

// PlayKeyTone plays the DTMF pair of k into the earpiece briefly, as
// feedback of a key press. Keys that are not DTMF digits are ignored.
func (e *Engine) PlayKeyTone(k hal.Key) {
	if !k.IsDTMF() {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.keyTones.push(k) {
		e.log.Debug("key tone dropped: queue full", "key", string(k))
	}
}

// SendDTMF queues k to be sent to the far end of the attached stream as
// RFC 4733 events (100 ms), played locally too. Without an attached stream,
// or for a key that is not a DTMF digit, it does nothing.
func (e *Engine) SendDTMF(k hal.Key) {
	if !k.IsDTMF() {
		e.log.Debug("not a DTMF key", "key", string(k))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.attached == nil {
		e.log.Debug("DTMF without a call dropped", "key", string(k))
		return
	}
	if !e.dtmf.push(k) {
		e.log.Warn("DTMF dropped: queue full", "key", string(k))
	}
}

// Attach connects the pump to s: the mouthpiece goes out on it and what it
// receives plays. It replaces any attached stream.
func (e *Engine) Attach(s *Stream) error {
	if s == nil || s.e != e {
		return ErrForeignStream
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return fmt.Errorf("mediapath: attach: %w", ErrStreamClosed)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.attached != s {
		e.dtmf.clear()
	}
	e.attached, e.last = s, s
	return nil
}

// Detach disconnects the attached stream, which stays open.
func (e *Engine) Detach() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.attached = nil
	e.dtmf.clear()
}

// Stats returns the counters of the attached stream, or of the last one
// attached.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	s := e.attached
	if s == nil {
		s = e.last
	}
	e.mu.Unlock()
	var st Stats
	if s != nil {
		st = s.snapshot()
	}
	e.lead.fill(&st)
	return st
}

// keyQueue is a small fixed ring of keys; it never allocates.
type keyQueue struct {
	keys    [16]hal.Key
	head, n int
}

func (q *keyQueue) push(k hal.Key) bool {
	if q.n == len(q.keys) {
		return false
	}
	q.keys[(q.head+q.n)%len(q.keys)] = k
	q.n++
	return true
}

func (q *keyQueue) pop() (hal.Key, bool) {
	if q.n == 0 {
		return 0, false
	}
	k := q.keys[q.head]
	q.head = (q.head + 1) % len(q.keys)
	q.n--
	return k, true
}

func (q *keyQueue) clear() { q.head, q.n = 0, 0 }
