package mediapath

import (
	"time"

	"github.com/pion/rtp"

	"handset/hal"
	"handset/mediapath/jitter"
	"handset/mediapath/rfc4733"
)

// receiver is a stream's receive-side state, guarded by Stream.mu.
type receiver struct {
	epoch     time.Time // arrival times count from here
	clockRate int       // RTP clock of the negotiated codec
	dtmf      rfc4733.Receiver

	ssrc     uint32
	haveSSRC bool
	// newSource tells the pump that the far end started a new stream:
	// its decoder and concealment start afresh.
	newSource bool
	// RFC 3550 §6.4.1 interarrival jitter, in timestamp units, from the
	// voice packets of the current SSRC.
	haveLast    bool
	lastArrival int64
	lastTS      uint32
	jitter      float64
	seq         seqStats

	wrongPT, malformed uint64
}

// Draining bounds.
const (
	// maxDrain bounds the datagrams taken from one socket in one period,
	// so that a flood cannot hold the pump past its period; the rest wait
	// for the next. A second of 20 ms packets fits.
	maxDrain = 4 * jitterSlots
	// maxAge bounds how long a datagram counts as having waited in its
	// socket. The pump drains every period, so a real age is a period or
	// two; a larger one comes from the wall clock being stepped (a Pi
	// without a battery clock steps it when NTP answers).
	maxAge = time.Second
)

// recvBatch is how many datagrams one read of a socket takes at most. A
// period usually brings one; one read takes what a late period brings
// too, and a read that fills the batch is followed by another.
const recvBatch = 4

// datagrams is a batch read from a socket in one go, in the order the
// datagrams came: each in its own buffer, with its length and how long it
// waited in the socket (by the kernel's stamp; 0 without one).
type datagrams struct {
	buf [recvBatch][maxPacket + 1]byte // one more: a longer datagram shows as too long
	n   [recvBatch]int
	age [recvBatch]time.Duration
}

// drainer is the pump's receive side: a copy of the open streams and the
// buffers of a batch of datagrams, reused every period. Only the pump's
// goroutine touches it.
type drainer struct {
	open  []*Stream
	batch datagrams
	pkt   rtp.Packet
	ev    rfc4733.Event
}

// receiveAll files what has come in on every open stream's RTP socket since
// the last period, attached or not (early media, a call waiting): voice
// and comfort noise into its jitter buffer, RFC 4733 events to OnDTMF. The
// pump calls it once per period before playout, so no thread wakes for a
// datagram. It allocates nothing once its copy of the stream list has
// grown to the most streams open at once.
func (e *Engine) receiveAll() {
	d := &e.drain
	e.mu.Lock()
	d.open = append(d.open[:0], e.streams...)
	e.mu.Unlock()
	for i, s := range d.open {
		s.drain(d)
		d.open[i] = nil // a closed stream is not kept alive
	}
}

// drain files the datagrams queued on s's socket, in order, until it is
// empty or closed (a Close meanwhile waits for the read in progress). It
// reads them a batch at a time, and reads again only when a batch came
// back full: one read per period when a packet or none came. It runs on
// the pump's goroutine.
func (s *Stream) drain(d *drainer) {
	b := &d.batch
	for taken := 0; taken < maxDrain; {
		n, err := s.rtp.recv(b)
		if err != nil {
			s.recvFailed(err)
			taken++
			continue
		}
		if n == 0 {
			return
		}
		now := s.e.clk.Now()
		for i := range n {
			if key, isNew := s.handle(b.buf[i][:b.n[i]], &d.pkt, &d.ev, arrival(now, b.age[i])); isNew {
				if f := s.e.cfg.OnDTMF; f != nil {
					f(hal.Key(key))
				}
			}
		}
		if n < recvBatch {
			return
		}
		taken += n
	}
}

// arrival is when a datagram that waited age in its socket came in, on the
// engine's clock read at now: the kernel stamps arrivals on the wall
// clock, which tests fake and NTP may step. An age below zero (the wall
// clock stepped back) counts as none, one over maxAge as maxAge.
func arrival(now time.Time, age time.Duration) time.Time {
	return now.Add(-min(max(age, 0), maxAge))
}

// recvFailed counts a failed read, logging the first and then every
// thousandth. It runs on the pump's goroutine.
func (s *Stream) recvFailed(err error) {
	s.recvErrs++
	if s.recvErrs == 1 || s.recvErrs%1000 == 0 {
		s.log.Warn("RTP receive failed", "count", s.recvErrs, "err", err)
	}
}

