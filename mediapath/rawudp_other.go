//go:build !linux || !(amd64 || arm || arm64)

package mediapath

import (
	"net"
	"net/netip"
)

// rawUDP moves a stream's RTP through the net package: raw system calls
// (rawudp_linux.go) are only for the phone's platforms.
type rawUDP struct{ c *net.UDPConn }

func newRawUDP(c *net.UDPConn, _ bool) (*rawUDP, error) { return &rawUDP{c: c}, nil }

// send sends b to to.
func (u *rawUDP) send(b []byte, to netip.AddrPort) error {
	_, err := u.c.WriteToUDPAddrPort(b, to)
	return err
}

// recv waits for the next datagram and reads it into b.
func (u *rawUDP) recv(b []byte) (int, error) {
	n, _, err := u.c.ReadFromUDPAddrPort(b)
	return n, err
}
