package mediapath

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"handset/mediapath/codec"
	"handset/mediapath/jitter"
	"handset/mediapath/rfc4733"
	"handset/mediapath/sdpneg"
)

// jitterSlots is the jitter buffer's size in packets: 1.28 s of 20 ms
// packets, room for its largest delay and reordering.
const jitterSlots = 64

// Stream is one call's RTP session: UDP sockets on an even port (RTP) and
// the odd one above it (RTCP), its SDP offer/answer, a jitter buffer and
// the goroutine that receives RTCP. What comes in on RTP the pump files
// once a period (Engine.receiveAll), attached or not. Its methods are safe
// for concurrent use.
type Stream struct {
	e        *Engine
	rtp      *rawUDP // RTP, sent and received
	rtcpConn *net.UDPConn
	port     int
	log      *slog.Logger
	cname    string        // RTCP CNAME
	rtcpDone chan struct{} // closed when the RTCP receive goroutine ends

	// Sender state, touched only by the pump's goroutine.
	ssrc     uint32
	seq      uint16
	ts       uint32
	marker   bool // the next voice packet starts a talkspurt
	talking  bool // the last period went out as voice
	cnAt     uint64
	cnLevel  uint8
	dtmf     rfc4733.Sender
	sendErrs uint64
	rtcpAt   uint64 // the pump period of the next RTCP report
	sentRTP  bool   // RTP went out since the last report: send an SR
	recvErrs uint64 // failed RTP reads

	mu         sync.Mutex
	closed     bool
	local      sdpneg.Local
	sdpCount   int // SDP bodies made, for the o= version
	negotiated bool
	neg        sdpneg.Negotiated
	codec      codec.Codec
	jb         *jitter.Buffer
	stats      Stats
	rx         receiver
	lastSR     uint32    // middle 32 bits of the NTP time of the far end's last SR…
	lastSRAt   time.Time // …and when it came
}

// NewStream binds UDP sockets on the engine's LocalAddr at the next free
// even port of the RTP range (RTP) and the port above it (RTCP), starts
// the RTCP receive goroutine and puts the stream among those the pump
// drains. The error wraps ErrNoFreePort when the range is exhausted.
func (e *Engine) NewStream() (*Stream, error) {
	rtp, rtcpConn, port, err := e.bind()
	if err != nil {
		return nil, err
	}
	s := &Stream{
		e:        e,
		rtp:      rtp,
		rtcpConn: rtcpConn,
		port:     port,
		log:      e.log.With("rtp_port", port),
		cname:    "handset@" + e.cfg.LocalAddr.String(),
		rtcpDone: make(chan struct{}),
		ssrc:     rand.Uint32(),
		seq:      uint16(rand.Uint32()),
		ts:       rand.Uint32(),
		talking:  true,
		jb:       e.newJitterBuffer(narrowRate),
		local: sdpneg.Local{
			Addr:            e.cfg.LocalAddr,
			Port:            port,
			Codecs:          e.cfg.Codecs,
			DTMFPayloadType: e.cfg.DTMFPayloadType,
			ComfortNoise:    e.cfg.ComfortNoise,
			SessionID:       rand.Uint64() >> 2,
			Ptime:           int(period / time.Millisecond),
		},
	}
	s.local.Version = s.local.SessionID
	s.rx.epoch = e.clk.Now()
	go s.receiveRTCP()
	e.mu.Lock()
	e.streams = append(e.streams, s)
	e.mu.Unlock()
	return s, nil
}

// newJitterBuffer makes a stream's jitter buffer for an RTP clock.
func (e *Engine) newJitterBuffer(clockRate int) *jitter.Buffer {
	return jitter.New(jitter.Config{
		ClockRate:  clockRate,
		Period:     period,
		MaxDelay:   e.cfg.JitterMax,
		Slots:      jitterSlots,
		MaxPayload: maxPacket,
	})
}

