//go:build linux && (amd64 || arm || arm64)

package mediapath

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"unsafe"
)

// rawUDP moves a stream's RTP with raw, non-blocking sendto and recvfrom.
// Through the net package every such call enters the scheduler's syscall
// path, which wakes the runtime's monitor thread out of its sleep while
// the phone is otherwise idle: a handful of thread wake-ups per packet,
// which cost more CPU than the packet itself (scripts/bench measured 40 %
// of a call's CPU, docs/PERFORMANCE.md). A non-blocking call on a UDP
// socket never blocks, so it needs none of that; waiting for a datagram
// still goes through the network poller.
//
// Sending belongs to the pump's goroutine and receiving to the stream's
// receive goroutine; they touch separate fields. Neither allocates: the
// callbacks handed to the raw connection are made once.
type rawUDP struct {
	rc syscall.RawConn
	v6 bool

	// Sending.
	out     []byte
	sa4     syscall.RawSockaddrInet4
	sa6     syscall.RawSockaddrInet6
	saPtr   unsafe.Pointer
	saLen   uintptr
	sendErr syscall.Errno
	sendFn  func(fd uintptr) bool

	// Receiving.
	in      []byte
	n       int
	recvErr syscall.Errno
	recvFn  func(fd uintptr) bool
}

// newRawUDP wraps c, bound to an address of family v6 or IPv4.
func newRawUDP(c *net.UDPConn, v6 bool) (*rawUDP, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("raw UDP: %w", err)
	}
	u := &rawUDP{rc: rc, v6: v6}
	u.sendFn, u.recvFn = u.doSend, u.doRecv
	return u, nil
}

// send sends b to to.
func (u *rawUDP) send(b []byte, to netip.AddrPort) error {
	if len(b) == 0 {
		return nil
	}
	port := to.Port()
	switch a := to.Addr(); {
	case u.v6:
		u.sa6 = syscall.RawSockaddrInet6{Family: syscall.AF_INET6, Port: port<<8 | port>>8, Addr: a.As16()}
		u.saPtr, u.saLen = unsafe.Pointer(&u.sa6), unsafe.Sizeof(u.sa6)
	case a.Unmap().Is4():
		u.sa4 = syscall.RawSockaddrInet4{Family: syscall.AF_INET, Port: port<<8 | port>>8, Addr: a.Unmap().As4()}
		u.saPtr, u.saLen = unsafe.Pointer(&u.sa4), unsafe.Sizeof(u.sa4)
	default:
		return fmt.Errorf("send to %v from an IPv4 socket: %w", to, syscall.EAFNOSUPPORT)
	}
	u.out, u.sendErr = b, 0
	err := u.rc.Write(u.sendFn)
	u.out = nil
	if err != nil {
		return err
	}
	if u.sendErr != 0 {
		return fmt.Errorf("sendto %v: %w", to, u.sendErr)
	}
	return nil
}

func (u *rawUDP) doSend(fd uintptr) bool {
	_, _, e := syscall.RawSyscall6(syscall.SYS_SENDTO, fd, uintptr(unsafe.Pointer(&u.out[0])), uintptr(len(u.out)),
		syscall.MSG_DONTWAIT, uintptr(u.saPtr), u.saLen)
	u.sendErr = e
	return true // a full socket buffer drops the packet, as a lossy network would
}

// recv waits for the next datagram and reads it into b, returning its
// length; it fails with net.ErrClosed once the socket is closed.
func (u *rawUDP) recv(b []byte) (int, error) {
	u.in, u.recvErr = b, 0
	err := u.rc.Read(u.recvFn)
	u.in = nil
	if err != nil {
		return 0, err
	}
	if u.recvErr != 0 {
		return 0, fmt.Errorf("recvfrom: %w", u.recvErr)
	}
	return u.n, nil
}

func (u *rawUDP) doRecv(fd uintptr) bool {
	for {
		n, _, e := syscall.RawSyscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&u.in[0])), uintptr(len(u.in)),
			syscall.MSG_DONTWAIT, 0, 0)
		switch e {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false // nothing yet: wait in the network poller
		}
		u.n, u.recvErr = int(n), e
		return true
	}
}
