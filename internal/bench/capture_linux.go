package bench

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"handset/hal"
)

// Capture records the UDP datagrams (IPv4) that cross the loopback
// interface, with the kernel's timestamps, through an AF_PACKET socket:
// the wire, as tcpdump would see it, for any process. It needs root or
// CAP_NET_RAW.
type Capture struct {
	clk      hal.Clock
	fd       int
	done     chan struct{}
	stop     chan struct{}
	stopOnce sync.Once

	mu      sync.Mutex
	packets []Packet
	err     error
}

// captureBuffer is the socket's receive buffer: seconds of a call's
// packets, so none are dropped while the reader sleeps.
const captureBuffer = 8 << 20

// capturePoll is how often the reader takes what the socket queued. It
// never waits on the socket: a waiting reader would be woken for every
// datagram, in the sending process's system call, and so add to the CPU
// measured of the agents under test.
const capturePoll = 50 * time.Millisecond

// StartCapture starts recording the loopback interface; clk stamps a
// datagram whose kernel timestamp is missing.
func StartCapture(clk hal.Clock) (*Capture, error) {
	lo, err := loopbackInterface()
	if err != nil {
		return nil, err
	}
	proto := htons(syscall.ETH_P_ALL)
	fd, err := syscall.Socket(syscall.AF_PACKET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, int(proto))
	if err != nil {
		return nil, fmt.Errorf("%w: AF_PACKET socket (needs root or CAP_NET_RAW): %w", ErrCapture, err)
	}
	setup := func() error {
		if err := syscall.Bind(fd, &syscall.SockaddrLinklayer{Protocol: proto, Ifindex: lo.Index}); err != nil {
			return fmt.Errorf("bind to %s: %w", lo.Name, err)
		}
		if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1); err != nil {
			return fmt.Errorf("SO_TIMESTAMPNS: %w", err)
		}
		// The limit for root; others get what rmem_max allows.
		if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, captureBuffer); err != nil {
			_ = syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, captureBuffer)
		}
		// Each datagram crosses loopback twice, going out and coming in:
		// keep only its arrival (older kernels lack the option; run skips
		// outgoing copies then).
		_ = syscall.SetsockoptInt(fd, syscall.SOL_PACKET, unix.PACKET_IGNORE_OUTGOING, 1)
		return nil
	}
	if err := setup(); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("%w: %w", ErrCapture, err)
	}
	c := &Capture{clk: clk, fd: fd, done: make(chan struct{}), stop: make(chan struct{})}
	go c.run()
	return c, nil
}

func loopbackInterface() (*net.Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("%w: list interfaces: %w", ErrCapture, err)
	}
	for i := range ifs {
		if ifs[i].Flags&net.FlagLoopback != 0 {
			return &ifs[i], nil
		}
	}
	return nil, fmt.Errorf("%w: no loopback interface", ErrCapture)
}

// run records until Stop, taking what the socket holds every capturePoll.
func (c *Capture) run() {
	defer close(c.done)
	buf := make([]byte, 65536)
	oob := make([]byte, 128)
	tick := c.clk.NewTicker(capturePoll)
	defer tick.Stop()
	for {
		if !c.drain(buf, oob) {
			return
		}
		select {
		case <-c.stop:
			c.drain(buf, oob) // what came before Stop
			return
		case <-tick.C():
		}
	}
}

// drain reads every datagram queued in the socket without waiting. It
// returns false after an error, which Stop reports.
func (c *Capture) drain(buf, oob []byte) bool {
	for {
		n, oobn, _, from, err := syscall.Recvmsg(c.fd, buf, oob, syscall.MSG_DONTWAIT)
		switch {
		case err == syscall.EAGAIN:
			return true
		case err == syscall.EINTR:
			continue
		case err != nil:
			c.mu.Lock()
			c.err = fmt.Errorf("%w: receive: %w", ErrCapture, err)
			c.mu.Unlock()
			return false
		}
		if ll, ok := from.(*syscall.SockaddrLinklayer); ok && ll.Pkttype == syscall.PACKET_OUTGOING {
			continue
		}
		p, ok := parseIPv4UDP(buf[:n])
		if !ok {
			continue
		}
		p.At = c.timestamp(oob[:oobn])
		c.mu.Lock()
		c.packets = append(c.packets, p)
		c.mu.Unlock()
	}
}

// timestamp reads SCM_TIMESTAMPNS from a control message, or takes the
// time now.
func (c *Capture) timestamp(oob []byte) time.Time {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err == nil {
		for _, m := range msgs {
			if m.Header.Level == syscall.SOL_SOCKET && m.Header.Type == syscall.SCM_TIMESTAMPNS && len(m.Data) >= int(unsafe.Sizeof(syscall.Timespec{})) {
				ts := (*syscall.Timespec)(unsafe.Pointer(&m.Data[0]))
				return time.Unix(int64(ts.Sec), int64(ts.Nsec))
			}
		}
	}
	return c.clk.Now()
}

// parseIPv4UDP takes an IPv4 packet apart; ok is false for anything but
// an unfragmented UDP datagram. The payload is copied.
func parseIPv4UDP(b []byte) (p Packet, ok bool) {
	if len(b) < 20 || b[0]>>4 != 4 || b[9] != syscall.IPPROTO_UDP {
		return Packet{}, false
	}
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:4]))
	if ihl < 20 || total > len(b) || total < ihl+8 || binary.BigEndian.Uint16(b[6:8])&0x3fff != 0 {
		return Packet{}, false
	}
	src := netip.AddrFrom4([4]byte(b[12:16]))
	dst := netip.AddrFrom4([4]byte(b[16:20]))
	u := b[ihl:total]
	p.Src = netip.AddrPortFrom(src, binary.BigEndian.Uint16(u[0:2]))
	p.Dst = netip.AddrPortFrom(dst, binary.BigEndian.Uint16(u[2:4]))
	p.Payload = append([]byte(nil), u[8:]...)
	return p, true
}

// Stop ends the capture and returns what it recorded, in order of
// arrival, and the first error it met. Stopping again returns the same.
func (c *Capture) Stop() ([]Packet, error) {
	c.stopOnce.Do(func() {
		close(c.stop)
		<-c.done
		syscall.Close(c.fd)
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.packets, c.err
}

// Snapshot returns what has been recorded so far.
func (c *Capture) Snapshot() []Packet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Packet(nil), c.packets...)
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }
