package mediapath

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pion/rtp"

	"handset/hal"
	"handset/mediapath/codec"
	"handset/mediapath/rfc4733"
	"handset/mediapath/sdpneg"
	"handset/mediapath/tone"
)

// maxPacket bounds an RTP packet we send or receive.
const maxPacket = 1500

// pump moves one period at a time between the card and the attached
// stream. It belongs to Run's goroutine; every buffer is made once, so a
// period allocates nothing.
type pump struct {
	e    *Engine
	gen  *tone.Generator
	conv converter
	cur  *Stream // the stream attached last period

	capBuf, playBuf []int16 // one card period
	tx, rx          []int16 // one media frame
	dec             []int16 // decoder output, room for long packets
	payload         []byte  // encoder / RFC 4733 output
	rxPayload       []byte  // jitter buffer output
	wire            []byte  // the marshalled packet
	pkt             rtp.Packet
}

func newPump(e *Engine) *pump {
	return &pump{
		e:         e,
		gen:       e.gen,
		tx:        make([]int16, frameSamples),
		rx:        make([]int16, frameSamples),
		dec:       make([]int16, maxPacket),
		payload:   make([]byte, maxPacket),
		rxPayload: make([]byte, maxPacket),
		wire:      make([]byte, maxPacket),
	}
}

// setFormat fits the conversion and card buffers to f.
func (p *pump) setFormat(f hal.PCMFormat) error {
	conv, err := newConverter(f, frameSamples)
	if err != nil {
		return err
	}
	p.conv = conv
	if n := f.PeriodSamples(); len(p.capBuf) != n {
		p.capBuf = make([]int16, n)
		p.playBuf = make([]int16, n)
	}
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
			continue
		}
		if !errors.Is(err, hal.ErrXrun) {
			return err
		}
		p.countXrun()
		p.e.log.Debug("sound card xrun", "err", err)
		if err := pcm.Recover(); err != nil {
			return fmt.Errorf("recover from xrun: %w", err)
		}
	}
}

// idle runs the pump for d on a silent stand-in for the card, paced by the
// clock, so calls keep their RTP flowing while the card is away.
func (p *pump) idle(ctx context.Context, d time.Duration) {
	s := newSilentPCM(p.e.clk, ctx.Done())
	defer s.Close()
	if err := p.setFormat(s.Format()); err != nil {
		p.e.log.Error("silent stand-in for the card", "err", err)
		return
	}
	p.run(ctx, s, p.e.clk.Now().Add(d))
}

// step runs one period: capture → encode → send, then jitter buffer →
// decode → tones → playback.
func (p *pump) step(pcm hal.PCM) error {
	s, key, haveKey := p.commands()
	if s != p.cur {
		p.switchStream(s)
	}
	if err := pcm.Read(p.capBuf); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	p.conv.toMedia(p.tx, p.capBuf)
	if s != nil {
		p.send(s, key, haveKey)
		p.receive(s)
	} else {
		clear(p.rx)
	}
	p.gen.Mix(p.rx)
	p.conv.toCard(p.playBuf, p.rx)
	if err := pcm.Write(p.playBuf); err != nil {
		return fmt.Errorf("playback: %w", err)
	}
	return nil
}

// commands applies what call control asked for since the last period and
// returns the attached stream and the DTMF key to start, if any.
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
	return s, key, haveKey
}

// switchStream starts a talkspurt on a newly attached stream, dropping
// whatever its jitter buffer gathered before.
func (p *pump) switchStream(s *Stream) {
	if old := p.cur; old != nil {
		old.dtmf = rfc4733.Sender{}
	}
	p.cur = s
	if s == nil {
		return
	}
	s.marker = true
	s.mu.Lock()
	s.resetJitter()
	s.mu.Unlock()
}

// send encodes the captured frame (or the DTMF event in progress) and
// sends it to the far end. The RTP timestamp advances one frame per
// period either way.
func (p *pump) send(s *Stream, key hal.Key, haveKey bool) {
	s.mu.Lock()
	ok := s.negotiated && canSend(s.neg.Direction) && remoteUsable(s.neg.Remote)
	neg, c := s.neg, s.codec
	s.mu.Unlock()
	if haveKey {
		p.gen.PlayKey(rune(key), keyToneLength)
	}
	if !ok {
		return
	}
	step := uint32(c.ClockRate()) * uint32(period/time.Millisecond) / 1000
	p.sendPacket(s, neg, c, step, key, haveKey)
	s.ts += step
}

