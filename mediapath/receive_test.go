package mediapath

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/pion/rtp"

	"handset/hal"
	"handset/hal/haltest"
	"handset/hal/sim"
	"handset/mediapath/rfc4733"
)

// received drains every open stream, as the pump does once a period, until
// cond holds or 10 s pass.
func (r *rig) received(t testing.TB, what string, cond func() bool) {
	t.Helper()
	waitFor(t, what, func() bool {
		r.e.receiveAll()
		return cond()
	})
}

func eventPayload(t *testing.T, code uint8, end bool, dur uint16) []byte {
	t.Helper()
	b := make([]byte, rfc4733.Size)
	if _, err := (rfc4733.Event{Code: code, End: end, Volume: 10, Duration: dur}).MarshalTo(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReceive feeds a stream voice, DTMF events and junk, and checks what
// is reported, counted and played.
func TestReceive(t *testing.T) {
	keys := make(chan hal.Key, 8)
	r := newRig(t, func(c *Config) { c.OnDTMF = func(k hal.Key) { keys <- k } })
	r.step(t, 1) // attach
	voice := make([]byte, 160)
	for i := range voice {
		voice[i] = 0xFF // µ-law silence
	}
	seq := uint16(100)
	send := func(pt uint8, marker bool, ts uint32, ssrc uint32, payload []byte) {
		r.peer.sendRTP(t, r.s, rtp.Header{PayloadType: pt, Marker: marker, SequenceNumber: seq, Timestamp: ts, SSRC: ssrc}, payload)
		seq++
	}
	for i := 0; i < 3; i++ {
		send(0, i == 0, uint32(8000+160*i), 7, voice)
	}
	// Key 7: four growing packets and three end packets, one timestamp.
	for i := 0; i < 7; i++ {
		send(101, i == 0, 8480, 7, eventPayload(t, 7, i >= 4, uint16(160*min(i+1, 5))))
	}
	send(8, false, 9600, 7, voice)                                                       // a payload type not negotiated
	r.peer.send(t, r.s, []byte{0x80, 0x00})                                              // too short for RTP
	r.peer.send(t, r.s, append([]byte{0x40, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 7}, voice...)) // RTP version 1
	send(101, true, 9760, 7, eventPayload(t, 11, true, 800))                             // '#' with only its end
	send(101, false, 9920, 7, []byte{1, 2})                                              // a truncated event
	for i := 0; i < 3; i++ {
		send(0, false, uint32(10080+160*i), 7, voice)
	}
	const accepted = 3 + 7 + 1 + 3
	r.received(t, "the packets", func() bool { return r.e.Stats().PacketsReceived == accepted })
	for _, want := range []hal.Key{'7', '#'} {
		select {
		case k := <-keys:
			if k != want {
				t.Fatalf("OnDTMF %q, want %q", k, want)
			}
		default:
			t.Fatalf("no OnDTMF for %q", want)
		}
	}
	select {
	case k := <-keys:
		t.Fatalf("extra OnDTMF %q", k)
	default:
	}
	r.s.mu.Lock()
	wrongPT, malformed := r.s.rx.wrongPT, r.s.rx.malformed
	r.s.mu.Unlock()
	if wrongPT != 1 || malformed != 3 {
		t.Errorf("wrong payload type %d (want 1), malformed %d (want 3)", wrongPT, malformed)
	}
	// Playout: the event packets hold their places as silent periods,
	// so only the sequence numbers of the dropped packets count as lost.
	r.step(t, accepted+3)
	st := r.e.Stats()
	if st.DTMFReceived != 2 || st.Lost != 2 {
		t.Errorf("stats %+v; want 2 DTMF received, 2 lost", st)
	}
}

// TestReceiveNewSSRC restarts the far end's stream with a new SSRC and
// sequence: the jitter buffer follows at once.
func TestReceiveNewSSRC(t *testing.T) {
	r := newRig(t, nil)
	r.step(t, 1)
	payload := make([]byte, 160)
	for i := 0; i < 4; i++ {
		r.peer.sendRTP(t, r.s, rtp.Header{PayloadType: 0, SequenceNumber: uint16(1000 + i), Timestamp: uint32(160 * i), SSRC: 1}, payload)
	}
	for i := 0; i < 2; i++ {
		r.peer.sendRTP(t, r.s, rtp.Header{PayloadType: 0, SequenceNumber: uint16(30000 + i), Timestamp: uint32(999999 + 160*i), SSRC: 2}, payload)
	}
	r.received(t, "the packets", func() bool { return r.e.Stats().PacketsReceived == 6 })
	r.s.mu.Lock()
	ssrc, held, fresh := r.s.rx.ssrc, r.s.jb.Stats().Received, r.s.rx.newSource
	r.s.mu.Unlock()
	if ssrc != 2 || held != 2 || !fresh {
		t.Fatalf("following SSRC %d with %d packets held (new source %v); want SSRC 2 with 2", ssrc, held, fresh)
	}
}

// TestSeqStats counts expected and lost packets as RFC 3550 A.3 does,
// across a wrap, with reordering at the start and a restart.
func TestSeqStats(t *testing.T) {
	var q seqStats
	for _, s := range []uint16{65533, 65532, 65534, 0, 3, 4, 2} { // 1 and 65535 lost
		q.update(s)
	}
	fraction, lost, highest := q.report()
	if lost != 2 || highest != 1<<16+4 || fraction != 2*256/9 {
		t.Errorf("report: fraction %d, lost %d, highest %#x", fraction, lost, highest)
	}
	for _, s := range []uint16{5, 6, 7} {
		q.update(s)
	}
	if fraction, lost, _ = q.report(); fraction != 0 || lost != 2 {
		t.Errorf("second report: fraction %d, lost %d", fraction, lost)
	}
	q.update(40000) // the source restarted
	if _, lost, highest = q.report(); lost != 0 || highest != 40000 {
		t.Errorf("after a restart: lost %d, highest %d", lost, highest)
	}
}

// rtpBytes marshals an RTP packet (version 2).
func rtpBytes(t testing.TB, pt uint8, seq uint16, ts uint32, payload []byte) []byte {
	t.Helper()
	b, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: seq, Timestamp: ts, SSRC: 7}, Payload: payload}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// muLawSilence is a 20 ms G.711 µ-law payload.
func muLawSilence() []byte { return bytes.Repeat([]byte{0xFF}, 160) }

// TestDrain queues datagrams on a stream between two periods: the next
// period files them all, in order (keys reported in the order sent, none
// taken for late), counting the bad ones and filing the rest.
func TestDrain(t *testing.T) {
	voice := muLawSilence()
	ev := func(code uint8) []byte { return eventPayload(t, code, true, 800) }
	for _, tc := range []struct {
		name                       string
		datagrams                  func() [][]byte
		accepted, malformed, wrong uint64
		keys                       string
		highestSeq                 uint16
	}{
		{
			name: "voice and keys",
			datagrams: func() [][]byte {
				return [][]byte{
					rtpBytes(t, 0, 100, 0, voice), rtpBytes(t, 101, 101, 160, ev(1)),
					rtpBytes(t, 0, 102, 320, voice), rtpBytes(t, 101, 103, 480, ev(2)),
					rtpBytes(t, 0, 104, 640, voice), rtpBytes(t, 101, 105, 800, ev(3)),
					rtpBytes(t, 0, 106, 960, voice), rtpBytes(t, 0, 107, 1120, voice),
				}
			},
			accepted: 8, keys: "123", highestSeq: 107,
		},
		{
			name: "bad ones among them",
			datagrams: func() [][]byte {
				return [][]byte{
					rtpBytes(t, 0, 100, 0, voice),
					{0x80, 0x00}, // too short for RTP
					rtpBytes(t, 0, 101, 160, voice),
					rtpBytes(t, 0, 102, 320, make([]byte, maxPacket)),                    // too long
					rtpBytes(t, 8, 103, 480, voice),                                      // a payload type not negotiated
					append([]byte{0x40, 0, 0, 104, 0, 0, 2, 0x80, 0, 0, 0, 7}, voice...), // RTP version 1
					rtpBytes(t, 0, 105, 800, voice),
					rtpBytes(t, 101, 106, 960, []byte{1, 2}), // a truncated event
					rtpBytes(t, 101, 107, 1120, ev(11)),
				}
			},
			accepted: 4, malformed: 4, wrong: 1, keys: "#", highestSeq: 107,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var keys []rune
			r := newRig(t, func(c *Config) { c.OnDTMF = func(k hal.Key) { keys = append(keys, rune(k)) } })
			r.step(t, 1) // the pump takes the stream on
			dgrams := tc.datagrams()
			for _, b := range dgrams {
				r.peer.send(t, r.s, b)
			}
			handled := func() uint64 {
				r.s.mu.Lock()
				defer r.s.mu.Unlock()
				return r.s.stats.PacketsReceived + r.s.rx.malformed + r.s.rx.wrongPT
			}
			for deadline := time.Now().Add(10 * time.Second); handled() < uint64(len(dgrams)); {
				if time.Now().After(deadline) {
					t.Fatalf("%d of %d datagrams filed", handled(), len(dgrams))
				}
				r.step(t, 1)
			}
			r.s.mu.Lock()
			st, js := r.s.stats, r.s.jb.Stats()
			malformed, wrong, highest := r.s.rx.malformed, r.s.rx.wrongPT, r.s.rx.seq.max
			r.s.mu.Unlock()
			if st.PacketsReceived != tc.accepted || malformed != tc.malformed || wrong != tc.wrong {
				t.Errorf("accepted %d, malformed %d, wrong payload type %d; want %d, %d, %d",
					st.PacketsReceived, malformed, wrong, tc.accepted, tc.malformed, tc.wrong)
			}
			if string(keys) != tc.keys || st.DTMFReceived != uint64(len(tc.keys)) {
				t.Errorf("keys %q (%d counted), want %q", string(keys), st.DTMFReceived, tc.keys)
			}
			if highest != tc.highestSeq || js.Late != 0 || js.Duplicates != 0 {
				t.Errorf("highest sequence %d (want %d), %d late, %d duplicates", highest, tc.highestSeq, js.Late, js.Duplicates)
			}
		})
	}
}

