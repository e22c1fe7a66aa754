package mediapath

import (
	"testing"

	"github.com/pion/rtp"

	"handset/hal"
	"handset/mediapath/rfc4733"
)

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
	waitFor(t, "the packets", func() bool { return r.e.Stats().PacketsReceived == accepted })
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
	waitFor(t, "the packets", func() bool { return r.e.Stats().PacketsReceived == 6 })
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
