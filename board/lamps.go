package board

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"handset/board/gpio"
	"handset/hal"
)

// Lamps drives the status LEDs (high = lit) and implements hal.Lamps. One
// timer on the injected clock runs every blinking LED: it fires at the
// next due toggle, never two callbacks at once, and stops while nothing
// blinks. A blink starts lit; LEDBlinkSlow toggles every 500 ms (1 s
// period), LEDBlinkFast every 125 ms (250 ms period). An LED with no line
// is ignored.
type Lamps struct {
	log *slog.Logger
	clk hal.Clock

	mu     sync.Mutex
	closed bool
	timer  hal.Timer
	lamps  map[hal.LED]*lamp
}

var _ hal.Lamps = (*Lamps)(nil)

// lamp is one fitted LED.
type lamp struct {
	line    gpio.Line
	pattern hal.LEDPattern
	lit     bool
	next    time.Time // the next toggle while blinking
	failing bool
}

// newLamps switches every fitted LED off; it owns the lines from then on.
func newLamps(lines map[hal.LED]gpio.Line, log *slog.Logger, clk hal.Clock) (*Lamps, error) {
	l := &Lamps{log: log, clk: clk, lamps: make(map[hal.LED]*lamp)}
	for led, line := range lines {
		if err := line.Output(false); err != nil {
			return nil, fmt.Errorf("%s LED: %w", led, err)
		}
		l.lamps[led] = &lamp{line: line}
	}
	return l, nil
}

// halfPeriod is how long a blinking LED stays lit (and dark).
func halfPeriod(p hal.LEDPattern) time.Duration {
	if p == hal.LEDBlinkFast {
		return 125 * time.Millisecond
	}
	return 500 * time.Millisecond
}

// SetLED implements hal.Lamps. Setting the pattern an LED already shows
// keeps its blink going undisturbed. An unknown LED or pattern is an error.
func (l *Lamps) SetLED(led hal.LED, p hal.LEDPattern) error {
	switch led {
	case hal.LEDRegistered, hal.LEDInCall, hal.LEDMessage, hal.LEDError:
	default:
		return fmt.Errorf("%w: %q", ErrUnknownLED, led)
	}
	if p < hal.LEDOff || p > hal.LEDBlinkFast {
		return fmt.Errorf("%w: %d", ErrBadPattern, p)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	lp := l.lamps[led]
	if lp == nil || (lp.pattern == p && !lp.failing) {
		return nil
	}
	now := l.clk.Now()
	lp.pattern = p
	lp.next = now.Add(halfPeriod(p))
	err := l.write(led, lp, p != hal.LEDOff)
	l.schedule(now)
	return err
}

// Close switches every LED off and releases the lines.
func (l *Lamps) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	if l.timer != nil {
		l.timer.Stop()
	}
	var errs []error
	for _, lp := range l.lamps {
		errs = append(errs, lp.line.Output(false), lp.line.Close())
	}
	return errors.Join(errs...)
}

// blink toggles every LED that is due and sets the timer for the next.
func (l *Lamps) blink() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	now := l.clk.Now()
	for led, lp := range l.lamps {
		if !blinking(lp.pattern) || now.Before(lp.next) {
			continue
		}
		lit := lp.lit
		for !now.Before(lp.next) { // more than one when the callback ran late
			lit = !lit
			lp.next = lp.next.Add(halfPeriod(lp.pattern))
		}
		_ = l.write(led, lp, lit) // logged in write
	}
	l.schedule(now)
}

// schedule arms the timer for the earliest toggle due, or stops it.
func (l *Lamps) schedule(now time.Time) {
	var first time.Time
	for _, lp := range l.lamps {
		if blinking(lp.pattern) && (first.IsZero() || lp.next.Before(first)) {
			first = lp.next
		}
	}
	switch {
	case first.IsZero():
		if l.timer != nil {
			l.timer.Stop()
		}
	case l.timer == nil:
		l.timer = l.clk.AfterFunc(first.Sub(now), l.blink)
	default:
		l.timer.Reset(first.Sub(now))
	}
}

// write drives one LED and logs when it starts or stops failing.
func (l *Lamps) write(led hal.LED, lp *lamp, lit bool) error {
	err := lp.line.Output(lit)
	switch {
	case err != nil && !lp.failing:
		l.log.Warn("lamps: LED write failed", "led", led, "err", err)
	case err == nil && lp.failing:
		l.log.Info("lamps: LED works again", "led", led)
	}
	lp.failing = err != nil
	if err != nil {
		return fmt.Errorf("%s LED: %w", led, err)
	}
	lp.lit = lit
	return nil
}

func blinking(p hal.LEDPattern) bool { return p == hal.LEDBlinkSlow || p == hal.LEDBlinkFast }
