package mediapath

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pion/rtp"

	"handset/hal"
	"handset/mediapath/cn"
	"handset/mediapath/codec"
	"handset/mediapath/echo"
	"handset/mediapath/plc"
	"handset/mediapath/resample"
	"handset/mediapath/rfc4733"
	"handset/mediapath/rtcp"
	"handset/mediapath/tone"
)

// maxPacket bounds an RTP packet we send or receive.
const maxPacket = 1500

// pump moves one period at a time between the card and the attached
// stream. It belongs to Run's goroutine; every buffer is made once, so a
// period allocates nothing.
type pump struct {
	e       *Engine
	gen     *tone.Generator
	conv    converter
	cur     *Stream // the stream attached last period
	periods uint64  // periods run

	capBuf, playBuf []int16 // one card period
	leadBuf         []int16 // a period stretched to move the lead; silence to prime it
	lead            leadControl
	tx, rx          []int16 // one frame at the engine's rate

	// The codec side, for the codec of cur.
	codec     codec.Codec
	txCodec   []int16             // the mouthpiece at the codec's rate
	rxCodec   []int16             // the earpiece at the codec's rate
	down, up  *resample.Resampler // engine ↔ 8 kHz, for a 16 kHz engine
	plcs      [2]*plc.Concealer   // 8 and 16 kHz
	plc       *plc.Concealer      // the one for the codec
	cng       *cn.Generator       // comfort noise received
	vad       cn.VAD              // silence of the mouthpiece
	echo      *echo.Suppressor    // nil when off
	dec       []int16             // decoder output
	carry     []int16             // decoded audio beyond the last period
	dropped   []int16             // a packet the jitter buffer dropped, decoded
	splice    bool                // blend the next packet in from dropped
	comfort   bool                // the far end is in comfort noise
	heard     bool                // audio came since the stream was attached
	payload   []byte              // encoder / RFC 4733 / CN output
	rxPayload []byte              // jitter buffer output
	wire      []byte              // the marshalled packet
	rtcpBuf   []byte              // the marshalled RTCP report
	pkt       rtp.Packet
	sr        rtcp.SenderReport
	rr        rtcp.ReceiverReport
}

func newPump(e *Engine) *pump {
	p := &pump{
		e:         e,
		gen:       e.gen,
		tx:        make([]int16, e.frame),
		rx:        make([]int16, e.frame),
		txCodec:   make([]int16, wideRate/periodsPerSecond),
		rxCodec:   make([]int16, wideRate/periodsPerSecond),
		plcs:      [2]*plc.Concealer{plc.New(narrowRate, 2*maxPacket), plc.New(wideRate, 2*maxPacket)},
		cng:       cn.NewGenerator(uint64(e.clk.Now().UnixNano())),
		dec:       make([]int16, 2*maxPacket),
		carry:     make([]int16, 0, 2*maxPacket+wideRate/periodsPerSecond),
		dropped:   make([]int16, 2*maxPacket),
		payload:   make([]byte, maxPacket),
		rxPayload: make([]byte, maxPacket),
		wire:      make([]byte, maxPacket),
		rtcpBuf:   make([]byte, maxPacket),
	}
	if e.rate != narrowRate {
		// Errors cannot happen for these fixed rates.
		p.down, _ = resample.New(e.rate, narrowRate, e.frame)
		p.up, _ = resample.New(narrowRate, e.rate, narrowRate/periodsPerSecond)
	}
	if e.cfg.EchoSuppressor {
		p.echo = echo.New(e.rate)
	}
	p.plc = p.plcs[0]
	return p
}

// setFormat fits the conversion and card buffers to f.
func (p *pump) setFormat(f hal.PCMFormat) error {
	conv, err := newConverter(f, p.e.rate, p.e.frame)
	if err != nil {
		return err
	}
	p.conv = conv
	if n := f.PeriodSamples(); len(p.capBuf) != n {
		p.capBuf = make([]int16, n)
		p.playBuf = make([]int16, n)
	}
	if n := max(f.BufferFrames, 2*f.PeriodFrames) * f.Channels; len(p.leadBuf) != n {
		p.leadBuf = make([]int16, n)
	}
	p.lead = newLeadControl(f.Rate, f.PeriodFrames, f.BufferFrames)
	return nil
}

// run pumps periods through pcm until ctx ends (nil), pcm fails for good
// (the error), or, if until is not zero, the clock reaches until (nil).
// Xruns are recovered and counted.
func (p *pump) run(ctx context.Context, pcm hal.PCM, until time.Time) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		default:
		}
		if !until.IsZero() && !p.e.clk.Now().Before(until) {
			return nil
		}
		err := p.step(pcm)
		if err == nil {
			if p.e.cfg.Beat != nil {
				p.e.cfg.Beat()
			}
			continue
		}
		if !errors.Is(err, hal.ErrXrun) {
			return err
		}
		p.countXrun()
		p.lead.restart()
		p.e.log.Debug("sound card xrun", "err", err)
		if err := pcm.Recover(); err != nil {
			return fmt.Errorf("recover from xrun: %w", err)
		}
	}
}

// idle runs the pump for d on a silent stand-in for the card, paced by the
// clock, so calls keep their RTP flowing while the card is away.
func (p *pump) idle(ctx context.Context, d time.Duration) {
	s := newSilentPCM(p.e.clk, ctx.Done(), p.e.rate)
	defer s.Close()
	if err := p.setFormat(s.Format()); err != nil {
		p.e.log.Error("silent stand-in for the card", "err", err)
		return
	}
	p.run(ctx, s, p.e.clk.Now().Add(d))
}

