//go:build linux && (amd64 || arm || arm64)

package mediapath

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// rawUDP is a stream's RTP socket, made and used with raw system calls and
// never handed to Go's network poller: a datagram that arrives wakes no
// thread. The pump takes what has come in once per period with a
// non-blocking recvmmsg, a batch of datagrams per call (see
// Engine.receiveAll), and sends with a non-blocking sendto. Through the
// net package every such call would also enter the scheduler's syscall
// path, which wakes the runtime's monitor thread while the phone is
// otherwise idle (docs/PERFORMANCE.md); a non-blocking call on a UDP
// socket never blocks, so it needs none of that.
//
// The kernel stamps each datagram with its arrival on the wall clock
// (SO_TIMESTAMPNS), so a datagram read a period late still shows when it
// came. On 32-bit ARM the stamp has 32-bit seconds: good until 2038. A
// kernel (or emulator) without the option leaves datagrams unstamped.
//
// Sending and receiving belong to the pump's goroutine; mu keeps Close
// (from any goroutine) from closing the descriptor under a call in
// progress, or a call from using a number the kernel may have given to
// another file since. Nothing allocates but the errors of failed calls.
type rawUDP struct {
	mu     sync.Mutex
	fd     int // -1 once closed
	v6     bool
	stamps bool // SO_TIMESTAMPNS is on

	// Sending.
	sa4 syscall.RawSockaddrInet4
	sa6 syscall.RawSockaddrInet6

	// Receiving: message i of a batch points at iov[i] and ctl[i].
	msgs [recvBatch]mmsghdr
	iov  [recvBatch]syscall.Iovec
	ctl  [recvBatch][8]uint64 // control messages; words keep each header aligned
	tv   syscall.Timeval
}

// mmsghdr is the kernel's struct mmsghdr, an element of recvmmsg's array:
// a message header and the length received into it. Go pads it to the
// header's alignment as C does.
type mmsghdr struct {
	hdr syscall.Msghdr
	n   uint32
}

// listenRawUDP makes a non-blocking UDP socket bound to a, with receive
// timestamps on where the kernel has them.
func listenRawUDP(a netip.AddrPort) (*rawUDP, error) {
	addr := a.Addr().Unmap()
	v6 := addr.Is6()
	var sa syscall.Sockaddr
	family := syscall.AF_INET
	if v6 {
		family = syscall.AF_INET6
		sa6 := &syscall.SockaddrInet6{Port: int(a.Port()), Addr: addr.As16()}
		if zone := addr.Zone(); zone != "" {
			id, err := zoneIndex(zone)
			if err != nil {
				return nil, fmt.Errorf("listen on %v: %w", a, err)
			}
			sa6.ZoneId = id
		}
		sa = sa6
	} else {
		sa = &syscall.SockaddrInet4{Port: int(a.Port()), Addr: addr.As4()}
	}
	fd, err := syscall.Socket(family, syscall.SOCK_DGRAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, syscall.IPPROTO_UDP)
	if err != nil {
		return nil, fmt.Errorf("socket for %v: %w", a, err)
	}
	if err := setupRawUDP(fd, sa, v6); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("listen on %v: %w", a, err)
	}
	stamps := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1) == nil
	u := &rawUDP{fd: fd, v6: v6, stamps: stamps}
	for i := range u.msgs {
		h := &u.msgs[i].hdr
		h.Iov = &u.iov[i]
		h.Iovlen = 1
		h.Control = (*byte)(unsafe.Pointer(&u.ctl[i][0]))
	}
	return u, nil
}

// setupRawUDP binds fd to sa, to IPv6 only for an IPv6 address.
func setupRawUDP(fd int, sa syscall.Sockaddr, v6 bool) error {
	if v6 {
		if err := syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, 1); err != nil {
			return fmt.Errorf("IPV6_V6ONLY: %w", err)
		}
	}
	if err := syscall.Bind(fd, sa); err != nil {
		return fmt.Errorf("bind: %w", err)
	}
	return nil
}

// zoneIndex is the interface index of an IPv6 zone: a name or a number.
func zoneIndex(zone string) (uint32, error) {
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifi.Index), nil
	}
	n, err := strconv.ParseUint(zone, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("unknown zone %q", zone)
	}
	return uint32(n), nil
}

