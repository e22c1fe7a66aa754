package haltest

import (
	"testing"
	"time"
)

func TestClockFiresInOrder(t *testing.T) {
	start := time.Unix(1000, 0)
	c := NewClock(start)
	var order []string
	c.AfterFunc(30*time.Millisecond, func() { order = append(order, "b") })
	c.AfterFunc(10*time.Millisecond, func() { order = append(order, "a") })
	stopped := c.AfterFunc(20*time.Millisecond, func() { order = append(order, "never") })
	if !stopped.Stop() {
		t.Fatal("Stop on an armed timer reported inactive")
	}
	tm := c.NewTimer(25 * time.Millisecond)
	c.Advance(20 * time.Millisecond)
	if len(order) != 1 || order[0] != "a" {
		t.Fatalf("after 20ms: %v, want [a]", order)
	}
	select {
	case <-tm.C():
		t.Fatal("timer fired early")
	default:
	}
	c.Advance(10 * time.Millisecond)
	if got := <-tm.C(); !got.Equal(start.Add(25 * time.Millisecond)) {
		t.Fatalf("timer fired at %v", got)
	}
	if len(order) != 2 || order[1] != "b" {
		t.Fatalf("order %v, want [a b]", order)
	}
	if c.Pending() != 0 {
		t.Fatalf("pending %d, want 0", c.Pending())
	}
}

func TestTickerAndReset(t *testing.T) {
	c := NewClock(time.Unix(0, 0))
	tk := c.NewTicker(20 * time.Millisecond)
	n := 0
	for i := 0; i < 5; i++ {
		c.Advance(20 * time.Millisecond)
		select {
		case <-tk.C():
			n++
		default:
		}
	}
	if n != 5 {
		t.Fatalf("ticks %d, want 5", n)
	}
	tk.Stop()
	tm := c.NewTimer(time.Second)
	c.Advance(900 * time.Millisecond)
	if !tm.Reset(time.Second) {
		t.Fatal("Reset on armed timer reported inactive")
	}
	c.Advance(900 * time.Millisecond)
	select {
	case <-tm.C():
		t.Fatal("reset timer fired at the old deadline")
	default:
	}
	c.Advance(100 * time.Millisecond)
	select {
	case <-tm.C():
	default:
		t.Fatal("reset timer did not fire")
	}
}
