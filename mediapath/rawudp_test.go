package mediapath

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// recvWait polls u until a datagram comes, for up to 5 s.
func recvWait(t testing.TB, u *rawUDP, buf []byte) (int, time.Duration) {
	t.Helper()
	for try := 0; try < 5000; try++ {
		n, age, ok, err := u.recv(buf)
		if err != nil {
			t.Fatalf("recv: %v", err)
		}
		if ok {
			return n, age
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("no datagram in 5 s")
	return 0, 0
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
			buf := make([]byte, 64)
			if _, _, ok, err := u.recv(buf); ok || err != nil {
				t.Fatalf("empty socket: ok %v, %v", ok, err)
			}

			// Three datagrams queued before the first read come in order.
			me := netip.AddrPortFrom(tc.addr, uint16(lo))
			for _, m := range []string{"one", "two", "three"} {
				if _, err := peer.WriteToUDPAddrPort([]byte(m), me); err != nil {
					t.Fatal(err)
				}
			}
			for _, want := range []string{"one", "two", "three"} {
				if n, _ := recvWait(t, u, buf); string(buf[:n]) != want {
					t.Fatalf("received %q, want %q", buf[:n], want)
				}
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
				if n, _ := recvWait(t, u, buf); string(buf[:n]) != "hello" {
					t.Fatalf("received %q", buf[:n])
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
			if _, _, ok, err := u.recv(buf); ok || err != nil {
				t.Errorf("a closed socket received: ok %v, %v", ok, err)
			}
			if err := u.send(msg, to); !errors.Is(err, net.ErrClosed) {
				t.Errorf("send on a closed socket: %v, want net.ErrClosed", err)
			}
		})
	}
}
