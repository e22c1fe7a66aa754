package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"testing"
	"time"

	"handset/config"
	"handset/hal"
	"handset/hal/sim"
)

// TestRestartWaitsForIdle: a new configuration from the server ends the
// phone (for the supervisor to restart it) only once the handset is down.
func TestRestartWaitsForIdle(t *testing.T) {
	clk := hal.SystemClock{}
	p := newSimParts(clk, sim.Silence{}, 8000, nil, nil)
	cfg := config.Default()
	cfg.Account.User = "1001"
	cfg.Account.LocalIP = netip.MustParseAddr("127.0.0.1")
	cfg.Account.LocalPort = 0
	restart := make(chan struct{})
	ready := make(chan struct{})
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		done <- runPhone(ctx, phoneOptions{
			Config: cfg, Parts: p.parts(), Clock: clk, Restart: restart,
			Log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
			Ready: func(netip.AddrPort) { close(ready) },
		})
	}()
	<-ready
	p.Lift()
	time.Sleep(100 * time.Millisecond) // let call control take the handset
	close(restart)
	select {
	case err := <-done:
		t.Fatalf("phone stopped with the handset up: %v", err)
	case <-time.After(1500 * time.Millisecond):
	}
	p.Hang()
	select {
	case err := <-done:
		if !errors.Is(err, errConfigChanged) {
			t.Fatalf("runPhone: %v, want errConfigChanged", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("phone did not stop once idle")
	}
}
