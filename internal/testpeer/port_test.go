package testpeer

import (
	"net"
	"net/netip"
	"testing"
)

func TestFreeUDPPort(t *testing.T) {
	port := FreeUDPPort(t, "127.0.0.1")
	c, err := net.ListenPacket("udp", netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)).String())
	if err != nil {
		t.Fatalf("port %d is not free: %v", port, err)
	}
	c.Close()

	pair, err := freeUDPPortPair("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []int{pair, pair + 2} {
		c, err := net.ListenPacket("udp", netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(p)).String())
		if err != nil {
			t.Fatalf("port %d of the pair is not free: %v", p, err)
		}
		c.Close()
	}
}

func TestUDPPortBound(t *testing.T) {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := c.LocalAddr().(*net.UDPAddr).Port
	if !udpPortBound(port) {
		t.Errorf("port %d is bound but not seen", port)
	}
	c.Close()
	if udpPortBound(port) {
		t.Errorf("port %d was closed but is still seen", port)
	}
}
