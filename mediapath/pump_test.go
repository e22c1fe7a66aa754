package mediapath

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/pion/rtp"

	"handset/hal"
	"handset/hal/sim"
	"handset/mediapath/codec"
	"handset/mediapath/detect"
	"handset/mediapath/rfc4733"
	"handset/mediapath/sdpneg"
)

// peer is the far end of a call: a loopback UDP socket.
type peer struct {
	conn *net.UDPConn
	buf  []byte
}

func newPeer(t testing.TB) *peer {
	t.Helper()
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 0)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &peer{conn: c, buf: make([]byte, 2048)}
}

func (p *peer) addr() netip.AddrPort { return p.conn.LocalAddr().(*net.UDPAddr).AddrPort() }

// read returns the next packet the peer got, waiting up to 5 s.
func (p *peer) read(t testing.TB) rtp.Packet {
	t.Helper()
	p.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, err := p.conn.ReadFromUDPAddrPort(p.buf)
	if err != nil {
		t.Fatalf("peer read: %v", err)
	}
	var pkt rtp.Packet
	if err := pkt.Unmarshal(append([]byte(nil), p.buf[:n]...)); err != nil {
		t.Fatalf("peer got a bad packet: %v", err)
	}
	return pkt
}

// send sends raw bytes to a stream.
func (p *peer) send(t testing.TB, s *Stream, b []byte) {
	t.Helper()
	if _, err := p.conn.WriteToUDPAddrPort(b, netip.AddrPortFrom(loopback, uint16(s.LocalPort()))); err != nil {
		t.Fatal(err)
	}
}

