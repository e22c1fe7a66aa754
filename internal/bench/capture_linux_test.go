package bench

import (
	"errors"
	"net"
	"testing"
	"time"

	"handset/hal"
)

func TestCaptureSeesLoopbackOnce(t *testing.T) {
	c, err := StartCapture(hal.SystemClock{})
	if errors.Is(err, ErrCapture) {
		t.Skipf("no capture here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	a, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	before := time.Now()
	for i := 0; i < 3; i++ {
		if _, err := a.WriteToUDP([]byte{byte(i), 'x'}, b.LocalAddr().(*net.UDPAddr)); err != nil {
			t.Fatal(err)
		}
	}
	src, dst := a.LocalAddr().(*net.UDPAddr).AddrPort(), b.LocalAddr().(*net.UDPAddr).AddrPort()
	var seen []byte
	for deadline := time.Now().Add(5 * time.Second); len(seen) < 3 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		seen = seen[:0]
		for _, p := range c.Snapshot() {
			if p.Src == src && p.Dst == dst {
				seen = append(seen, p.Payload[0])
				if p.At.Before(before.Add(-time.Second)) || p.At.After(time.Now()) {
					t.Errorf("packet stamped %v, sent after %v", p.At, before)
				}
			}
		}
	}
	if _, err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if string(seen) != "\x00\x01\x02" {
		t.Errorf("saw %q, want each of the 3 datagrams once, in order", seen)
	}
}