// handle files one datagram, which arrived at now: voice and comfort noise
// into the jitter buffer, RFC 4733 events into the DTMF receiver. It
// reports a new DTMF key.
func (s *Stream) handle(b []byte, pkt *rtp.Packet, ev *rfc4733.Event, now time.Time) (key rune, isNew bool) {
	err := pkt.Unmarshal(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil || pkt.Version != 2 || len(b) > maxPacket {
		s.rx.malformed++
		return 0, false
	}
	if !s.negotiated || s.closed {
		return 0, false
	}
	jp := jitter.Packet{Seq: pkt.SequenceNumber, TS: pkt.Timestamp, Marker: pkt.Marker}
	switch pt := pkt.PayloadType; {
	case pt == s.neg.PayloadType:
		s.follow(pkt.SSRC)
		s.updateJitter(pkt.Timestamp, now)
		// G.711 and G.722 both advance the 8 kHz clock by one per byte.
		jp.Kind, jp.Units = jitter.Voice, uint32(len(pkt.Payload))
		s.jb.Push(jp, pkt.Payload, now)
	case s.neg.CNPayloadType != 0 && pt == s.neg.CNPayloadType:
		s.follow(pkt.SSRC)
		jp.Kind = jitter.Comfort
		s.jb.Push(jp, pkt.Payload, now)
	case s.neg.DTMFPayloadType != 0 && pt == s.neg.DTMFPayloadType:
		if err := ev.Unmarshal(pkt.Payload); err != nil {
			s.rx.malformed++
			return 0, false
		}
		// Event packets use up sequence numbers of the voice stream they
		// replace: they hold their places in the jitter buffer, so the
		// gap is not taken for loss.
		s.follow(pkt.SSRC)
		jp.Kind = jitter.Event
		s.jb.Push(jp, nil, now)
		key, isNew = s.rx.dtmf.Handle(pkt.Timestamp, *ev)
		if isNew {
			s.stats.DTMFReceived++
		}
	default:
		s.rx.wrongPT++
		return 0, false
	}
	s.rx.seq.update(pkt.SequenceNumber)
	s.counted(pkt, now)
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
		s.rx.newSource = true
	}
	s.rx.ssrc, s.rx.haveSSRC = ssrc, true
	s.rx.haveLast = false
	s.rx.seq = seqStats{}
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

// Sequence-number bookkeeping for reception reports (RFC 3550 A.1, A.3).
const (
	maxDropout  = 3000 // a jump further ahead restarts the count
	maxMisorder = 100  // packets this far behind are late, not a restart
)

// seqStats counts packets expected and received from one source.
type seqStats struct {
	started                      bool
	base, max                    uint16
	cycles                       uint32 // wrap-arounds × 65536
	received                     uint64
	expectedPrior, receivedPrior int64
}

// update counts one packet with sequence number seq.
func (q *seqStats) update(seq uint16) {
	if !q.started {
		*q = seqStats{started: true, base: seq, max: seq, received: 1}
		return
	}
	switch d := seq - q.max; {
	case d < maxDropout:
		if seq < q.max {
			q.cycles += 1 << 16
		}
		q.max = seq
	case d <= 65535-maxMisorder: // a jump: the source restarted
		*q = seqStats{started: true, base: seq, max: seq}
	case q.cycles == 0 && int16(seq-q.base) < 0:
		q.base = seq // reordered ahead of the first packet received
	}
	q.received++
}

// highest is the extended highest sequence number received.
func (q *seqStats) highest() uint32 { return q.cycles + uint32(q.max) }

// report returns the fraction lost since the last report (in 1/256), the
// packets lost since the start and the extended highest sequence number,
// and starts a new interval.
func (q *seqStats) report() (fraction uint8, lost int32, highest uint32) {
	expected := int64(q.highest()) - int64(q.base) + 1
	total := expected - int64(q.received)
	expInt := expected - q.expectedPrior
	lostInt := expInt - (int64(q.received) - q.receivedPrior)
	q.expectedPrior, q.receivedPrior = expected, int64(q.received)
	if expInt > 0 && lostInt > 0 {
		fraction = uint8(min(lostInt<<8/expInt, 255))
	}
	return fraction, int32(min(max(total, -1<<23), 1<<23-1)), q.highest()
}
