package bench

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/pion/rtp"

	"handset/hal"
	"handset/mediapath/codec"
)

// ptime is the packet time of every stream the bench sends: 20 ms.
const ptime = 20 * time.Millisecond

// FarEndConfig describes the far end of a latency call.
type FarEndConfig struct {
	// Codec is "PCMU", "PCMA" or "G722", sent with its static payload
	// type.
	Codec string
	// Phase is how long after the phone's first packet reaches the far
	// end it sends its own first; then one every 20 ms on its own clock.
	Phase time.Duration
	// Via is the relay its packets go through; its destination is set to
	// where the phone's packets come from.
	Via *Relay
	// ClickEvery makes every ClickEvery-th packet start with a click.
	ClickEvery int
	// Clock paces the far end.
	Clock hal.Clock
}

// FarEnd is the far end of a call's RTP for the latency measurement: it
// takes the phone's packets (the wire capture times and decodes them)
// and sends back a stream of silence with a click every so often.
type FarEnd struct {
	cfg   FarEndConfig
	c     codec.Codec
	conn  *net.UDPConn
	rtcp  *net.UDPConn
	start chan time.Time // the arrival of the phone's first packet
	stop  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup

	mu     sync.Mutex
	clicks []uint16 // sequence numbers of the packets with a click
	err    error
}

// StartFarEnd binds an even loopback port for RTP and the one above it
// for RTCP (which it ignores) and starts the far end.
func StartFarEnd(cfg FarEndConfig) (*FarEnd, error) {
	c, ok := codec.ByName(cfg.Codec)
	if !ok {
		return nil, fmt.Errorf("bench: far end: unknown codec %q", cfg.Codec)
	}
	if cfg.Via == nil || cfg.ClickEvery < 1 || cfg.Clock == nil {
		return nil, errors.New("bench: far end: needs a relay, a clock and ClickEvery ≥ 1")
	}
	f := &FarEnd{cfg: cfg, c: c, start: make(chan time.Time, 1), stop: make(chan struct{})}
	var err error
	if f.conn, f.rtcp, err = bindPair(); err != nil {
		return nil, fmt.Errorf("bench: far end: %w", err)
	}
	f.wg.Add(3)
	go f.receive()
	go f.drain()
	go f.send()
	return f, nil
}

// bindPair binds an even port and the odd one above it on 127.0.0.1.
func bindPair() (rtpConn, rtcpConn *net.UDPConn, err error) {
	for range 50 {
		c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
		if err != nil {
			return nil, nil, err
		}
		port := c.LocalAddr().(*net.UDPAddr).Port
		if port%2 == 0 && port < 65535 {
			up, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port + 1})
			if err == nil {
				return c, up, nil
			}
		}
		c.Close()
	}
	return nil, nil, errors.New("no even/odd port pair free on loopback")
}

// Addr is the far end's RTP address, for its SDP.
func (f *FarEnd) Addr() netip.AddrPort { return f.conn.LocalAddr().(*net.UDPAddr).AddrPort() }

func (f *FarEnd) receive() {
	defer f.wg.Done()
	buf := make([]byte, 2048)
	first := true
	for {
		n, from, err := f.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		if first && IsRTP(buf[:n]) {
			first = false
			f.cfg.Via.SetDest(from)
			f.start <- f.cfg.Clock.Now()
		}
	}
}

func (f *FarEnd) drain() {
	defer f.wg.Done()
	buf := make([]byte, 2048)
	for {
		if _, _, err := f.rtcp.ReadFromUDPAddrPort(buf); err != nil {
			return
		}
	}
}

// send paces the far end's stream on a schedule from the phone's first
// packet, so its phase against the phone's card stays put.
func (f *FarEnd) send() {
	defer f.wg.Done()
	var t0 time.Time
	select {
	case t0 = <-f.start:
	case <-f.stop:
		return
	}
	out, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(f.cfg.Via.Addr()))
	if err != nil {
		f.fail(err)
		return
	}
	defer out.Close()
	rate := f.c.SampleRate()
	frame := make([]int16, rate/50)
	click := make([]int16, rate/50)
	AddClick(click, 0, rate)
	payload := make([]byte, 1500)
	wire := make([]byte, 1500)
	pkt := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: f.c.PayloadType(), SequenceNumber: 1000, Timestamp: 80000, SSRC: 0x0b0e0c4}}
	clk := f.cfg.Clock
	timer := clk.NewTimer(time.Hour)
	defer timer.Stop()
	for k := 0; ; k++ {
		timer.Reset(t0.Add(f.cfg.Phase + time.Duration(k)*ptime).Sub(clk.Now()))
		select {
		case <-timer.C():
		case <-f.stop:
			return
		}
		src := frame
		if k%f.cfg.ClickEvery == 0 {
			src = click
			f.mu.Lock()
			f.clicks = append(f.clicks, pkt.SequenceNumber)
			f.mu.Unlock()
		}
		pkt.Payload = payload[:f.c.Encode(payload, src)]
		pkt.Marker = k == 0
		n, err := pkt.MarshalTo(wire)
		if err == nil {
			_, err = out.Write(wire[:n])
		}
		if err != nil {
			f.fail(err)
			return
		}
		pkt.SequenceNumber++
		pkt.Timestamp += 160 // 20 ms of the 8 kHz RTP clock, for G.722 too
	}
}

func (f *FarEnd) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = fmt.Errorf("bench: far end: %w", err)
	}
}

// Stop ends the far end and returns the sequence numbers of the packets
// that carried a click, and the first error it met. Stopping again
// returns the same.
func (f *FarEnd) Stop() ([]uint16, error) {
	f.once.Do(func() {
		close(f.stop)
		f.conn.Close()
		f.rtcp.Close()
		f.wg.Wait()
	})
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clicks, f.err
}
