package sipstack

import (
	"testing"
	"time"
)

func TestEventQueueOrderAndOverflow(t *testing.T) {
	q := newEventQueue()
	for i := 0; i < maxQueuedEvents; i++ {
		if !q.push(DTMF{Digit: rune(i)}) {
			t.Fatalf("push %d refused", i)
		}
	}
	if q.push(DTMF{}) {
		t.Fatal("push past the bound accepted")
	}
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		q.pump(quit)
		close(done)
	}()
	for i := 0; i < maxQueuedEvents; i++ {
		select {
		case ev := <-q.out:
			if d := ev.(DTMF); d.Digit != rune(i) {
				t.Fatalf("event %d out of order: %v", i, d.Digit)
			}
		case <-time.After(eventTimeout):
			t.Fatal("pump stalled")
		}
	}
	q.push(Ended{CallID: "x"})
	close(quit)
	<-done
	q.flush()
	var rest []Event
	for ev := range q.out {
		rest = append(rest, ev)
	}
	if len(rest) > 1 {
		t.Errorf("flush delivered %d events", len(rest))
	}
}
