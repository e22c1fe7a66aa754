package haltest

import (
	"sort"
	"sync"
	"time"

	"handset/hal"
)

// Clock is a hal.Clock whose time moves only on Advance. Timers and tickers
// fire in time order during Advance; AfterFunc callbacks run synchronously
// inside Advance, in order, so tests stay deterministic.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*fakeTimer
}

var _ hal.Clock = (*Clock)(nil)

// NewClock returns a fake clock set to start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now implements hal.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer implements hal.Clock.
func (c *Clock) NewTimer(d time.Duration) hal.Timer {
	t := &fakeTimer{c: c, ch: make(chan time.Time, 1)}
	c.arm(t, d)
	return t
}

// NewTicker implements hal.Clock.
func (c *Clock) NewTicker(d time.Duration) hal.Ticker {
	if d <= 0 {
		panic("haltest: non-positive ticker period")
	}
	t := &fakeTimer{c: c, ch: make(chan time.Time, 1), period: d}
	c.arm(t, d)
	return fakeTicker{t}
}

// AfterFunc implements hal.Clock.
func (c *Clock) AfterFunc(d time.Duration, f func()) hal.Timer {
	t := &fakeTimer{c: c, fn: f}
	c.arm(t, d)
	return t
}

// Advance moves time forward by d, firing every timer that falls due, in
// order of due time.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		t := c.nextDue(end)
		if t == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		c.now = t.when
		fire := t.when
		if t.period > 0 {
			t.when = t.when.Add(t.period)
			c.seq++
			t.seq = c.seq
		} else {
			c.remove(t)
		}
		c.mu.Unlock()
		if t.fn != nil {
			t.fn()
			continue
		}
		select {
		case t.ch <- fire:
		default: // like time.Ticker: drop a tick nobody read
		}
	}
}

// Pending reports how many timers and tickers are armed.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

func (c *Clock) arm(t *fakeTimer, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(t)
	t.when = c.now.Add(d)
	c.seq++
	t.seq = c.seq
	c.timers = append(c.timers, t)
}

func (c *Clock) nextDue(end time.Time) *fakeTimer {
	if len(c.timers) == 0 {
		return nil
	}
	sort.Slice(c.timers, func(i, j int) bool {
		a, b := c.timers[i], c.timers[j]
		if !a.when.Equal(b.when) {
			return a.when.Before(b.when)
		}
		return a.seq < b.seq
	})
	if t := c.timers[0]; !t.when.After(end) {
		return t
	}
	return nil
}

// remove drops t from the armed set and reports whether it was armed.
func (c *Clock) remove(t *fakeTimer) bool {
	for i, x := range c.timers {
		if x == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return true
		}
	}
	return false
}

type fakeTimer struct {
	c      *Clock
	ch     chan time.Time
	fn     func()
	period time.Duration
	when   time.Time
	seq    int
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	return t.c.remove(t)
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	active := t.c.remove(t)
	t.c.mu.Unlock()
	t.c.arm(t, d)
	return active
}

type fakeTicker struct{ t *fakeTimer }

func (k fakeTicker) C() <-chan time.Time { return k.t.ch }
func (k fakeTicker) Stop()               { k.t.Stop() }
