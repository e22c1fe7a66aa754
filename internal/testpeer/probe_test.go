package testpeer

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// fakeServer answers each request with the datagrams reply(request) returns,
// on a loopback UDP socket, until the test ends.
func fakeServer(t *testing.T, reply func(req string) []string) netip.AddrPort {
	t.Helper()
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			for _, answer := range reply(string(buf[:n])) {
				_, _ = c.WriteToUDPAddrPort([]byte(answer), from)
			}
		}
	}()
	return c.LocalAddr().(*net.UDPAddr).AddrPort()
}

// answerWith answers a request with one response per status line.
func answerWith(statuses ...string) func(string) []string {
	return func(req string) []string {
		var via string
		for _, line := range strings.Split(req, "\r\n") {
			if strings.HasPrefix(line, "Via:") {
				via = line
			}
		}
		var out []string
		for _, status := range statuses {
			out = append(out, status+"\r\n"+via+"\r\nContent-Length: 0\r\n\r\n")
		}
		return out
	}
}

func TestPing(t *testing.T) {
	nobody := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(FreeUDPPort(t, "127.0.0.1")))
	tests := []struct {
		name   string
		addr   netip.AddrPort
		wantOK bool
	}{
		{"200", fakeServer(t, answerWith("SIP/2.0 200 OK")), true},
		{"100 then 200", fakeServer(t, answerWith("SIP/2.0 100 Trying", "SIP/2.0 200 OK")), true},
		{"503", fakeServer(t, answerWith("SIP/2.0 503 Service Unavailable")), false},
		{"someone else's 200", fakeServer(t, func(string) []string {
			return []string{"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-other\r\n\r\n"}
		}), false},
		{"silent", fakeServer(t, func(string) []string { return nil }), false},
		{"nobody listening", nobody, false},
	}
	for i, tc := range tests {
		err := ping(tc.addr, 300*time.Millisecond)
		if (err == nil) != tc.wantOK {
			t.Errorf("#%d %s: got %v, want ok=%v", i, tc.name, err, tc.wantOK)
		}
	}
}
