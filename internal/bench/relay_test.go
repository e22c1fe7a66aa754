package bench

import (
	"encoding/binary"
	"net"
	"net/netip"
	"testing"
	"time"

	"handset/hal"
)

// TestRelayDelays sends RTP packets 5 ms apart through relays with and
// without jitter: all arrive; the jittery one spreads their delays over
// [0, 30 ms) and reorders some; the record matches what arrived.
func TestRelayDelays(t *testing.T) {
	for _, jitter := range []time.Duration{0, 30 * time.Millisecond} {
		r, err := NewRelay(jitter, 1, hal.SystemClock{})
		if err != nil {
			t.Fatal(err)
		}
		dst, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		r.SetDest(dst.LocalAddr().(*net.UDPAddr).AddrPort())
		src, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(r.Addr()))
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		const n = 40
		sent := make([]time.Time, n)
		for i := range n {
			pkt := make([]byte, 20)
			pkt[0] = 0x80
			binary.BigEndian.PutUint16(pkt[2:], uint16(i))
			sent[i] = time.Now()
			if _, err := src.Write(pkt); err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond)
		}
		dst.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 100)
		reordered := 0
		last := -1
		for range n {
			m, err := dst.Read(buf)
			if err != nil || m != 20 {
				t.Fatalf("jitter %v: read %d, %v", jitter, m, err)
			}
			seq := int(binary.BigEndian.Uint16(buf[2:]))
			if seq < last {
				reordered++
			}
			last = max(last, seq)
		}
		out := r.Close()
		if len(out) != n {
			t.Fatalf("jitter %v: recorded %d forwards, want %d", jitter, len(out), n)
		}
		var most time.Duration
		for _, f := range out {
			if !f.RTP {
				t.Fatalf("an RTP packet recorded as not RTP: %+v", f)
			}
			most = max(most, f.At.Sub(sent[f.Seq]))
		}
		if jitter == 0 && (reordered != 0 || most > 500*time.Millisecond) {
			t.Errorf("no jitter: %d reordered, largest delay %v", reordered, most)
		}
		if jitter > 0 && (reordered == 0 || most < jitter/2) {
			t.Errorf("jitter %v: %d reordered, largest delay %v", jitter, reordered, most)
		}
	}
}
