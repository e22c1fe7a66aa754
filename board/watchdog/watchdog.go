package watchdog

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"handset/hal"
)

// Timing of the watchdog.
const (
	// Timeout is the hardware timeout asked for: the board resets this
	// long after the last ping.
	Timeout = 10 * time.Second
	// PingEvery is how often the sources are checked and the device pinged.
	PingEvery = 2 * time.Second
)

// device is what the watchdog needs from the kernel's watchdog device.
type device interface {
	// SetTimeout asks for a timeout in seconds and returns the one granted
	// (0 if unknown). It reports ErrNotWatchdog for a device that is none.
	SetTimeout(seconds int) (granted int, err error)
	Keepalive() error
	// Write writes to the device; "V" arms the magic close.
	Write(p []byte) error
	Close() error
}

// Watchdog pings a hardware watchdog while every liveness source is alive.
// A nil *Watchdog is a watchdog that is switched off: Register returns a
// beat that does nothing and Close does nothing.
type Watchdog struct {
	log  *slog.Logger
	clk  hal.Clock
	dev  device
	name string
	base time.Time // beats are stored as time since base (monotonic)
	ping time.Duration

	mu       sync.Mutex
	closed   bool
	timer    hal.Timer
	sources  []*source
	failing  bool // the last keepalive failed
	starving bool // a source is stalled: not pinging
}

// source is one registered liveness source.
type source struct {
	name    string
	within  time.Duration
	last    atomic.Int64 // time since Watchdog.base of the last beat, ns
	stalled bool         // guarded by Watchdog.mu
}

// Open opens the watchdog device at path (e.g. /dev/watchdog), which
// starts it, sets its timeout to Timeout, pings it and keeps pinging it
// every PingEvery while the registered sources are alive.
func Open(path string, log *slog.Logger, clk hal.Clock) (*Watchdog, error) {
	dev, err := openDevice(path)
	if err != nil {
		return nil, err
	}
	return start(dev, path, log, clk)
}

// start sets dev up and starts pinging it.
func start(dev device, name string, log *slog.Logger, clk hal.Clock) (*Watchdog, error) {
	granted, err := dev.SetTimeout(int(Timeout / time.Second))
	if errors.Is(err, ErrNotWatchdog) {
		_ = dev.Close()
		return nil, err
	}
	if err != nil {
		log.Warn("watchdog: cannot set the timeout; keeping the device's", "device", name, "err", err)
	}
	timeout := time.Duration(granted) * time.Second
	if granted <= 0 {
		timeout = Timeout
	}
	w := &Watchdog{log: log, clk: clk, dev: dev, name: name, base: clk.Now(), ping: min(PingEvery, timeout/3)}
	if err := dev.Keepalive(); err != nil {
		_ = dev.Write([]byte("V"))
		_ = dev.Close()
		return nil, fmt.Errorf("watchdog: %s: ping: %w", name, err)
	}
	log.Info("watchdog: feeding", "device", name, "timeout", timeout, "ping", w.ping)
	w.mu.Lock()
	w.timer = clk.AfterFunc(w.ping, w.tick)
	w.mu.Unlock()
	return w, nil
}

// Register adds a liveness source called name that must beat at least once
// every within; it returns the beat function. The source counts as alive
// from the moment it is registered. Beat is safe from any goroutine and
// allocates nothing.
func (w *Watchdog) Register(name string, within time.Duration) (beat func()) {
	if w == nil {
		return func() {}
	}
	if within <= 0 {
		w.log.Warn("watchdog: liveness source without a deadline; using the hardware timeout", "source", name)
		within = Timeout
	}
	s := &source{name: name, within: within}
	s.last.Store(int64(w.since()))
	w.mu.Lock()
	w.sources = append(w.sources, s)
	w.mu.Unlock()
	return func() { s.last.Store(int64(w.since())) }
}

// Close stops pinging and closes the device with the magic character, so
// the board does not reset.
func (w *Watchdog) Close() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	w.timer.Stop()
	var errs []error
	if err := w.dev.Write([]byte("V")); err != nil {
		errs = append(errs, fmt.Errorf("watchdog: %s: magic close: %w", w.name, err))
	}
	if err := w.dev.Close(); err != nil {
		errs = append(errs, fmt.Errorf("watchdog: %s: close: %w", w.name, err))
	}
	if len(errs) == 0 {
		w.log.Info("watchdog: stopped", "device", w.name)
	}
	return errors.Join(errs...)
}

func (w *Watchdog) since() time.Duration { return w.clk.Now().Sub(w.base) }

// tick checks the sources and pings the device if they are all alive.
func (w *Watchdog) tick() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.timer.Reset(w.ping)
	now := w.since()
	alive := true
	for _, s := range w.sources {
		age := now - time.Duration(s.last.Load())
		stalled := age > s.within
		switch {
		case stalled && !s.stalled:
			w.log.Error("watchdog: liveness source stalled; not feeding the watchdog, the board will reset",
				"source", s.name, "silent", age.Round(time.Millisecond), "deadline", s.within)
		case !stalled && s.stalled:
			w.log.Warn("watchdog: liveness source alive again; feeding the watchdog", "source", s.name)
		}
		s.stalled = stalled
		alive = alive && !stalled
	}
	w.starving = !alive
	if !alive {
		return
	}
	err := w.dev.Keepalive()
	switch {
	case err != nil && !w.failing:
		w.log.Error("watchdog: ping failed", "device", w.name, "err", err)
	case err == nil && w.failing:
		w.log.Info("watchdog: ping works again", "device", w.name)
	}
	w.failing = err != nil
}
