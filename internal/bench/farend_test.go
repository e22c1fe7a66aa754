package bench

import (
	"encoding/binary"
	"net"
	"net/netip"
	"testing"
	"time"

	"handset/hal"
)

// TestFarEndSendsClicks: once a packet from the phone arrives, the far end
// sends a packet every 20 ms through the relay to where it came from,
// a click in every second one.
func TestFarEndSendsClicks(t *testing.T) {
	relay, err := NewRelay(0, 1, hal.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := StartFarEnd(FarEndConfig{Codec: "G722", Phase: 5 * time.Millisecond, Via: relay, ClickEvery: 2, Clock: hal.SystemClock{}})
	if err != nil {
		relay.Close()
		t.Fatal(err)
	}
	if f.Addr().Port()%2 != 0 {
		t.Errorf("far end on odd port %v", f.Addr())
	}
	phone, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	defer phone.Close()
	first := make([]byte, 172)
	first[0] = 0x80
	start := time.Now()
	if _, err := phone.WriteToUDPAddrPort(first, f.Addr()); err != nil {
		t.Fatal(err)
	}
	phone.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 1500)
	var seqs []uint16
	for range 6 {
		n, err := phone.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		if n != 12+160 || buf[1]&0x7f != 9 {
			t.Fatalf("got %d bytes of payload type %d, want G.722's 160 bytes of type 9", n, buf[1]&0x7f)
		}
		seqs = append(seqs, binary.BigEndian.Uint16(buf[2:]))
	}
	elapsed := time.Since(start)
	clicks, err := f.Stop()
	relay.Close()
	if err != nil {
		t.Fatal(err)
	}
	if elapsed < 5*ptime {
		t.Errorf("6 packets in %v: faster than every 20 ms", elapsed)
	}
	for i, s := range seqs {
		if s != seqs[0]+uint16(i) {
			t.Fatalf("sequence numbers %v", seqs)
		}
	}
	if len(clicks) < 3 || clicks[0] != seqs[0] || clicks[1] != seqs[2] || clicks[2] != seqs[4] {
		t.Errorf("clicks in %v of %v, want every second one from the first", clicks, seqs)
	}
}
