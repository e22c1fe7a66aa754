//go:build !linux || !(amd64 || arm || arm64)

package mediapath

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"
)

// rawQueue is how many datagrams wait for the pump before more are
// dropped, as a full socket buffer would: 20 periods.
const rawQueue = 20

// rawUDP moves a stream's RTP through the net package, on development
// machines only: the phone's platforms use raw system calls
// (rawudp_linux.go). The net package has no non-blocking read (a read
// deadline already past fails before the socket is tried), so a goroutine
// waits for datagrams and queues them for recv, which the pump calls once
// per period. That costs a thread wake-up per datagram and allocates
// where the net package does (its errors), which is acceptable here.
// Datagrams have no arrival stamp: they count as arriving when the pump
// takes them.
type rawUDP struct {
	c      *net.UDPConn
	free   chan []byte // empty buffers
	full   chan []byte // datagrams, in order
	spare  []byte      // the reader's, for a datagram dropped
	done   chan struct{}
	closed atomic.Bool
}

// listenRawUDP binds a UDP socket to a and starts its reader.
func listenRawUDP(a netip.AddrPort) (*rawUDP, error) {
	network := "udp4"
	if a.Addr().Unmap().Is6() {
		network = "udp6"
	}
	c, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(a))
	if err != nil {
		return nil, fmt.Errorf("listen on %v: %w", a, err)
	}
	u := &rawUDP{
		c:     c,
		free:  make(chan []byte, rawQueue),
		full:  make(chan []byte, rawQueue),
		spare: make([]byte, maxPacket+1),
		done:  make(chan struct{}),
	}
	for range rawQueue {
		u.free <- make([]byte, maxPacket+1)
	}
	go u.read()
	return u, nil
}

// read queues datagrams until the socket closes.
func (u *rawUDP) read() {
	defer close(u.done)
	for {
		var buf []byte
		select {
		case buf = <-u.free:
		default:
			buf = u.spare // the queue is full: read and drop
		}
		n, _, err := u.c.ReadFromUDPAddrPort(buf)
		switch {
		case errors.Is(err, net.ErrClosed):
			return
		case err != nil: // e.g. an ICMP error reported on the socket
			n = -1
		}
		switch {
		case &buf[0] == &u.spare[0]:
		case n < 0:
			u.free <- buf
		default:
			u.full <- buf[:n]
		}
	}
}

// send sends b to to.
func (u *rawUDP) send(b []byte, to netip.AddrPort) error {
	_, err := u.c.WriteToUDPAddrPort(b, to)
	return err
}

// recv takes the datagrams queued into b, without waiting, as many as b
// holds: how many it took, 0 when none is queued or the socket is closed.
// They count as having waited for nothing; err is never set here.
func (u *rawUDP) recv(b *datagrams) (n int, err error) {
	if u.closed.Load() {
		return 0, nil
	}
	for n < len(b.buf) {
		select {
		case d := <-u.full:
			b.n[n], b.age[n] = copy(b.buf[n][:], d), 0
			u.free <- d[:cap(d)]
			n++
		default:
			return n, nil
		}
	}
	return n, nil
}

// close closes the socket and waits for its reader; closing twice does
// nothing.
func (u *rawUDP) close() error {
	u.closed.Store(true)
	err := u.c.Close()
	<-u.done
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}