// TestArrival converts the time a datagram waited in its socket to its
// arrival on the engine's (here fake) clock.
func TestArrival(t *testing.T) {
	now := haltest.NewClock(time.Unix(5000, 0)).Now()
	for _, tc := range []struct {
		name string
		age  time.Duration
		want time.Time
	}{
		{"no stamp", 0, now},
		{"a period ago", 20 * time.Millisecond, now.Add(-20 * time.Millisecond)},
		{"137 µs ago", 137 * time.Microsecond, now.Add(-137 * time.Microsecond)},
		{"in the future: wall clock stepped back", -3 * time.Second, now},
		{"an hour ago: wall clock stepped forward", time.Hour, now.Add(-maxAge)},
	} {
		if got := arrival(now, tc.age); !got.Equal(tc.want) {
			t.Errorf("%s: arrival %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestCloseWhileDraining closes stream B from the OnDTMF callback of
// stream A, which the drain reaches first: the drain must then leave B's
// socket alone. A stream C opened in the same callback most likely takes
// the descriptor number B had; its packet must reach C, not be read as
// B's.
func TestCloseWhileDraining(t *testing.T) {
	var r *rig
	var b, c *Stream
	var bFiled uint64
	r = newRig(t, func(cfg *Config) {
		cfg.OnDTMF = func(hal.Key) {
			if c != nil {
				return
			}
			if err := b.Close(); err != nil {
				t.Error(err)
			}
			bFiled = b.snapshot().PacketsReceived
			var err error
			if c, err = r.e.NewStream(); err != nil {
				t.Error(err)
				return
			}
			negotiate(t, c, r.peer.addr())
			r.peer.sendRTP(t, c, rtp.Header{PayloadType: 0, SequenceNumber: 1, Timestamp: 0, SSRC: 3}, muLawSilence())
		}
	})
	t.Cleanup(func() {
		if c != nil {
			c.Close()
		}
	})
	r.step(t, 1)
	var err error
	if b, err = r.e.NewStream(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	negotiate(t, b, r.peer.addr())
	for i := range 3 {
		r.peer.sendRTP(t, b, rtp.Header{PayloadType: 0, SequenceNumber: uint16(i), Timestamp: uint32(160 * i), SSRC: 2}, muLawSilence())
	}
	r.peer.sendRTP(t, r.s, rtp.Header{PayloadType: 101, SequenceNumber: 1, Timestamp: 0, SSRC: 1}, eventPayload(t, 5, true, 800))
	r.received(t, "C's packet", func() bool { return c != nil && c.snapshot().PacketsReceived == 1 })
	if got := b.snapshot().PacketsReceived; got != bFiled {
		t.Errorf("B filed %d packets after its Close (%d before)", got-bFiled, bFiled)
	}
	r.e.mu.Lock()
	open := slices.Clone(r.e.streams)
	r.e.mu.Unlock()
	if !slices.Equal(open, []*Stream{r.s, c}) {
		t.Errorf("open streams %p, want A %p and C %p", open, r.s, c)
	}
}

// TestCloseRace opens and closes streams, each sent a few packets, while
// the pump drains; run with -race.
func TestCloseRace(t *testing.T) {
	r := newRig(t, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 50 {
			s, err := r.e.NewStream()
			if err != nil {
				t.Error(err)
				return
			}
			negotiate(t, s, r.peer.addr())
			for j := range 5 {
				if _, err := r.peer.conn.WriteToUDPAddrPort(rtpBytes(t, 0, uint16(j), uint32(160*j), muLawSilence()),
					netip.AddrPortFrom(loopback, uint16(s.LocalPort()))); err != nil {
					t.Error(err)
				}
			}
			if i%2 == 0 {
				time.Sleep(time.Millisecond)
			}
			if err := s.Close(); err != nil {
				t.Error(err)
			}
		}
	}()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		r.e.receiveAll()
	}
	r.e.mu.Lock()
	n := len(r.e.streams)
	r.e.mu.Unlock()
	if n != 1 {
		t.Errorf("%d streams open, want 1", n)
	}
}

// TestUnattachedDTMF: a stream that is not attached (early media, a call
// waiting) is drained too, with a card or on the silent stand-in while
// the card is away, and its DTMF reported.
func TestUnattachedDTMF(t *testing.T) {
	for _, tc := range []struct {
		name          string
		unplug        bool
		attachAnother bool
	}{
		{"another attached", false, true},
		{"nothing attached, card away", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := hal.SystemClock{}
			card := sim.NewSoundCard(sim.SoundConfig{Realtime: true}, clk)
			if tc.unplug {
				card.Unplug()
			}
			keys := make(chan hal.Key, 4)
			e, _ := testEngine(t, card, clk, func(c *Config) { c.OnDTMF = func(k hal.Key) { keys <- k } })
			peer := newPeer(t)
			if tc.attachAnother {
				a, err := e.NewStream()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { a.Close() })
				negotiate(t, a, peer.addr())
				if err := e.Attach(a); err != nil {
					t.Fatal(err)
				}
			}
			s, err := e.NewStream()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			negotiate(t, s, peer.addr())
			run(t, e)
			for i := range 3 {
				peer.sendRTP(t, s, rtp.Header{PayloadType: 101, Marker: i == 0, SequenceNumber: uint16(i), Timestamp: 800, SSRC: 4}, eventPayload(t, 9, i == 2, 800))
			}
			select {
			case k := <-keys:
				if k != '9' {
					t.Errorf("key %q, want '9'", k)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no key in 10 s")
			}
			waitFor(t, "all three packets", func() bool { return s.snapshot().PacketsReceived == 3 })
			if st := s.snapshot(); st.DTMFReceived != 1 {
				t.Errorf("stats %+v; want 1 DTMF in 3 packets", st)
			}
		})
	}
}

// TestDrainAllocs: filing what arrives allocates nothing, for the attached
// stream and another, with voice, DTMF events and malformed datagrams.
func TestDrainAllocs(t *testing.T) {
	r := newRig(t, nil)
	b, err := r.e.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	negotiate(t, b, r.peer.addr())
	voice := rtpBytes(t, 0, 0, 0, muLawSilence())
	event := rtpBytes(t, 101, 0, 0, eventPayload(t, 4, true, 800))
	junk := []byte{0x80, 0x00}
	toA := netip.AddrPortFrom(loopback, uint16(r.s.LocalPort()))
	toB := netip.AddrPortFrom(loopback, uint16(b.LocalPort()))
	send := func(pkt []byte, to netip.AddrPort) {
		if _, err := r.peer.conn.WriteToUDPAddrPort(pkt, to); err != nil {
			t.Fatal(err)
		}
	}
	i := 0
	period := func() {
		i++
		binary.BigEndian.PutUint16(voice[2:], uint16(2*i))
		binary.BigEndian.PutUint32(voice[4:], uint32(320*i))
		send(voice, toA)
		send(voice, toB)
		if i%10 == 0 {
			binary.BigEndian.PutUint16(event[2:], uint16(2*i+1))
			binary.BigEndian.PutUint32(event[4:], uint32(320*i+160))
			send(event, toB)
			send(junk, toA)
		}
		// A card's Read waits here; so does this, which also lets the
		// reader goroutine of rawudp_other.go run.
		time.Sleep(200 * time.Microsecond)
		r.step(t, 1)
	}
	for range 50 {
		period()
	}
	if n := testing.AllocsPerRun(200, period); n != 0 {
		t.Errorf("%v allocations per period", n)
	}
	r.e.receiveAll()
	sa, sb := r.s.snapshot(), b.snapshot()
	r.s.mu.Lock()
	malformed := r.s.rx.malformed
	r.s.mu.Unlock()
	if sa.PacketsReceived < 200 || sb.PacketsReceived < 200 || sb.DTMFReceived < 20 || malformed < 20 {
		t.Errorf("A received %d (%d malformed), B %d with %d keys", sa.PacketsReceived, malformed, sb.PacketsReceived, sb.DTMFReceived)
	}
}