// bind takes the next free even port of the range and the odd one above
// it, round-robin, so a new call does not reuse the ports the last one
// just left.
func (e *Engine) bind() (rtp *rawUDP, rtcpConn *net.UDPConn, port int, err error) {
	network := "udp4"
	if e.cfg.LocalAddr.Is6() {
		network = "udp6"
	}
	count := (e.cfg.PortMax-e.cfg.PortMin)/2 + 1
	var lastErr error
	for i := 0; i < count; i++ {
		port, ok := e.reservePort()
		if !ok {
			break
		}
		rtp, err = listenRawUDP(netip.AddrPortFrom(e.cfg.LocalAddr, uint16(port)))
		if err == nil {
			rtcpConn, err = net.ListenUDP(network, net.UDPAddrFromAddrPort(netip.AddrPortFrom(e.cfg.LocalAddr, uint16(port+1))))
			if err == nil {
				return rtp, rtcpConn, port, nil
			}
			rtp.close()
		}
		lastErr = err
		e.releasePort(port)
	}
	if lastErr != nil {
		return nil, nil, 0, fmt.Errorf("mediapath: new stream on %v ports %d–%d: %w (last: %w)", e.cfg.LocalAddr, e.cfg.PortMin, e.cfg.PortMax, ErrNoFreePort, lastErr)
	}
	return nil, nil, 0, fmt.Errorf("mediapath: new stream on %v ports %d–%d: %w", e.cfg.LocalAddr, e.cfg.PortMin, e.cfg.PortMax, ErrNoFreePort)
}

// reservePort marks the next even port no stream holds as taken.
func (e *Engine) reservePort() (int, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for range (e.cfg.PortMax-e.cfg.PortMin)/2 + 1 {
		port := e.nextPort
		e.nextPort += 2
		if e.nextPort > e.cfg.PortMax {
			e.nextPort = e.cfg.PortMin
		}
		if !e.ports[port] {
			e.ports[port] = true
			return port, true
		}
	}
	return 0, false
}

func (e *Engine) releasePort(port int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.ports, port)
}

// LocalPort is the stream's RTP port.
func (s *Stream) LocalPort() int { return s.port }

// Offer returns our SDP offer.
func (s *Stream) Offer() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("mediapath: offer: %w", ErrStreamClosed)
	}
	b, err := sdpneg.Offer(s.nextLocal())
	if err != nil {
		return nil, fmt.Errorf("mediapath: offer: %w", err)
	}
	return b, nil
}

// AcceptOffer negotiates the peer's offer and returns our answer. The error
// wraps sdpneg.ErrNoCommonCodec when nothing matches.
func (s *Stream) AcceptOffer(offer []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("mediapath: accept offer: %w", ErrStreamClosed)
	}
	answer, n, err := sdpneg.Answer(offer, s.nextLocal())
	if err != nil {
		return nil, fmt.Errorf("mediapath: accept offer: %w", err)
	}
	if err := s.setNegotiated(n); err != nil {
		return nil, fmt.Errorf("mediapath: accept offer: %w", err)
	}
	return answer, nil
}

// AcceptAnswer takes the peer's answer to our Offer.
func (s *Stream) AcceptAnswer(answer []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("mediapath: accept answer: %w", ErrStreamClosed)
	}
	n, err := sdpneg.ParseAnswer(answer, s.local)
	if err != nil {
		return fmt.Errorf("mediapath: accept answer: %w", err)
	}
	if err := s.setNegotiated(n); err != nil {
		return fmt.Errorf("mediapath: accept answer: %w", err)
	}
	return nil
}

// Negotiated returns the outcome of the last offer/answer; the zero value
// before there is one.
func (s *Stream) Negotiated() sdpneg.Negotiated {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.neg
}

// nextLocal returns our SDP parameters, the o= version one higher than in
// the last SDP we made. Called with s.mu held.
func (s *Stream) nextLocal() sdpneg.Local {
	if s.sdpCount > 0 {
		s.local.Version++
	}
	s.sdpCount++
	return s.local
}

// setNegotiated installs an offer/answer outcome; the codec keeps its
// state when it stays the same. Called with s.mu held.
func (s *Stream) setNegotiated(n sdpneg.Negotiated) error {
	c := s.codec
	if !s.negotiated || s.neg.Codec != n.Codec {
		var ok bool
		if c, ok = codec.ByName(n.Codec); !ok {
			return fmt.Errorf("negotiated codec %q is not one of ours", n.Codec)
		}
		if s.negotiated {
			s.resetJitter() // payloads of the old codec
		}
	}
	s.neg, s.codec, s.negotiated = n, c, true
	s.rx.clockRate = n.ClockRate
	if s.rx.clockRate <= 0 {
		s.rx.clockRate = c.ClockRate()
	}
	if s.rx.clockRate != s.jb.Config().ClockRate {
		s.jb = s.e.newJitterBuffer(s.rx.clockRate)
	}
	s.stats.Codec = n.Codec
	s.log.Info("media negotiated", "codec", n.Codec, "remote", n.Remote, "dtmf_pt", n.DTMFPayloadType,
		"cn_pt", n.CNPayloadType, "direction", n.Direction)
	return nil
}

