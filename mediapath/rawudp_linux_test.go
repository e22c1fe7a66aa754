//go:build linux && (amd64 || arm || arm64)

package mediapath

import (
	"bytes"
	"math"
	"net"
	"net/netip"
	"slices"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/pion/rtp"

	"handset/hal/haltest"
)

// cmsg is a control message for receiveStamp: level, type and data.
type cmsg struct {
	level, typ int32
	data       []byte
	short      int // bytes to take off the length field
}

// controlBuffer lays out msgs as the kernel would, in word-aligned memory.
func controlBuffer(msgs []cmsg) []byte {
	words := make([]uint64, 16)
	b := unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), 8*len(words))
	off := 0
	for _, m := range msgs {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&b[off]))
		h.Level, h.Type = m.level, m.typ
		h.SetLen(syscall.CmsgLen(len(m.data)) - m.short)
		copy(b[off+syscall.CmsgLen(0):], m.data)
		off += syscall.CmsgSpace(len(m.data))
	}
	return b[:off]
}

func timespecBytes(sec, nsec int64) []byte {
	ts := syscall.NsecToTimespec(sec*1e9 + nsec)
	return unsafe.Slice((*byte)(unsafe.Pointer(&ts)), unsafe.Sizeof(ts))
}

// TestReceiveStamp finds the kernel's receive time among control messages
// and ignores what is malformed.
func TestReceiveStamp(t *testing.T) {
	stamp := timespecBytes(1_700_000_000, 123_456_789)
	const want = 1_700_000_000_123_456_789
	other := cmsg{syscall.SOL_SOCKET, syscall.SCM_RIGHTS, []byte{1, 2, 3, 4}, 0}
	for _, tc := range []struct {
		name string
		msgs []cmsg
		want int64
	}{
		{"none", nil, 0},
		{"alone", []cmsg{{syscall.SOL_SOCKET, syscall.SCM_TIMESTAMPNS, stamp, 0}}, want},
		{"after another", []cmsg{other, {syscall.SOL_SOCKET, syscall.SCM_TIMESTAMPNS, stamp, 0}}, want},
		{"another only", []cmsg{other}, 0},
		{"another level", []cmsg{{syscall.IPPROTO_IP, syscall.SCM_TIMESTAMPNS, stamp, 0}}, 0},
		{"data cut short", []cmsg{{syscall.SOL_SOCKET, syscall.SCM_TIMESTAMPNS, stamp, 4}}, 0},
		{"length shorter than a header", []cmsg{{syscall.SOL_SOCKET, syscall.SCM_TIMESTAMPNS, nil, syscall.CmsgLen(0)}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := receiveStamp(controlBuffer(tc.msgs)); got != tc.want {
				t.Errorf("stamp %d, want %d", got, tc.want)
			}
		})
	}
	// A length past the end of the buffer.
	b := controlBuffer([]cmsg{{syscall.SOL_SOCKET, syscall.SCM_TIMESTAMPNS, stamp, 0}})
	if got := receiveStamp(b[:len(b)-1]); got != 0 {
		t.Errorf("truncated buffer: stamp %d", got)
	}
}

// TestRawUDPAge: two datagrams sent 50 ms apart and read together 100 ms
// after the second show (at least) those ages, each by its own stamp.
func TestRawUDPAge(t *testing.T) {
	u, me, peer := rawAndPeer(t)
	if !u.stamps {
		t.Skip("no SO_TIMESTAMPNS here")
	}
	for i, m := range []string{"x", "y"} {
		if i > 0 {
			time.Sleep(50 * time.Millisecond)
		}
		if _, err := peer.WriteToUDPAddrPort([]byte(m), me); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond)
	b := new(datagrams)
	if n := recvWait(t, u, b); n != 2 {
		t.Fatalf("one read took %d datagrams, want both", n)
	}
	if b.age[1] < 100*time.Millisecond || b.age[0]-b.age[1] < 50*time.Millisecond || b.age[0] > time.Minute {
		t.Errorf("ages %v and %v, want at least 150 ms and 100 ms", b.age[0], b.age[1])
	}
}

