package sim

import (
	"time"

	"handset/hal"
)

// waiter blocks a stream's Read or Write until its schedule allows. One
// goroutine waits on a waiter at a time.
type waiter interface {
	// wait blocks until the deadline at, d from now (d > 0); it returns
	// false if the stream went away (its gone channel closed) meanwhile.
	// A period above zero says that at lies on a schedule of deadlines
	// that far apart, which the next waits will likely follow; zero says
	// at is a deadline of its own.
	wait(at time.Time, d, period time.Duration) bool
	// close ends a wait in progress and releases the waiter. It is called
	// once, with the card's lock held, right after gone is closed.
	close()
}

// newWaiter returns the waiter for a stream on clk: on the system clock
// of Linux, one that the kernel wakes to the nanosecond through the
// network poller (wait_linux.go); otherwise a timer of clk (the tests'
// fake clock).
func newWaiter(clk hal.Clock, gone <-chan struct{}) waiter {
	if _, system := clk.(hal.SystemClock); system {
		if w := newKernelWaiter(); w != nil {
			return w
		}
	}
	t := clk.NewTimer(time.Hour)
	t.Stop()
	return &clockWaiter{t: t, gone: gone}
}

// clockWaiter waits on a timer of the card's clock, set afresh for each
// wait.
type clockWaiter struct {
	t    hal.Timer
	gone <-chan struct{}
}

func (w *clockWaiter) wait(_ time.Time, d, _ time.Duration) bool {
	w.t.Reset(d)
	select {
	case <-w.t.C():
		return true
	case <-w.gone:
		w.t.Stop()
		return false
	}
}

func (w *clockWaiter) close() { w.t.Stop() }
