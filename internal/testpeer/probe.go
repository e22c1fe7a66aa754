package testpeer

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// ping sends one OPTIONS request to a SIP server at addr from a fresh socket
// on the same loopback address and waits up to wait for its answer. It
// returns nil on a 200 and an error otherwise. The socket is connected, so
// a server that is not (yet) listening shows at once as "connection
// refused".
func ping(addr netip.AddrPort, wait time.Duration) error {
	local := net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr.Addr(), 0))
	c, err := net.DialUDP("udp", local, net.UDPAddrFromAddrPort(addr))
	if err != nil {
		return fmt.Errorf("ping %s: %w", addr, err)
	}
	defer c.Close()
	// Closing the socket ends the read below when the time is up.
	timer := time.AfterFunc(wait, func() { _ = c.Close() })
	defer timer.Stop()

	me := c.LocalAddr().(*net.UDPAddr).AddrPort()
	branch := fmt.Sprintf("z9hG4bK-testpeer-%d", me.Port())
	req := strings.Join([]string{
		"OPTIONS sip:" + addr.String() + " SIP/2.0",
		"Via: SIP/2.0/UDP " + me.String() + ";branch=" + branch,
		"Max-Forwards: 70",
		"From: <sip:probe@" + me.String() + ">;tag=probe",
		"To: <sip:" + addr.String() + ">",
		fmt.Sprintf("Call-ID: probe-%d@testpeer", me.Port()),
		"CSeq: 1 OPTIONS",
		"Content-Length: 0",
		"", "",
	}, "\r\n")
	if _, err := c.Write([]byte(req)); err != nil {
		return fmt.Errorf("ping %s: %w", addr, err)
	}

	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return fmt.Errorf("ping %s: no answer within %v: %w", addr, wait, err)
		}
		msg := string(buf[:n])
		if !strings.Contains(msg, branch) {
			continue // not ours
		}
		status, _, _ := strings.Cut(msg, "\r\n")
		if strings.HasPrefix(status, "SIP/2.0 200") {
			return nil
		}
		if !strings.HasPrefix(status, "SIP/2.0 1") {
			return fmt.Errorf("ping %s: answered %q", addr, status)
		}
	}
}
