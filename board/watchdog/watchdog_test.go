package watchdog

import (
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"handset/hal/haltest"
)

// fakeDevice records what the watchdog does to the device.
type fakeDevice struct {
	mu         sync.Mutex
	granted    int
	setErr     error
	pingErr    error
	asked      int
	keepalives int
	written    string
	closed     bool
}

func (d *fakeDevice) SetTimeout(s int) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.asked = s
	return d.granted, d.setErr
}

func (d *fakeDevice) Keepalive() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pingErr != nil {
		return d.pingErr
	}
	d.keepalives++
	return nil
}

func (d *fakeDevice) Write(p []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.written += string(p)
	return nil
}

func (d *fakeDevice) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	return nil
}

func (d *fakeDevice) pings() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.keepalives
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func startFake(t *testing.T, dev *fakeDevice) (*Watchdog, *haltest.Clock) {
	t.Helper()
	clk := haltest.NewClock(time.Unix(0, 0))
	w, err := start(dev, "fake", quiet(), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, clk
}

// run advances clk by total in 100 ms steps, calling each beat after every step.
func run(clk *haltest.Clock, total time.Duration, beats ...func()) {
	for range total / (100 * time.Millisecond) {
		clk.Advance(100 * time.Millisecond)
		for _, b := range beats {
			b()
		}
	}
}

func TestFeedsWhileSourcesBeat(t *testing.T) {
	dev := &fakeDevice{granted: 10}
	w, clk := startFake(t, dev)
	if dev.asked != 10 || dev.pings() != 1 {
		t.Fatalf("open: asked %d s, %d pings; want 10 s and one ping", dev.asked, dev.pings())
	}
	pump := w.Register("pump", 200*time.Millisecond)
	sip := w.Register("sip", 5*time.Second)
	run(clk, 10*time.Second, pump, sip)
	if got := dev.pings(); got != 1+5 { // one at open, one every 2 s
		t.Fatalf("pings %d, want 6", got)
	}
}

func TestStopsFeedingWhenOneStalls(t *testing.T) {
	dev := &fakeDevice{granted: 10}
	w, clk := startFake(t, dev)
	pump := w.Register("pump", time.Second)
	w.Register("sip", 3*time.Second) // never beats after registering

	run(clk, 2*time.Second, pump) // sip silent 2 s: within its 3 s
	if got := dev.pings(); got != 2 {
		t.Fatalf("pings %d after 2 s, want 2", got)
	}
	run(clk, 8*time.Second, pump) // the pump beats on; sip stays silent
	if got := dev.pings(); got != 2 {
		t.Fatalf("pings %d while sip stalled, want still 2", got)
	}
	w.mu.Lock()
	starving := w.starving
	w.mu.Unlock()
	if !starving {
		t.Fatal("watchdog does not know it is starving")
	}
}

func TestRecoveredSourceResumesFeeding(t *testing.T) {
	dev := &fakeDevice{granted: 10}
	w, clk := startFake(t, dev)
	scan := w.Register("input", time.Second)
	clk.Advance(2 * time.Second) // silent 2 s > 1 s: no ping
	if got := dev.pings(); got != 1 {
		t.Fatalf("pings %d, want 1", got)
	}
	scan()
	clk.Advance(2 * time.Second) // silent exactly 2 s again
	scan()
	clk.Advance(1900 * time.Millisecond)
	scan()
	clk.Advance(100 * time.Millisecond) // check at 6 s: last beat 100 ms ago
	if got := dev.pings(); got != 2 {
		t.Fatalf("pings %d after recovery, want 2", got)
	}
}

func TestMagicClose(t *testing.T) {
	dev := &fakeDevice{granted: 10}
	clk := haltest.NewClock(time.Unix(0, 0))
	w, err := start(dev, "fake", quiet(), clk)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if dev.written != "V" || !dev.closed {
		t.Fatalf("close wrote %q, closed %v; want \"V\" and closed", dev.written, dev.closed)
	}
	if err := w.Close(); err != nil || dev.written != "V" {
		t.Fatalf("second close: %v, wrote %q", err, dev.written)
	}
	clk.Advance(10 * time.Second)
	if got := dev.pings(); got != 1 {
		t.Fatalf("pings %d after close, want only the one at open", got)
	}
	if clk.Pending() != 0 {
		t.Fatalf("%d timers left after close", clk.Pending())
	}
}

func TestOpenErrors(t *testing.T) {
	clk := haltest.NewClock(time.Unix(0, 0))
	dev := &fakeDevice{setErr: ErrNotWatchdog}
	if _, err := start(dev, "fake", quiet(), clk); !errors.Is(err, ErrNotWatchdog) || !dev.closed || dev.written != "" {
		t.Fatalf("not a watchdog: err %v, closed %v, wrote %q", err, dev.closed, dev.written)
	}
	dev = &fakeDevice{pingErr: errors.New("boom")}
	if _, err := start(dev, "fake", quiet(), clk); err == nil || !dev.closed || dev.written != "V" {
		t.Fatalf("failed ping: err %v, closed %v, wrote %q; want error and magic close", err, dev.closed, dev.written)
	}
	// A device that refuses the timeout still runs, on its own timeout.
	dev = &fakeDevice{granted: 3, setErr: errors.New("not supported")}
	w, err := start(dev, "fake", quiet(), clk)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.ping != time.Second {
		t.Fatalf("ping every %v for a 3 s device, want 1 s", w.ping)
	}
}

func TestNilWatchdogIsOff(t *testing.T) {
	var w *Watchdog
	w.Register("pump", time.Second)()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestBeatAllocatesNothing(t *testing.T) {
	dev := &fakeDevice{granted: 10}
	w, _ := startFake(t, dev)
	beat := w.Register("pump", time.Second)
	if n := testing.AllocsPerRun(100, beat); n != 0 {
		t.Fatalf("beat allocates %v times", n)
	}
}
