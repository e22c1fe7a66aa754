package mediapath

import (
	"errors"
	"net"
	"net/netip"
	"testing"

	"handset/hal"
	"handset/hal/sim"
)

func TestStreamPorts(t *testing.T) {
	card := sim.NewSoundCard(sim.SoundConfig{}, hal.SystemClock{})
	lo, _ := freePorts(t, 3)
	e, _ := testEngine(t, card, hal.SystemClock{}, func(c *Config) {
		c.PortMin, c.PortMax = lo-1, lo+5 // odd bounds: lo, lo+2, lo+4
	})
	var streams []*Stream
	for i := 0; i < 3; i++ {
		s, err := e.NewStream()
		if err != nil {
			t.Fatalf("stream %d: %v", i, err)
		}
		t.Cleanup(func() { s.Close() })
		if want := lo + 2*i; s.LocalPort() != want {
			t.Errorf("stream %d on port %d, want %d", i, s.LocalPort(), want)
		}
		streams = append(streams, s)
	}
	if _, err := e.NewStream(); !errors.Is(err, ErrNoFreePort) {
		t.Fatalf("fourth stream: %v, want ErrNoFreePort", err)
	}
	if err := streams[1].Close(); err != nil {
		t.Fatal(err)
	}
	if err := streams[1].Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	s, err := e.NewStream()
	if err != nil {
		t.Fatalf("after a Close: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if s.LocalPort() != lo+2 {
		t.Errorf("reused port %d, want %d", s.LocalPort(), lo+2)
	}
}

func TestStreamSkipsBusyPort(t *testing.T) {
	card := sim.NewSoundCard(sim.SoundConfig{}, hal.SystemClock{})
	lo, hi := freePorts(t, 2)
	e, _ := testEngine(t, card, hal.SystemClock{}, func(c *Config) { c.PortMin, c.PortMax = lo, hi })
	other, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, uint16(lo))))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	s, err := e.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.LocalPort() != lo+2 {
		t.Fatalf("port %d, want %d (the first is taken)", s.LocalPort(), lo+2)
	}
	if _, err := e.NewStream(); !errors.Is(err, ErrNoFreePort) {
		t.Fatalf("exhausted range: %v, want ErrNoFreePort", err)
	}
}

func TestAttachChecksStream(t *testing.T) {
	card := sim.NewSoundCard(sim.SoundConfig{}, hal.SystemClock{})
	e, _ := testEngine(t, card, hal.SystemClock{}, nil)
	other, _ := testEngine(t, card, hal.SystemClock{}, nil)
	s, err := other.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := e.Attach(s); !errors.Is(err, ErrForeignStream) {
		t.Errorf("foreign stream: %v", err)
	}
	if err := e.Attach(nil); !errors.Is(err, ErrForeignStream) {
		t.Errorf("nil stream: %v", err)
	}
	mine, err := e.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Attach(mine); err != nil {
		t.Fatal(err)
	}
	if err := mine.Close(); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	attached := e.attached
	e.mu.Unlock()
	if attached != nil {
		t.Error("Close left the stream attached")
	}
	if err := e.Attach(mine); !errors.Is(err, ErrStreamClosed) {
		t.Errorf("closed stream: %v", err)
	}
	if _, err := mine.Offer(); !errors.Is(err, ErrStreamClosed) {
		t.Errorf("Offer after Close: %v", err)
	}
}
