package mediapath

import (
	"errors"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"
)

// recvWait polls u until datagrams come, for up to 5 s, and returns how
// many the read that found them took into b.
func recvWait(t testing.TB, u *rawUDP, b *datagrams) int {
	t.Helper()
	for try := 0; try < 5000; try++ {
		n, err := u.recv(b)
		if err != nil {
			t.Fatalf("recv: %v", err)
		}
		if n > 0 {
			return n
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("no datagram in 5 s")
	return 0
}

// recvAll reads want datagrams from u, a batch at a time, and returns
// them in the order read.
func recvAll(t testing.TB, u *rawUDP, b *datagrams, want int) []string {
	t.Helper()
	var got []string
	for len(got) < want {
		n := recvWait(t, u, b)
		if n > recvBatch {
			t.Fatalf("a read took %d datagrams into a batch of %d", n, recvBatch)
		}
		for i := range n {
			got = append(got, string(b.buf[i][:b.n[i]]))
		}
	}
	if len(got) != want {
		t.Fatalf("received %q, want %d datagrams", got, want)
	}
	return got
}

// TestRawUDP sends and receives through rawUDP on IPv4 and IPv6 loopback,
// in order and without allocating; a read of an empty socket returns at
// once; a closed socket reads nothing and sends net.ErrClosed.
func TestRawUDP(t *testing.T) {
	for _, tc := range []struct {
		network string
		addr    netip.Addr
	}{{"udp4", loopback}, {"udp6", netip.IPv6Loopback()}} {
		t.Run(tc.network, func(t *testing.T) {
			peer, err := net.ListenUDP(tc.network, net.UDPAddrFromAddrPort(netip.AddrPortFrom(tc.addr, 0)))
			if err != nil {
				t.Skipf("no %s loopback: %v", tc.network, err)
			}
			defer peer.Close()
			lo, _ := freePorts(t, 1)
			u, err := listenRawUDP(netip.AddrPortFrom(tc.addr, uint16(lo)))
			if err != nil {
				t.Fatal(err)
			}
			defer u.close()
			if _, err := listenRawUDP(netip.AddrPortFrom(tc.addr, uint16(lo))); err == nil {
				t.Error("bound a port twice")
			}
			b := new(datagrams)
			if n, err := u.recv(b); n != 0 || err != nil {
				t.Fatalf("empty socket: %d datagrams, %v", n, err)
			}

			// Datagrams queued before the first read come in order, more
			// than a batch of them.
			me := netip.AddrPortFrom(tc.addr, uint16(lo))
			sent := []string{"one", "two", "three", "four", "five", "six"}
			for _, m := range sent {
				if _, err := peer.WriteToUDPAddrPort([]byte(m), me); err != nil {
					t.Fatal(err)
				}
			}
			if got := recvAll(t, u, b, len(sent)); !slices.Equal(got, sent) {
				t.Fatalf("received %q, want %q", got, sent)
			}

			// Back and forth, without allocating.
			to := peer.LocalAddr().(*net.UDPAddr).AddrPort()
			msg, pbuf := []byte("hello"), make([]byte, 64)
			round := func() {
				if err := u.send(msg, to); err != nil {
					t.Fatal(err)
				}
				n, from, err := peer.ReadFromUDPAddrPort(pbuf)
				if err != nil || string(pbuf[:n]) != "hello" {
					t.Fatalf("peer received %q, %v", pbuf[:n], err)
				}
				if _, err := peer.WriteToUDPAddrPort(pbuf[:n], from); err != nil {
					t.Fatal(err)
				}
				if n := recvWait(t, u, b); n != 1 || string(b.buf[0][:b.n[0]]) != "hello" {
					t.Fatalf("received %d datagrams, the first %q", n, b.buf[0][:b.n[0]])
				}
			}
			peer.SetReadDeadline(time.Now().Add(time.Minute))
			round()
			if n := testing.AllocsPerRun(100, round); n != 0 {
				t.Errorf("%v allocations per send and receive", n)
			}
			if tc.network == "udp4" {
				if err := u.send(msg, netip.MustParseAddrPort("[::1]:5004")); err == nil {
					t.Error("an IPv4 socket sent to an IPv6 address")
				}
			}

			// Closed, with a datagram still queued.
			if _, err := peer.WriteToUDPAddrPort(msg, me); err != nil {
				t.Fatal(err)
			}
			if err := u.close(); err != nil {
				t.Fatal(err)
			}
			if err := u.close(); err != nil {
				t.Errorf("second close: %v", err)
			}
			if n, err := u.recv(b); n != 0 || err != nil {
				t.Errorf("a closed socket received %d datagrams, %v", n, err)
			}
			if err := u.send(msg, to); !errors.Is(err, net.ErrClosed) {
				t.Errorf("send on a closed socket: %v, want net.ErrClosed", err)
			}
		})
	}
}