// sendPacket sends this period's packet: voice, or an RFC 4733 event while
// one is in progress.
func (p *pump) sendPacket(s *Stream, neg sdpneg.Negotiated, c codec.Codec, step uint32, key hal.Key, haveKey bool) {
	if haveKey {
		if code, known := rfc4733.EventCode(rune(key)); known && neg.DTMFPayloadType != 0 {
			s.dtmf.Start(code, s.ts, uint32(c.ClockRate())*uint32(keyToneLength/time.Millisecond)/1000, step)
			s.mu.Lock()
			s.stats.DTMFSent++
			s.mu.Unlock()
		} else {
			s.log.Debug("DTMF not sent: the far end takes no telephone-event", "key", string(key))
		}
	}
	if s.dtmf.Active() {
		n, marker, ts, _ := s.dtmf.Next(p.payload)
		if n > 0 {
			p.transmit(s, neg, neg.DTMFPayloadType, marker, ts, n)
			return
		}
	}
	n := c.Encode(p.payload, p.tx)
	p.transmit(s, neg, neg.PayloadType, s.marker, s.ts, n)
	s.marker = false
}

// transmit marshals p.payload[:n] behind an RTP header and sends it.
func (p *pump) transmit(s *Stream, neg sdpneg.Negotiated, pt uint8, marker bool, ts uint32, n int) {
	p.pkt.Header = rtp.Header{
		Version:        2,
		Marker:         marker,
		PayloadType:    pt,
		SequenceNumber: s.seq,
		Timestamp:      ts,
		SSRC:           s.ssrc,
	}
	p.pkt.Payload = p.payload[:n]
	m, err := p.pkt.MarshalTo(p.wire)
	if err != nil {
		s.sendFailed(err)
		return
	}
	s.seq++
	if _, err := s.conn.WriteToUDPAddrPort(p.wire[:m], neg.Remote); err != nil {
		s.sendFailed(err)
		return
	}
	s.mu.Lock()
	s.stats.PacketsSent++
	s.stats.BytesSent += uint64(n)
	if s.stats.FirstRTPSent.IsZero() {
		s.stats.FirstRTPSent = p.e.clk.Now()
	}
	s.mu.Unlock()
}

// receive pops one period from s's jitter buffer and decodes it into p.rx,
// or leaves silence when nothing is there.
func (p *pump) receive(s *Stream) {
	s.mu.Lock()
	if !s.negotiated || !canReceive(s.neg.Direction) {
		s.mu.Unlock()
		clear(p.rx)
		return
	}
	n, ok := s.jb.Pop(p.rxPayload)
	c := s.codec
	if !ok && !s.stats.FirstRTPReceived.IsZero() {
		s.stats.Concealed++
	}
	s.mu.Unlock()
	if !ok {
		clear(p.rx)
		return
	}
	m := min(c.Decode(p.dec, p.rxPayload[:n]), len(p.rx))
	copy(p.rx, p.dec[:m])
	clear(p.rx[m:])
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
// period per period of the clock.
type silentPCM struct {
	clk    hal.Clock
	done   <-chan struct{}
	ticker hal.Ticker
}

func newSilentPCM(clk hal.Clock, done <-chan struct{}) *silentPCM {
	return &silentPCM{clk: clk, done: done}
}

func (s *silentPCM) Format() hal.PCMFormat {
	return hal.PCMFormat{Rate: mediaRate, Channels: 1, PeriodFrames: frameSamples, BufferFrames: frameSamples}
}

func (s *silentPCM) Read(buf []int16) error {
	clear(buf)
	return nil
}

func (s *silentPCM) Write([]int16) error {
	if s.ticker == nil {
		s.ticker = s.clk.NewTicker(period)
	}
	select {
	case <-s.ticker.C():
	case <-s.done:
	}
	return nil
}

func (s *silentPCM) Recover() error { return nil }

func (s *silentPCM) Close() error {
	if s.ticker != nil {
		s.ticker.Stop()
	}
	return nil
}
