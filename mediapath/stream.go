package mediapath

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"time"

	"handset/mediapath/codec"
	"handset/mediapath/jitter"
	"handset/mediapath/rfc4733"
	"handset/mediapath/sdpneg"
)

// Jitter buffer sizing.
const (
	jitterCapacity = 32 // packets: 640 ms of 20 ms packets
	maxJitterDepth = jitterCapacity / 2
)

// Stream is one call's RTP session: a UDP socket on an even port, its SDP
// offer/answer, a jitter buffer and a receive goroutine. Its methods are
// safe for concurrent use.
type Stream struct {
	e    *Engine
	conn *net.UDPConn
	port int
	log  *slog.Logger
	done chan struct{} // closed when the receive goroutine ends

	// Sender state, touched only by the pump's goroutine.
	ssrc     uint32
	seq      uint16
	ts       uint32
	marker   bool
	dtmf     rfc4733.Sender
	sendErrs uint64

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
}

// NewStream binds a UDP socket on the engine's LocalAddr at the next free
// even port of the RTP range and starts its receive goroutine. The error
// wraps ErrNoFreePort when the range is exhausted.
func (e *Engine) NewStream() (*Stream, error) {
	conn, port, err := e.bind()
	if err != nil {
		return nil, err
	}
	s := &Stream{
		e:    e,
		conn: conn,
		port: port,
		log:  e.log.With("rtp_port", port),
		done: make(chan struct{}),
		ssrc: rand.Uint32(),
		seq:  uint16(rand.Uint32()),
		ts:   rand.Uint32(),
		jb:   jitter.New(jitter.Config{Depth: e.cfg.JitterDepth, Capacity: jitterCapacity, MaxPayload: maxPacket}),
		local: sdpneg.Local{
			Addr:            e.cfg.LocalAddr,
			Port:            port,
			Codecs:          e.cfg.Codecs,
			DTMFPayloadType: e.cfg.DTMFPayloadType,
			SessionID:       rand.Uint64() >> 2,
			Ptime:           int(period / time.Millisecond),
		},
	}
	s.local.Version = s.local.SessionID
	s.rx.epoch = e.clk.Now()
	go s.receive()
	return s, nil
}

// bind takes the next free even port of the range, round-robin, so a new
// call does not reuse the port the last one just left.
func (e *Engine) bind() (*net.UDPConn, int, error) {
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
		addr := net.UDPAddrFromAddrPort(netip.AddrPortFrom(e.cfg.LocalAddr, uint16(port)))
		conn, err := net.ListenUDP(network, addr)
		if err == nil {
			return conn, port, nil
		}
		lastErr = err
		e.releasePort(port)
	}
	if lastErr != nil {
		return nil, 0, fmt.Errorf("mediapath: new stream on %v ports %d–%d: %w (last: %w)", e.cfg.LocalAddr, e.cfg.PortMin, e.cfg.PortMax, ErrNoFreePort, lastErr)
	}
	return nil, 0, fmt.Errorf("mediapath: new stream on %v ports %d–%d: %w", e.cfg.LocalAddr, e.cfg.PortMin, e.cfg.PortMax, ErrNoFreePort)
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

// setNegotiated installs an offer/answer outcome. Called with s.mu held.
func (s *Stream) setNegotiated(n sdpneg.Negotiated) error {
	c, ok := codec.ByName(n.Codec)
	if !ok {
		return fmt.Errorf("negotiated codec %q is not one of ours", n.Codec)
	}
	if s.negotiated && s.neg.Codec != n.Codec {
		s.resetJitter() // payloads of the old codec
	}
	s.neg, s.codec, s.negotiated = n, c, true
	s.rx.clockRate = n.ClockRate
	if s.rx.clockRate <= 0 {
		s.rx.clockRate = c.ClockRate()
	}
	s.stats.Codec = n.Codec
	s.log.Info("media negotiated", "codec", n.Codec, "remote", n.Remote, "dtmf_pt", n.DTMFPayloadType, "direction", n.Direction)
	return nil
}

// Close detaches the stream if it is attached, closes its socket, waits for
// its receive goroutine and frees its port. Closing twice does nothing.
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
	e.mu.Unlock()
	err := s.conn.Close()
	<-s.done
	e.releasePort(s.port)
	st := s.snapshot()
	s.log.Info("stream closed", "sent", st.PacketsSent, "received", st.PacketsReceived,
		"lost", st.Lost, "late", st.Late, "concealed", st.Concealed, "jitter_ms", st.JitterMs,
		"wrong_payload_type", s.rx.wrongPT, "malformed", s.rx.malformed)
	if err != nil {
		return fmt.Errorf("mediapath: close stream: %w", err)
	}
	return nil
}

// resetJitter empties the jitter buffer, keeping its counts. Called with
// s.mu held.
func (s *Stream) resetJitter() {
	js := s.jb.Stats()
	s.stats.Lost += js.Lost
	s.stats.Late += js.Late
	s.stats.Duplicates += js.Duplicates
	s.jb.Reset()
}

// snapshot copies the counters, with the jitter buffer's.
func (s *Stream) snapshot() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	js := s.jb.Stats()
	st.Lost += js.Lost
	st.Late += js.Late
	st.Duplicates += js.Duplicates
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