// send sends b to to; it fails with net.ErrClosed once the socket is
// closed.
func (u *rawUDP) send(b []byte, to netip.AddrPort) error {
	if len(b) == 0 {
		return nil
	}
	var sa unsafe.Pointer
	var saLen uintptr
	port := to.Port()
	switch a := to.Addr(); {
	case u.v6:
		u.sa6 = syscall.RawSockaddrInet6{Family: syscall.AF_INET6, Port: port<<8 | port>>8, Addr: a.As16()}
		sa, saLen = unsafe.Pointer(&u.sa6), unsafe.Sizeof(u.sa6)
	case a.Unmap().Is4():
		u.sa4 = syscall.RawSockaddrInet4{Family: syscall.AF_INET, Port: port<<8 | port>>8, Addr: a.Unmap().As4()}
		sa, saLen = unsafe.Pointer(&u.sa4), unsafe.Sizeof(u.sa4)
	default:
		return fmt.Errorf("send to %v from an IPv4 socket: %w", to, syscall.EAFNOSUPPORT)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.fd < 0 {
		return net.ErrClosed
	}
	// A full socket buffer (EAGAIN) drops the packet, as a lossy network
	// would.
	_, _, e := syscall.RawSyscall6(syscall.SYS_SENDTO, uintptr(u.fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)),
		syscall.MSG_DONTWAIT, uintptr(sa), saLen)
	if e != 0 {
		return fmt.Errorf("sendto %v: %w", to, e)
	}
	return nil
}

// recv reads the datagrams queued on the socket into b, without
// waiting, as many as b holds: how many it read, 0 when none is queued or
// the socket is closed. err is a failed read, after which more may be
// queued.
func (u *rawUDP) recv(b *datagrams) (n int, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.fd < 0 {
		return 0, nil
	}
	for i := range u.msgs {
		u.iov[i].Base = &b.buf[i][0]
		u.iov[i].SetLen(len(b.buf[i]))
		u.msgs[i].hdr.SetControllen(int(unsafe.Sizeof(u.ctl[i])))
		u.msgs[i].hdr.Flags = 0
	}
	var r uintptr
	var e syscall.Errno
	for {
		r, _, e = syscall.RawSyscall6(syscall.SYS_RECVMMSG, uintptr(u.fd), uintptr(unsafe.Pointer(&u.msgs[0])), recvBatch,
			syscall.MSG_DONTWAIT, 0, 0)
		if e != syscall.EINTR {
			break
		}
	}
	for i := range u.iov {
		u.iov[i].Base = nil
	}
	switch e {
	case 0:
	case syscall.EAGAIN:
		return 0, nil
	default: // e.g. an ICMP error reported on the socket
		return 0, fmt.Errorf("recvmmsg: %w", e)
	}
	n = int(r)
	now := int64(0) // the wall clock, read once for the batch
	for i := range n {
		b.n[i], b.age[i] = int(u.msgs[i].n), 0
		ctl := unsafe.Slice((*byte)(unsafe.Pointer(&u.ctl[i][0])), unsafe.Sizeof(u.ctl[i]))
		stamp := receiveStamp(ctl[:min(int(u.msgs[i].hdr.Controllen), len(ctl))])
		if stamp == 0 {
			continue
		}
		if now == 0 && syscall.Gettimeofday(&u.tv) == nil {
			now = u.tv.Nano()
		}
		if now != 0 {
			b.age[i] = time.Duration(now - stamp)
		}
	}
	return n, nil
}

// receiveStamp finds the SCM_TIMESTAMPNS control message in ctl (which
// must start word-aligned) and returns its time in nanoseconds since the
// Unix epoch; 0 when there is none or ctl is malformed.
func receiveStamp(ctl []byte) int64 {
	hdr := syscall.CmsgLen(0) // the header, aligned: where the data starts
	want := syscall.CmsgLen(int(unsafe.Sizeof(syscall.Timespec{})))
	for len(ctl) >= hdr {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&ctl[0]))
		l := int(h.Len)
		if l < hdr || l > len(ctl) {
			return 0
		}
		if h.Level == syscall.SOL_SOCKET && h.Type == syscall.SCM_TIMESTAMPNS && l >= want {
			return (*syscall.Timespec)(unsafe.Pointer(&ctl[hdr])).Nano()
		}
		next := syscall.CmsgSpace(l - hdr)
		if next >= len(ctl) {
			return 0
		}
		ctl = ctl[next:]
	}
	return 0
}

// close closes the socket, after any call in progress; closing twice does
// nothing.
func (u *rawUDP) close() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.fd < 0 {
		return nil
	}
	err := syscall.Close(u.fd)
	u.fd = -1
	if err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}
