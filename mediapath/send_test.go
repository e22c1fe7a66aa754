package mediapath

import (
	"testing"
	"time"

	"github.com/pion/rtp"

	"handset/hal/haltest"
	"handset/hal/sim"
	"handset/mediapath/cn"
	"handset/mediapath/rfc4733"
)

// TestComfortNoiseSent: with CN negotiated, a silent mouthpiece goes out
// as one CN packet at the start of silence and one a second after, and
// the talkspurt after it starts with the marker; the RTP clock runs on
// through the silence. Without CN from the far end, silence goes out as
// voice.
func TestComfortNoiseSent(t *testing.T) {
	mic := &burstSource{tone: sim.NewToneSource(8000, 1000, 0.3), frame: 160, on: 5, off: 70}
	r := newRigWith(t, rigOpts{cnPT: 13, card: sim.SoundConfig{Mic: mic}})
	r.step(t, 5+70+1)
	var got []rtp.Packet
	for range 15 + 2 + 1 {
		got = append(got, r.peer.read(t))
	}
	first := got[0]
	for i, p := range got {
		var wantPT uint8
		var wantTS uint32
		switch {
		case i < 15: // talk, then 200 ms of hangover
			wantTS = first.Timestamp + uint32(160*i)
		case i == 15: // silence
			wantPT, wantTS = 13, first.Timestamp+160*15
		case i == 16: // a second later
			wantPT, wantTS = 13, first.Timestamp+160*65
		case i == 17: // talking again
			wantTS = first.Timestamp + 160*75
		}
		if p.PayloadType != wantPT || p.Timestamp != wantTS || p.SequenceNumber != first.SequenceNumber+uint16(i) ||
			p.Marker != (i == 0 || i == 17) {
			t.Errorf("packet %d: %+v, want PT %d at ts %d", i, p.Header, wantPT, wantTS)
		}
		if wantPT == 13 {
			if level, err := cn.Unmarshal(p.Payload); err != nil || level != cn.Silent {
				t.Errorf("packet %d: CN level %d, %v; want %d (digital silence)", i, level, err, cn.Silent)
			}
		}
	}
	if st := r.e.Stats(); st.CNSent != 2 || st.PacketsSent != 18 {
		t.Errorf("stats %+v", st)
	}

	// The far end took no CN: silence is voice like any other.
	mic = &burstSource{tone: sim.NewToneSource(8000, 1000, 0.3), frame: 160, on: 1, off: 20}
	r = newRigWith(t, rigOpts{card: sim.SoundConfig{Mic: mic}, edit: func(c *Config) { c.ComfortNoise = true }})
	r.step(t, 20)
	for i := range 20 {
		if p := r.peer.read(t); p.PayloadType != 0 {
			t.Fatalf("packet %d: PT %d without CN negotiated", i, p.PayloadType)
		}
	}
}

// TestComfortNoisePlayed: CN from the far end plays as noise at its level
// through the silence after it, until voice comes back. The far end sends
// in time, on a fake clock.
func TestComfortNoisePlayed(t *testing.T) {
	clk := haltest.NewClock(time.Unix(1000, 0))
	r := newRigWith(t, rigOpts{cnPT: 13, clk: clk, card: sim.SoundConfig{Mic: sim.Silence{}}})
	voice := make([]byte, 160)
	for i := range voice {
		voice[i] = 0xFF
	}
	sent := uint64(0)
	send := func(seq uint16, ts uint32, pt uint8, payload []byte) {
		r.peer.sendRTP(t, r.s, rtp.Header{PayloadType: pt, SequenceNumber: seq, Timestamp: ts, SSRC: 5}, payload)
		sent++
		r.received(t, "the packet", func() bool { return r.e.Stats().PacketsReceived == sent })
	}
	for i := range 45 {
		switch i {
		case 1:
			send(1, 0, 0, voice)
		case 2:
			send(2, 160, 13, []byte{40}) // -40 dBov
		case 41:
			send(3, 160*40, 0, voice) // 780 ms later, voice again
		}
		r.step(t, 1)
		clk.Advance(period)
	}
	samples, _ := r.card.recording(t)
	// From period 10 to 40 (after the start delay and the CN packet) the
	// earpiece plays noise at -40 dBov: an RMS of 328.
	if l := cn.LevelOf(samples[160*10 : 160*40]); l < 39 || l > 41 {
		t.Errorf("comfort noise at -%d dBov, want -40", l)
	}
	st := r.e.Stats()
	if st.ComfortNoise < 30 || st.Lost != 0 || st.Concealed != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestDTMFWideband checks the events sent during a G.722 call: the RTP
// clock is 8 kHz, so 100 ms lasts 800 units, growing by 160 a packet, and
// the end goes out three times.
func TestDTMFWideband(t *testing.T) {
	r := newRigWith(t, rigOpts{codec: "G722", card: sim.SoundConfig{Rates: []int{16000}}})
	r.step(t, 1)
	voice := r.peer.read(t)
	if voice.PayloadType != 9 || len(voice.Payload) != 160 {
		t.Fatalf("voice %+v, %d bytes", voice.Header, len(voice.Payload))
	}
	r.e.SendDTMF('#')
	r.step(t, 8)
	var durations []uint16
	var ends int
	for i := range 7 {
		p := r.peer.read(t)
		var ev rfc4733.Event
		if err := ev.Unmarshal(p.Payload); err != nil || p.PayloadType != 101 || p.Timestamp != voice.Timestamp+160 || p.Marker != (i == 0) {
			t.Fatalf("event packet %d: %+v %v", i, p.Header, err)
		}
		if ev.Code != 11 {
			t.Fatalf("event %d", ev.Code)
		}
		durations = append(durations, ev.Duration)
		if ev.End {
			ends++
		}
	}
	if want := []uint16{160, 320, 480, 640, 800, 800, 800}; ends != 3 || !equal(durations, want) {
		t.Errorf("durations %v with %d ends, want %v with 3", durations, ends, want)
	}
	if p := r.peer.read(t); p.PayloadType != 9 || p.Timestamp != voice.Timestamp+8*160 {
		t.Errorf("after the event: %+v", p.Header)
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
