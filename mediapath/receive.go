package mediapath

import (
	"errors"
	"net"
	"time"

	"github.com/pion/rtp"

	"handset/hal"
	"handset/mediapath/rfc4733"
)

// receiver is a stream's receive-side state, guarded by Stream.mu.
type receiver struct {
	epoch     time.Time // arrival times count from here
	clockRate int       // RTP clock of the negotiated codec
	dtmf      rfc4733.Receiver

	ssrc     uint32
	haveSSRC bool
	// RFC 3550 §6.4.1 interarrival jitter, in timestamp units, from the
	// voice packets of the current SSRC.
	haveLast    bool
	lastArrival int64
	lastTS      uint32
	jitter      float64

	wrongPT, malformed uint64
}

// receive reads the stream's socket until Close. Each datagram lands in the
// same buffer and is unmarshalled into the same packet; the jitter buffer
// copies the payload, so nothing is allocated per packet.
func (s *Stream) receive() {
	defer close(s.done)
	buf := make([]byte, maxPacket+1) // one more: a longer datagram shows as too long
	var pkt rtp.Packet
	var ev rfc4733.Event
	logged := false
	for {
		n, _, err := s.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if !logged { // e.g. an ICMP error reported on the socket
				s.log.Warn("RTP receive failed", "err", err)
				logged = true
			}
			continue
		}
		if key, ok := s.handle(buf[:n], &pkt, &ev); ok {
			if f := s.e.cfg.OnDTMF; f != nil {
				f(hal.Key(key))
			}
		}
	}
}

// handle files one datagram: voice into the jitter buffer, RFC 4733 events
// into the DTMF receiver. It reports a new DTMF key.
func (s *Stream) handle(b []byte, pkt *rtp.Packet, ev *rfc4733.Event) (key rune, isNew bool) {
	err := pkt.Unmarshal(b)
	now := s.e.clk.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil || pkt.Version != 2 || len(b) > maxPacket {
		s.rx.malformed++
		return 0, false
	}
	if !s.negotiated || s.closed {
		return 0, false
	}
	switch pt := pkt.PayloadType; {
	case pt == s.neg.PayloadType:
		s.follow(pkt.SSRC)
		s.updateJitter(pkt.Timestamp, now)
		s.jb.Push(pkt.SequenceNumber, pkt.Timestamp, pkt.Payload)
		s.counted(pkt, now)
	case s.neg.DTMFPayloadType != 0 && pt == s.neg.DTMFPayloadType:
		if err := ev.Unmarshal(pkt.Payload); err != nil {
			s.rx.malformed++
			return 0, false
		}
		// Event packets use up sequence numbers of the voice stream they
		// replace. An empty entry in their place plays as a silent period,
		// where a gap would count as loss and, once skipped, leave the
		// jitter buffer deeper than before.
		s.follow(pkt.SSRC)
		s.jb.Push(pkt.SequenceNumber, pkt.Timestamp, nil)
		s.counted(pkt, now)
		key, isNew = s.rx.dtmf.Handle(pkt.Timestamp, *ev)
		if isNew {
			s.stats.DTMFReceived++
		}
	default:
		s.rx.wrongPT++
	}
	return key, isNew
}

// follow starts the jitter buffer afresh when the SSRC changes: the far end
// restarted its stream, or a re-INVITE moved it. Called with s.mu held.
func (s *Stream) follow(ssrc uint32) {
	if s.rx.haveSSRC && ssrc == s.rx.ssrc {
		return
	}
	if s.rx.haveSSRC {
		s.log.Info("far end changed SSRC", "old", s.rx.ssrc, "new", ssrc)
	}
	s.rx.ssrc, s.rx.haveSSRC = ssrc, true
	s.rx.haveLast = false
	s.resetJitter()
}

// updateJitter adds a voice packet to the RFC 3550 §6.4.1 interarrival
// jitter estimate. Called with s.mu held.
func (s *Stream) updateJitter(ts uint32, now time.Time) {
	since, rate := now.Sub(s.rx.epoch), int64(s.rx.clockRate)
	arrival := int64(since/time.Second)*rate + int64(since%time.Second)*rate/int64(time.Second)
	if s.rx.haveLast {
		// D = (Rj - Ri) - (Sj - Si), in timestamp units.
		d := float64((arrival - s.rx.lastArrival) - int64(int32(ts-s.rx.lastTS)))
		if d < 0 {
			d = -d
		}
		s.rx.jitter += (d - s.rx.jitter) / 16
	}
	s.rx.lastArrival, s.rx.lastTS, s.rx.haveLast = arrival, ts, true
}

// counted adds an accepted packet to the stream's counters. Called with
// s.mu held.
func (s *Stream) counted(pkt *rtp.Packet, now time.Time) {
	s.stats.PacketsReceived++
	s.stats.BytesReceived += uint64(len(pkt.Payload))
	if s.stats.FirstRTPReceived.IsZero() {
		s.stats.FirstRTPReceived = now
	}
}