func (p *peer) sendRTP(t testing.TB, s *Stream, h rtp.Header, payload []byte) {
	t.Helper()
	h.Version = 2
	b, err := (&rtp.Packet{Header: h, Payload: payload}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	p.send(t, s, b)
}

// negotiate stands in for an offer/answer with remote: PCMU, DTMF on 101.
func negotiate(t testing.TB, s *Stream, remote netip.AddrPort) {
	t.Helper()
	negotiateCodec(t, s, remote, "PCMU", 0)
}

// negotiateCodec stands in for an offer/answer with remote on codec, DTMF
// on 101 and CN on cnPT (0: none).
func negotiateCodec(t testing.TB, s *Stream, remote netip.AddrPort, name string, cnPT uint8) {
	t.Helper()
	c, ok := codec.ByName(name)
	if !ok {
		t.Fatalf("no codec %s", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.setNegotiated(sdpneg.Negotiated{
		Codec: c.Name(), PayloadType: c.PayloadType(), ClockRate: c.ClockRate(), DTMFPayloadType: 101,
		Remote: remote, Ptime: 20, Direction: "sendrecv", CNPayloadType: cnPT,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rig is an engine with its pump driven by hand, one period per step, on
// a non-real-time card whose mic is a 1 kHz tone, and a stream attached to
// a peer.
type rig struct {
	e    *Engine
	card *speakerCard
	pcm  hal.PCM
	p    *pump
	s    *Stream
	peer *peer
}

// rigOpts varies a rig: the codec (PCMU by default; the engine offers it
// alone, so G722 makes it a 16 kHz engine), comfort noise, the card and
// its microphone, and the engine's config.
type rigOpts struct {
	codec string
	cnPT  uint8
	card  sim.SoundConfig
	clk   hal.Clock // the system clock when nil
	edit  func(*Config)
}

func newRig(t testing.TB, edit func(*Config)) *rig {
	t.Helper()
	return newRigWith(t, rigOpts{edit: edit})
}

func newRigWith(t testing.TB, o rigOpts) *rig {
	t.Helper()
	if o.codec == "" {
		o.codec = "PCMU"
	}
	if o.card.Mic == nil {
		rate := 8000
		if len(o.card.Rates) > 0 {
			rate = o.card.Rates[0]
		}
		o.card.Mic = sim.NewToneSource(rate, 1000, 0.5)
	}
	if o.clk == nil {
		o.clk = hal.SystemClock{}
	}
	card := newSpeakerCard(t, o.card, o.clk)
	e, _ := testEngine(t, card, o.clk, func(c *Config) {
		c.Codecs = []string{o.codec}
		c.ComfortNoise = o.cnPT != 0
		if o.edit != nil {
			o.edit(c)
		}
	})
	pcm, err := e.openCard(newPump(e), hal.PCMFormat{Rate: e.rate, Channels: 1, PeriodFrames: e.frame})
	if err != nil {
		t.Fatal(err)
	}
	p := newPump(e)
	if err := p.setFormat(pcm.Format()); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r := &rig{e: e, card: card, pcm: pcm, p: p, s: s, peer: newPeer(t)}
	negotiateCodec(t, s, r.peer.addr(), o.codec, o.cnPT)
	if err := e.Attach(s); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) step(t testing.TB, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if err := r.p.step(r.pcm); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPumpSendsVoice(t *testing.T) {
	r := newRig(t, nil)
	r.step(t, 5)
	var pcm []int16
	var first rtp.Packet
	for i := 0; i < 5; i++ {
		pkt := r.peer.read(t)
		if i == 0 {
			first = pkt
		}
		switch {
		case pkt.Version != 2 || pkt.PayloadType != 0 || pkt.SSRC != first.SSRC:
			t.Fatalf("packet %d: %+v", i, pkt.Header)
		case pkt.SequenceNumber != first.SequenceNumber+uint16(i):
			t.Fatalf("packet %d: seq %d after %d", i, pkt.SequenceNumber, first.SequenceNumber)
		case pkt.Timestamp != first.Timestamp+uint32(160*i):
			t.Fatalf("packet %d: ts %d after %d", i, pkt.Timestamp, first.Timestamp)
		case pkt.Marker != (i == 0):
			t.Fatalf("packet %d: marker %v", i, pkt.Marker)
		case len(pkt.Payload) != 160:
			t.Fatalf("packet %d: %d bytes of payload", i, len(pkt.Payload))
		}
		dec := make([]int16, 160)
		codec.PCMU{}.Decode(dec, pkt.Payload)
		pcm = append(pcm, dec...)
	}
	if f := detect.Dominant(pcm, 8000, 300, 3400, 5); f < 990 || f > 1010 {
		t.Errorf("sent audio peaks at %v Hz, want 1000", f)
	}
	st := r.e.Stats()
	if st.PacketsSent != 5 || st.BytesSent != 800 || st.FirstRTPSent.IsZero() || st.Codec != "PCMU" {
		t.Errorf("stats %+v", st)
	}

	// Detached, nothing goes out; re-attached, a new talkspurt starts.
	r.e.Detach()
	r.step(t, 3)
	if err := r.e.Attach(r.s); err != nil {
		t.Fatal(err)
	}
	r.step(t, 1)
	pkt := r.peer.read(t)
	if pkt.SequenceNumber != first.SequenceNumber+5 || !pkt.Marker {
		t.Errorf("after re-attach: seq %d (want %d), marker %v", pkt.SequenceNumber, first.SequenceNumber+5, pkt.Marker)
	}
}

func TestPumpPlaysReceived(t *testing.T) {
	r := newRig(t, nil)
	r.step(t, 1) // the pump takes the stream on: what came before is dropped
	src := sim.NewToneSource(8000, 600, 0.5)
	frame, payload := make([]int16, 160), make([]byte, 160)
	const packets = 11
	for i := 0; i < packets; i++ {
		src.Fill(frame)
		codec.PCMU{}.Encode(payload, frame)
		if i == 5 {
			continue // lost on the way
		}
		r.peer.sendRTP(t, r.s, rtp.Header{PayloadType: 0, SequenceNumber: uint16(65530 + i), Timestamp: uint32(1000 + 160*i), SSRC: 42}, payload)
	}
	r.received(t, "the packets", func() bool { return r.e.Stats().PacketsReceived == packets-1 })
	r.step(t, packets+4)
	st := r.e.Stats()
	if st.Lost != 1 || st.Concealed != 1 || st.FirstRTPReceived.IsZero() || st.BytesReceived != 160*(packets-1) {
		t.Errorf("stats %+v; want 1 lost, 1 concealed", st)
	}
	// The lost packet is made up from the tone's last period: 600 Hz
	// plays on through it.
	samples, rate := r.card.recording(t)
	segs := detect.Find(samples, rate, 600, 60*time.Millisecond)
	if len(segs) != 1 || segs[0].End-segs[0].Start < 200*time.Millisecond {
		t.Fatalf("600 Hz segments %v, want one of 220 ms through the lost packet", segs)
	}
}

func TestPumpSendsDTMF(t *testing.T) {
	r := newRig(t, nil)
	r.step(t, 1)
	voice := r.peer.read(t)
	r.e.SendDTMF('5')
	r.e.SendDTMF(hal.KeyVolumeUp) // not DTMF: ignored
	r.step(t, 8)
	evTS := voice.Timestamp + 160
	var ev rfc4733.Event
	for i := 0; i < 7; i++ {
		pkt := r.peer.read(t)
		if pkt.PayloadType != 101 || pkt.Timestamp != evTS || pkt.Marker != (i == 0) || pkt.SequenceNumber != voice.SequenceNumber+1+uint16(i) {
			t.Fatalf("event packet %d: %+v", i, pkt.Header)
		}
		if err := ev.Unmarshal(pkt.Payload); err != nil {
			t.Fatal(err)
		}
		if ev.Code != 5 || ev.End != (i >= 4) {
			t.Fatalf("event packet %d: %+v", i, ev)
		}
	}
	if ev.Duration != 800 {
		t.Errorf("event lasted %d, want 800 (100 ms)", ev.Duration)
	}
	pkt := r.peer.read(t)
	if pkt.PayloadType != 0 || pkt.Timestamp != evTS+7*160 {
		t.Errorf("after the event: %+v, want voice at ts %d", pkt.Header, evTS+7*160)
	}
	if st := r.e.Stats(); st.DTMFSent != 1 {
		t.Errorf("DTMFSent %d", st.DTMFSent)
	}
	// The key was played locally too: 770 + 1336 Hz.
	samples, rate := r.card.recording(t)
	if segs := detect.Find(samples, rate, 770, 60*time.Millisecond); len(segs) != 1 {
		t.Errorf("local feedback: 770 Hz segments %v", segs)
	}
}

func TestPumpWithoutRemote(t *testing.T) {
	r := newRig(t, nil)
	r.s.mu.Lock()
	r.s.neg.Remote = netip.AddrPortFrom(netip.IPv4Unspecified(), 4000) // old-style hold
	r.s.mu.Unlock()
	r.step(t, 3)
	if st := r.e.Stats(); st.PacketsSent != 0 {
		t.Fatalf("sent %d packets to 0.0.0.0", st.PacketsSent)
	}
}

// echo sends every packet the peer gets back to the stream, until the peer
// closes.
func (p *peer) echo(s *Stream) {
	buf := make([]byte, 2048)
	to := netip.AddrPortFrom(loopback, uint16(s.LocalPort()))
	for {
		n, _, err := p.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		if _, err := p.conn.WriteToUDPAddrPort(buf[:n], to); err != nil && errors.Is(err, net.ErrClosed) {
			return
		}
	}
}

// burstSource is a microphone that talks (a tone) for on periods, then
// is silent for off periods.
type burstSource struct {
	tone       *sim.ToneSource
	frame, pos int
	on, off    int
}

func (b *burstSource) Fill(buf []int16) {
	for i := range buf {
		if (b.pos/b.frame)%(b.on+b.off) < b.on {
			b.tone.Fill(buf[i : i+1])
		} else {
			buf[i] = 0
		}
		b.pos++
	}
}

// echoRTCP sends every RTCP packet the peer's RTCP socket gets back to the
// stream's, until it closes. It allocates nothing.
func echoRTCP(c *net.UDPConn, s *Stream) {
	buf := make([]byte, 2048)
	to := netip.AddrPortFrom(loopback, uint16(s.LocalPort()+1))
	for {
		n, _, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		c.WriteToUDPAddrPort(buf[:n], to)
	}
}

// TestPumpPeriodAllocs checks that a whole period allocates nothing, for
// G.711 on an 8 kHz mono card and G.722 on a 48 kHz stereo card: capture,
// conversion, echo suppression, voice activity, encode or comfort noise,
// marshal, send, receive, jitter buffer, decode or concealment or comfort
// noise, tones, playback, DTMF now and then, RTCP reports both ways. The
// far end echoes each packet but drops every ninth; the next period's
// drain files what came back.
func TestPumpPeriodAllocs(t *testing.T) {
	for _, c := range []struct {
		codec    string
		rate, ch int
	}{{"PCMU", 8000, 1}, {"G722", 48000, 2}} {
		t.Run(c.codec, func(t *testing.T) {
			mic := &burstSource{tone: sim.NewToneSource(c.rate, 1000, 0.3), frame: c.rate / 50, on: 40, off: 40}
			r := newRigWith(t, rigOpts{
				codec: c.codec, cnPT: 13,
				card: sim.SoundConfig{Rates: []int{c.rate}, Channels: []int{c.ch}, Mic: mic},
				edit: func(cfg *Config) { cfg.EchoSuppressor = true },
			})
			rtcpPeer := r.peerRTCP(t)
			go echoRTCP(rtcpPeer, r.s)
			buf := make([]byte, 2048)
			to := netip.AddrPortFrom(loopback, uint16(r.s.LocalPort()))
			r.peer.conn.SetReadDeadline(time.Now().Add(time.Minute))
			sentCount := func() uint64 {
				r.s.mu.Lock()
				defer r.s.mu.Unlock()
				return r.s.stats.PacketsSent
			}
			i := 0
			period := func() {
				if i%20 == 0 {
					r.e.SendDTMF('1')
					r.e.PlayKeyTone('2')
				}
				if i%30 == 0 {
					r.s.rtcpAt = r.p.periods // a report this period
				}
				i++
				// A card's Read waits here; so does this, which lets the
				// RTCP goroutines run (AllocsPerRun runs on one thread).
				time.Sleep(200 * time.Microsecond)
				sent := sentCount()
				if err := r.p.step(r.pcm); err != nil {
					t.Fatal(err)
				}
				if sentCount() == sent {
					return // silence: nothing went out
				}
				n, _, err := r.peer.conn.ReadFromUDPAddrPort(buf)
				if err != nil {
					t.Fatal(err)
				}
				if i%9 == 0 {
					return // lost on the way back
				}
				if _, err := r.peer.conn.WriteToUDPAddrPort(buf[:n], to); err != nil {
					t.Fatal(err)
				}
			}
			for range 100 { // warm up: the jitter buffer fills, the recording buffer grows
				period()
			}
			if n := testing.AllocsPerRun(400, period); n != 0 {
				t.Errorf("%v allocations per period", n)
			}
			st := r.e.Stats()
			if st.PacketsReceived == 0 || st.DTMFReceived == 0 || st.Concealed == 0 || st.CNSent == 0 || st.ComfortNoise == 0 ||
				st.RTCPSent == 0 || st.RTCPReceived == 0 || st.EchoSuppressed == 0 {
				t.Errorf("not every path ran: %+v", st)
			}
		})
	}
}

// peerRTCP binds the peer's RTCP socket, the port above its RTP port, or
// skips the test when that port is taken.
func (r *rig) peerRTCP(t testing.TB) *net.UDPConn {
	t.Helper()
	a := r.peer.addr()
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, a.Port()+1)))
	if err != nil {
		t.Skipf("the port above the peer's is taken: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// BenchmarkPumpPeriod runs whole periods against a far end that echoes
// every packet: G.711 on an 8 kHz mono card (no resampling), G.711 and
// G.722 on a 48 kHz stereo card (the USB-card case), and G.722 with echo
// suppression and comfort noise on.
func BenchmarkPumpPeriod(b *testing.B) {
	for _, c := range []struct {
		name     string
		codec    string
		rate, ch int
		extras   bool
	}{
		{"G711-8k-mono", "PCMU", 8000, 1, false},
		{"G711-48k-stereo", "PCMU", 48000, 2, false},
		{"G722-16k-mono", "G722", 16000, 1, false},
		{"G722-48k-stereo", "G722", 48000, 2, false},
		{"G722-48k-stereo-echo-cn", "G722", 48000, 2, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			o := rigOpts{codec: c.codec, card: sim.SoundConfig{Rates: []int{c.rate}, Channels: []int{c.ch}}}
			if c.extras {
				o.cnPT = 13
				o.edit = func(cfg *Config) { cfg.EchoSuppressor = true }
			}
			r := newRigWith(b, o)
			go r.peer.echo(r.s)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := r.p.step(r.pcm); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