// step runs one period: capture; the far end's audio from the jitter
// buffer, decoded or made up, with local tones, to the earpiece; the
// mouthpiece, echo suppressed, encoded and sent; RTCP when due. What call
// control asked for is taken after the capture, which is where a card
// makes the pump wait, so a stream attached meanwhile sends this period.
func (p *pump) step(pcm hal.PCM) error {
	if err := pcm.Read(p.capBuf); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	s, key, haveKey := p.commands()
	p.e.receiveAll()
	if s != p.cur {
		p.switchStream(s)
	}
	p.conv.toMedia(p.tx, p.capBuf)
	if s != nil {
		p.playout(s, p.e.clk.Now())
	} else {
		clear(p.rx)
	}
	p.gen.Mix(p.rx)
	if s != nil {
		if p.echo != nil {
			before := p.echo.Suppressed()
			p.echo.Process(p.tx, p.rx)
			if p.echo.Suppressed() != before {
				s.mu.Lock()
				s.stats.EchoSuppressed++
				s.mu.Unlock()
			}
		}
		p.send(s, key, haveKey)
		p.sendReport(s)
	}
	p.conv.toCard(p.playBuf, p.rx)
	p.periods++
	if err := p.play(pcm); err != nil {
		return fmt.Errorf("playback: %w", err)
	}
	return nil
}

// play writes the period in playBuf, holding the card's queue at the
// playback lead: silence first on a card that has just started, the
// period stretched or shortened a little when the lead moves.
func (p *pump) play(pcm hal.PCM) error {
	ch := p.conv.channels
	if !p.lead.started {
		n := p.lead.prime() * ch
		clear(p.leadBuf[:n])
		if err := pcm.Write(p.leadBuf[:n]); err != nil {
			return err
		}
		return pcm.Write(p.playBuf)
	}
	queued, err := pcm.Delay()
	if err != nil {
		return err
	}
	adj := p.lead.next(queued, p.playBuf, p.cur != nil)
	p.e.lead.publish(&p.lead)
	if adj == 0 {
		return pcm.Write(p.playBuf)
	}
	n := spliceFrames(p.leadBuf, p.playBuf, ch, adj, p.lead.splice)
	return pcm.Write(p.leadBuf[:n])
}

// commands applies what call control asked for since the last period and
// returns the attached stream and the DTMF key to start, if any (its
// feedback starts playing at once).
func (p *pump) commands() (s *Stream, key hal.Key, haveKey bool) {
	e := p.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.toneSet {
		p.gen.Play(e.tone)
		e.toneSet = false
	}
	for {
		k, ok := e.keyTones.pop()
		if !ok {
			break
		}
		p.gen.PlayKey(rune(k), keyToneLength)
	}
	s = e.attached
	if s != nil && !s.dtmf.Active() {
		key, haveKey = e.dtmf.pop()
	}
	if haveKey {
		p.gen.PlayKey(rune(key), keyToneLength)
	}
	return s, key, haveKey
}

// switchStream starts a talkspurt on a newly attached stream, dropping
// whatever its jitter buffer gathered before, and starts the codec side
// afresh.
func (p *pump) switchStream(s *Stream) {
	if old := p.cur; old != nil {
		old.dtmf = rfc4733.Sender{}
	}
	p.cur = s
	p.codec = nil
	p.vad.Reset()
	if p.echo != nil {
		p.echo.Reset()
	}
	if s == nil {
		return
	}
	s.marker = true
	if s.rtcpAt == 0 {
		s.rtcpAt = nextRTCP(p.periods, true)
	}
	s.mu.Lock()
	s.resetJitter()
	s.mu.Unlock()
}

// setCodec fits the codec side to c, starting it afresh.
func (p *pump) setCodec(c codec.Codec) {
	p.codec = c
	p.plc = p.plcs[0]
	if c.SampleRate() == wideRate {
		p.plc = p.plcs[1]
	}
	p.plc.Reset()
	if p.down != nil {
		p.down.Reset()
		p.up.Reset()
	}
	p.carry = p.carry[:0]
	p.splice, p.comfort, p.heard = false, false, false
	p.cng.SetLevel(cn.Silent)
}

// countXrun adds a recovered card xrun to the attached stream's counters.
func (p *pump) countXrun() {
	if s := p.cur; s != nil {
		s.mu.Lock()
		s.stats.Xruns++
		s.mu.Unlock()
	}
}

// silentPCM stands in for a missing card: silence in, nothing out, one
// period per period of the clock. Its queue plays one period per Read, as
// a card's does when the pump keeps pace.
type silentPCM struct {
	clk     hal.Clock
	done    <-chan struct{}
	rate    int
	ticker  hal.Ticker
	queued  int // frames
	started bool
}

func newSilentPCM(clk hal.Clock, done <-chan struct{}, rate int) *silentPCM {
	return &silentPCM{clk: clk, done: done, rate: rate}
}

func (s *silentPCM) Format() hal.PCMFormat {
	n := s.rate / periodsPerSecond
	return hal.PCMFormat{Rate: s.rate, Channels: 1, PeriodFrames: n, BufferFrames: cardBufferPeriods * n}
}

func (s *silentPCM) Read(buf []int16) error {
	if s.ticker == nil {
		s.ticker = s.clk.NewTicker(period)
	}
	select {
	case <-s.ticker.C():
	case <-s.done:
	}
	clear(buf)
	if s.started {
		s.queued = max(0, s.queued-len(buf))
	}
	return nil
}

func (s *silentPCM) Write(buf []int16) error {
	s.started = true
	s.queued += len(buf)
	return nil
}

func (s *silentPCM) Delay() (int, error) { return s.queued, nil }

func (s *silentPCM) Recover() error {
	s.queued, s.started = 0, false
	return nil
}

func (s *silentPCM) Close() error {
	if s.ticker != nil {
		s.ticker.Stop()
	}
	return nil
}