// TestRawUDPBatch: one read takes a whole batch of what is queued, each
// datagram with its own length (a longer one than a buffer holds is cut
// to maxPacket+1), and only what is left over needs another. The kernel
// delivers loopback datagrams as they are sent; a round that finds them
// not yet all queued is tried again.
func TestRawUDPBatch(t *testing.T) {
	if size, want := unsafe.Sizeof(mmsghdr{}), 8*unsafe.Sizeof(uintptr(0)); size != want {
		t.Fatalf("mmsghdr is %d bytes, the kernel's %d", size, want)
	}
	u, me, peer := rawAndPeer(t)
	sizes := []int{1, 2, 3, maxPacket + 100, 5, 6}
	b := new(datagrams)
	var reads []int
	for round := range 5 {
		for i, size := range sizes {
			m := bytes.Repeat([]byte{byte(round*10 + i)}, size)
			if _, err := peer.WriteToUDPAddrPort(m, me); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(20 * time.Millisecond)
		reads = reads[:0]
		got := 0
		for got < len(sizes) {
			n := recvWait(t, u, b)
			reads = append(reads, n)
			for i := range n {
				want := min(sizes[got], maxPacket+1)
				if b.n[i] != want || b.buf[i][0] != byte(round*10+got) {
					t.Fatalf("datagram %d: %d bytes of %d, want %d of %d", got, b.n[i], b.buf[i][0], want, round*10+got)
				}
				got++
			}
		}
		if n, err := u.recv(b); n != 0 || err != nil {
			t.Fatalf("after the last datagram: %d more, %v", n, err)
		}
		if slices.Equal(reads, []int{recvBatch, len(sizes) - recvBatch}) {
			return
		}
	}
	t.Errorf("reads took %v datagrams, want %d then %d", reads, recvBatch, len(sizes)-recvBatch)
}

// TestArrivalFromStamp: on a fake clock that stands still, two packets
// sent 60 ms apart and drained in the same period arrive 60 ms apart, by
// the kernel's stamps: the first at least the 100 ms it waited before
// the engine's now, and the interarrival jitter (RFC 3550 §6.4.1) of two
// packets 60 ms apart in RTP time near zero, where arrivals on the
// period's grid would have made it 480/16 = 30 units.
func TestArrivalFromStamp(t *testing.T) {
	clk := haltest.NewClock(time.Unix(1_700_000_000, 0))
	r := newRigWith(t, rigOpts{clk: clk})
	if !r.s.rtp.stamps {
		t.Skip("no SO_TIMESTAMPNS here")
	}
	r.step(t, 1)
	voice := muLawSilence()
	var sent [2][2]time.Time // real time before and after each send
	for i := range 2 {
		if i == 1 {
			time.Sleep(60 * time.Millisecond)
		}
		sent[i][0] = time.Now()
		r.peer.sendRTP(t, r.s, rtp.Header{PayloadType: 0, SequenceNumber: uint16(i), Timestamp: uint32(480 * i), SSRC: 6}, voice)
		sent[i][1] = time.Now()
	}
	time.Sleep(100 * time.Millisecond)
	r.received(t, "both packets", func() bool { return r.e.Stats().PacketsReceived == 2 })
	st := r.e.Stats()
	if now := clk.Now(); st.FirstRTPReceived.After(now.Add(-160*time.Millisecond)) || st.FirstRTPReceived.Before(now.Add(-maxAge)) {
		t.Errorf("first packet arrived %v before now, want 160 ms or more", now.Sub(st.FirstRTPReceived))
	}
	// The spacing of the stamps lies within what the sender saw, give or
	// take the kernel's delivery (a few ms allowed).
	const slack = 5 * time.Millisecond
	lo, hi := sent[1][0].Sub(sent[0][1])-slack, sent[1][1].Sub(sent[0][0])+slack
	units := func(d time.Duration) float64 { return float64(d) * 8000 / float64(time.Second) }
	jitterOf := func(d time.Duration) float64 { return math.Abs(units(d)-480) / 16 }
	want0, want1 := jitterOf(lo), jitterOf(hi)
	if want0 > want1 {
		want0, want1 = want1, want0
	}
	if lo < 60*time.Millisecond && hi > 60*time.Millisecond {
		want0 = 0
	}
	r.s.mu.Lock()
	j := r.s.rx.jitter
	r.s.mu.Unlock()
	if j < want0-0.5 || j > want1+0.5 {
		t.Errorf("jitter %.2f units, want %.2f–%.2f (spacing %v–%v)", j, want0, want1, lo, hi)
	}
}

// rawAndPeer makes a raw RTP socket on a free loopback port, its address,
// and an ordinary UDP socket to send to it from; both close when t ends.
func rawAndPeer(t *testing.T) (*rawUDP, netip.AddrPort, *net.UDPConn) {
	t.Helper()
	lo, _ := freePorts(t, 1)
	me := netip.AddrPortFrom(loopback, uint16(lo))
	u, err := listenRawUDP(me)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { u.close() })
	peer, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 0)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Close() })
	return u, me, peer
}
