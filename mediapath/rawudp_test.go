package mediapath

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// TestRawUDP sends and receives through rawUDP on IPv4 and IPv6 loopback,
// without allocating, and checks that closing the socket ends a receive.
func TestRawUDP(t *testing.T) {
	for _, tc := range []struct {
		network string
		addr    string
	}{{"udp4", "127.0.0.1:0"}, {"udp6", "[::1]:0"}} {
		a, err := net.ListenUDP(tc.network, net.UDPAddrFromAddrPort(netip.MustParseAddrPort(tc.addr)))
		if err != nil {
			t.Logf("%s: %v (skipped)", tc.network, err)
			continue
		}
		b, err := net.ListenUDP(tc.network, net.UDPAddrFromAddrPort(netip.MustParseAddrPort(tc.addr)))
		if err != nil {
			t.Fatal(err)
		}
		v6 := tc.network == "udp6"
		ua, err := newRawUDP(a, v6)
		if err != nil {
			t.Fatal(err)
		}
		ub, err := newRawUDP(b, v6)
		if err != nil {
			t.Fatal(err)
		}
		to := b.LocalAddr().(*net.UDPAddr).AddrPort()
		msg, buf := []byte("hello"), make([]byte, 64)
		round := func() {
			if err := ua.send(msg, to); err != nil {
				t.Fatal(err)
			}
			n, err := ub.recv(buf)
			if err != nil || string(buf[:n]) != "hello" {
				t.Fatalf("%s: received %q, %v", tc.network, buf[:n], err)
			}
		}
		round()
		if n := testing.AllocsPerRun(100, round); n != 0 {
			t.Errorf("%s: %v allocations per send and receive", tc.network, n)
		}
		if !v6 {
			if err := ua.send(msg, netip.MustParseAddrPort("[::1]:5004")); err == nil {
				t.Error("an IPv4 socket sent to an IPv6 address")
			}
		}
		done := make(chan error, 1)
		go func() {
			_, err := ub.recv(buf)
			done <- err
		}()
		time.Sleep(10 * time.Millisecond)
		b.Close()
		select {
		case err := <-done:
			if !errors.Is(err, net.ErrClosed) {
				t.Errorf("%s: receive on a closed socket: %v, want net.ErrClosed", tc.network, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: closing did not end the receive", tc.network)
		}
		if err := ua.send(msg, to); err != nil {
			t.Errorf("%s: send to a closed peer: %v (UDP does not know)", tc.network, err)
		}
		a.Close()
		if err := ua.send(msg, to); !errors.Is(err, net.ErrClosed) {
			t.Errorf("%s: send on a closed socket: %v, want net.ErrClosed", tc.network, err)
		}
	}
}
