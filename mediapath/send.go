package mediapath

import (
	"time"

	"github.com/pion/rtp"

	"handset/hal"
	"handset/mediapath/cn"
	"handset/mediapath/codec"
	"handset/mediapath/rfc4733"
	"handset/mediapath/sdpneg"
)

// Comfort noise sending: while the mouthpiece stays silent, a CN packet
// goes out when silence starts, when its level moves by cnLevelStep dB,
// and at least every cnRefresh periods.
const (
	cnRefresh   = uint64(periodsPerSecond)
	cnLevelStep = 3
)

// send encodes the captured frame (or the DTMF event in progress, or
// comfort noise for silence) and sends it to the far end. The RTP
// timestamp advances one frame per period whatever goes out.
func (p *pump) send(s *Stream, key hal.Key, haveKey bool) {
	s.mu.Lock()
	ok := s.negotiated && canSend(s.neg.Direction) && remoteUsable(s.neg.Remote)
	neg, c := s.neg, s.codec
	s.mu.Unlock()
	if !ok || c != p.codec {
		return
	}
	frame := p.tx
	if c.SampleRate() != p.e.rate {
		frame = p.txCodec[:c.SampleRate()/periodsPerSecond]
		p.down.Process(frame, p.tx)
	}
	step := uint32(c.ClockRate()) * uint32(period/time.Millisecond) / 1000
	p.sendPacket(s, neg, c, step, key, haveKey, frame)
	s.ts += step
}

// sendPacket sends this period's packet: an RFC 4733 event while one is in
// progress, comfort noise (or nothing) while the mouthpiece is silent and
// the far end takes CN, else voice.
func (p *pump) sendPacket(s *Stream, neg sdpneg.Negotiated, c codec.Codec, step uint32, key hal.Key, haveKey bool, frame []int16) {
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
			s.talking = true
			return
		}
	}
	if neg.CNPayloadType != 0 && p.e.cfg.ComfortNoise {
		if !p.vad.Active(frame) {
			p.sendComfortNoise(s, neg)
			return
		}
		if !s.talking {
			s.marker = true // a talkspurt starts
		}
	}
	s.talking = true
	n := c.Encode(p.payload, frame)
	p.transmit(s, neg, neg.PayloadType, s.marker, s.ts, n)
	s.marker = false
}

// sendComfortNoise sends a CN packet for a silent period when the far end
// needs one: at the start of silence, when the noise level moved, and now
// and then to keep the stream (and NAT bindings) alive.
func (p *pump) sendComfortNoise(s *Stream, neg sdpneg.Negotiated) {
	level := p.vad.NoiseLevel()
	moved := int(level)-int(s.cnLevel) >= cnLevelStep || int(s.cnLevel)-int(level) >= cnLevelStep
	if s.talking || moved || p.periods-s.cnAt >= cnRefresh {
		n, _ := cn.MarshalTo(p.payload, level) // cannot fail: the buffer is long
		p.transmit(s, neg, neg.CNPayloadType, false, s.ts, n)
		s.cnAt, s.cnLevel = p.periods, level
		s.mu.Lock()
		s.stats.CNSent++
		s.mu.Unlock()
	}
	s.talking = false
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
	if err := s.rtp.send(p.wire[:m], neg.Remote); err != nil {
		s.sendFailed(err)
		return
	}
	s.sentRTP = true
	s.mu.Lock()
	s.stats.PacketsSent++
	s.stats.BytesSent += uint64(n)
	if s.stats.FirstRTPSent.IsZero() {
		s.stats.FirstRTPSent = p.e.clk.Now()
	}
	s.mu.Unlock()
}
