package sipstack

import (
	"context"
	"errors"
	"testing"
	"time"

	"handset/hal"
)

func TestProbe(t *testing.T) {
	for _, listen := range []string{"127.0.0.1:0", "0.0.0.0:0"} {
		cfg := directConfig("alice")
		cfg.ListenAddr = listen
		u, err := New(cfg, testLogger(t, "alice"), hal.SystemClock{})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := u.Probe(ctx); !errors.Is(err, ErrNotRunning) {
			t.Fatalf("%s: probe before Run: %v, want ErrNotRunning", listen, err)
		}
		cancel()
		r := startUA(t, "alice", cfg, hal.SystemClock{})
		ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
		if err := r.Probe(ctx); err != nil {
			t.Fatalf("%s: probe of a running UA: %v", listen, err)
		}
		cancel()
		r.stop(t)
		if err := r.Probe(context.Background()); !errors.Is(err, ErrNotRunning) {
			t.Fatalf("%s: probe after stop: %v, want ErrNotRunning", listen, err)
		}
	}
}
