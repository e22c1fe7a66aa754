package testpeer

import (
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
)

// FreeUDPPort returns a UDP port that was free on ip a moment ago. Another
// process may take it before the caller binds it; on loopback in a test
// that is rare enough.
func FreeUDPPort(t testing.TB, ip string) int {
	t.Helper()
	port, err := freeUDPPort(ip)
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	return port
}

func freeUDPPort(ip string) (int, error) {
	c, err := net.ListenPacket("udp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return 0, fmt.Errorf("find free UDP port on %s: %w", ip, err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}

// freeUDPPortPair returns a port p such that p and p+2 are both free on ip:
// SIPp binds its RTP echo sockets there.
func freeUDPPortPair(ip string) (int, error) {
	for range 20 {
		c, err := net.ListenPacket("udp", net.JoinHostPort(ip, "0"))
		if err != nil {
			return 0, fmt.Errorf("find free UDP port pair on %s: %w", ip, err)
		}
		p := c.LocalAddr().(*net.UDPAddr).Port
		if p+2 > 65535 {
			c.Close()
			continue
		}
		c2, err := net.ListenPacket("udp", net.JoinHostPort(ip, fmt.Sprint(p+2)))
		c.Close()
		if err == nil {
			c2.Close()
			return p, nil
		}
	}
	return 0, fmt.Errorf("find free UDP port pair on %s: none found in 20 tries", ip)
}

// udpPortBound reports whether some UDP socket on this machine is bound to
// port, from /proc/net/udp and /proc/net/udp6. Where those files do not
// exist it reports true: there is nothing to wait for.
func udpPortBound(port int) bool {
	suffix := fmt.Sprintf(":%04X", port)
	found, readable := false, false
	for _, table := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		data, err := os.ReadFile(table)
		if err != nil {
			continue
		}
		readable = true
		for _, line := range strings.Split(string(data), "\n")[1:] {
			// "sl local_address rem_address st ...", the address as HEXIP:HEXPORT.
			f := strings.Fields(line)
			if len(f) > 1 && strings.HasSuffix(f[1], suffix) {
				found = true
			}
		}
	}
	return found || !readable
}
