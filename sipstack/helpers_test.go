package sipstack

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"handset/hal"
)

// Generous real-time bounds: these tests run on busy 2-core machines.
const (
	eventTimeout = 10 * time.Second
	quietPeriod  = 300 * time.Millisecond
)

// testWriter sends log lines to t.Log until the test is over.
type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func testLogger(t testing.TB, name string) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})).With("ua", name)
}

// runningUA is a UA whose Run goroutine the test controls.
type runningUA struct {
	*UA
	cancel context.CancelFunc
	done   chan error
}

// startUA runs a UA until stop (or the end of the test).
func startUA(t testing.TB, name string, cfg Config, clk hal.Clock) *runningUA {
	t.Helper()
	u, err := New(cfg, testLogger(t, name), clk)
	if err != nil {
		t.Fatalf("New(%s): %v", name, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &runningUA{UA: u, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- u.Run(ctx) }()
	select {
	case <-u.Ready():
	case err := <-r.done:
		t.Fatalf("Run(%s) ended before Ready: %v", name, err)
	case <-time.After(eventTimeout):
		t.Fatalf("Run(%s) not ready", name)
	}
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels Run and waits for it to return.
func (r *runningUA) stop(t testing.TB) {
	t.Helper()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if !ok {
			return // stopped before
		}
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		close(r.done)
	case <-time.After(eventTimeout):
		t.Fatalf("Run did not return after cancel")
	}
}

// waitFor returns the next event of type T, logging the ones it skips.
func waitFor[T Event](t testing.TB, u *UA) T {
	t.Helper()
	deadline := time.After(eventTimeout)
	for {
		select {
		case ev, ok := <-u.Events():
			if !ok {
				var zero T
				t.Fatalf("event channel closed while waiting for %T", zero)
			}
			if e, ok := ev.(T); ok {
				return e
			}
			t.Logf("skipping event %T %+v", ev, ev)
		case <-deadline:
			var zero T
			t.Fatalf("no %T event within %v", zero, eventTimeout)
		}
	}
}

// noEvent checks that no event of type T shows up for a short while.
func noEvent[T Event](t testing.TB, u *UA, d time.Duration) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev := <-u.Events():
			if _, ok := ev.(T); ok {
				t.Fatalf("unexpected %T event: %+v", ev, ev)
			}
			t.Logf("skipping event %T %+v", ev, ev)
		case <-deadline:
			return
		}
	}
}

// freeUDPPort returns a loopback port nobody listens on right now, below
// the kernel's ephemeral range so that other programs' sockets do not grab
// it before the peer we start binds it.
func freeUDPPort(t testing.TB, ip string) int {
	t.Helper()
	for i := 0; i < 100; i++ {
		port := 20000 + rand.IntN(12000)
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(ip), Port: port})
		if err == nil {
			c.Close()
			return port
		}
	}
	t.Fatal("no free UDP port")
	return 0
}

// checkGoroutines waits until no more goroutines run than before.
func checkGoroutines(t testing.TB, before int) {
	t.Helper()
	deadline := time.Now().Add(eventTimeout)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines left, had %d before:\n%s", n, before, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func testSDP(tag string) []byte {
	return []byte(fmt.Sprintf("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=%s\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n", tag))
}