// Close detaches the stream if it is attached, takes it from those the
// pump drains, says BYE over RTCP, closes its sockets (after a read or
// send of the pump's in progress), waits for its RTCP receive goroutine
// and frees its ports. It logs the call's media figures. Closing twice
// does nothing.
func (s *Stream) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()

	e := s.e
	e.mu.Lock()
	if e.attached == s {
		e.attached = nil
		e.dtmf.clear()
	}
	if i := slices.Index(e.streams, s); i >= 0 {
		e.streams = slices.Delete(e.streams, i, i+1)
	}
	e.mu.Unlock()
	s.sendBye()
	err := s.rtp.close()
	rerr := s.rtcpConn.Close()
	<-s.rtcpDone
	e.releasePort(s.port)
	st := s.snapshot()
	s.mu.Lock()
	wrongPT, malformed := s.rx.wrongPT, s.rx.malformed
	s.mu.Unlock()
	s.log.Info("stream closed", "codec", st.Codec, "sent", st.PacketsSent, "received", st.PacketsReceived,
		"lost", st.Lost, "late", st.Late, "fraction_lost", st.FractionLost, "concealed", st.Concealed,
		"jitter_ms", round1(st.JitterMs), "rtt_ms", round1(st.RTTMs),
		"jitter_buffer_ms", round1(st.JitterBufferMs), "jitter_buffer_max_ms", round1(st.JitterBufferMaxMs),
		"remote_lost", st.RemoteLost, "remote_jitter_ms", round1(st.RemoteJitterMs),
		"comfort_noise", st.ComfortNoise, "cn_sent", st.CNSent, "echo_suppressed", st.EchoSuppressed,
		"wrong_payload_type", wrongPT, "malformed", malformed)
	if err = errors.Join(err, rerr); err != nil {
		return fmt.Errorf("mediapath: close stream: %w", err)
	}
	return nil
}

// round1 rounds to one decimal, for logs.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// resetJitter empties the jitter buffer, keeping its counts. Called with
// s.mu held.
func (s *Stream) resetJitter() {
	addJitterStats(&s.stats, s.jb.Stats())
	s.jb.Reset()
}

// addJitterStats adds a jitter buffer's counts to st.
func addJitterStats(st *Stats, js jitter.Stats) {
	st.Lost += js.Lost
	st.Late += js.Late
	st.Duplicates += js.Duplicates
	st.JitterStretched += js.Stretched
	st.JitterDropped += js.Dropped + js.SilenceSkipped
	st.JitterBufferMaxMs = max(st.JitterBufferMaxMs, ms(js.MaxDepth))
}

// ms converts a duration to milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// snapshot copies the counters, with the jitter buffer's.
func (s *Stream) snapshot() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	js := s.jb.Stats()
	addJitterStats(&st, js)
	st.JitterBufferMs = ms(js.Depth)
	if s.rx.clockRate > 0 {
		st.JitterMs = s.rx.jitter / float64(s.rx.clockRate) * 1000
	}
	return st
}

// sendFailed counts a failed send, logging the first and then every
// thousandth. It runs on the pump's goroutine.
func (s *Stream) sendFailed(err error) {
	if errors.Is(err, net.ErrClosed) {
		return // Close raced the pump
	}
	s.sendErrs++
	if s.sendErrs == 1 || s.sendErrs%1000 == 0 {
		s.log.Warn("RTP send failed", "count", s.sendErrs, "err", err)
	}
}

// canSend and canReceive read our side's SDP direction.
func canSend(dir string) bool    { return dir != "recvonly" && dir != "inactive" }
func canReceive(dir string) bool { return dir != "sendonly" && dir != "inactive" }

// remoteUsable reports whether the far end gave an address to send to (not
// the 0.0.0.0 of an old-style hold).
func remoteUsable(a netip.AddrPort) bool {
	return a.IsValid() && a.Port() != 0 && !a.Addr().IsUnspecified()
}
