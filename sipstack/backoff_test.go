package sipstack

import (
	"testing"
	"time"
)

func TestBackoffSchedule(t *testing.T) {
	tests := []struct {
		name string
		rnd  float64 // 0 = −20 %, 0.5 = exact, 1 = +20 %
		want []time.Duration
	}{
		{"exact", 0.5, []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second,
			32 * time.Second, 64 * time.Second, 128 * time.Second, 256 * time.Second, 300 * time.Second, 300 * time.Second}},
		{"low", 0, []time.Duration{1600 * time.Millisecond, 3200 * time.Millisecond, 6400 * time.Millisecond}},
		{"high", 1, []time.Duration{2400 * time.Millisecond, 4800 * time.Millisecond, 9600 * time.Millisecond}},
	}
	for _, tc := range tests {
		b := newBackoff()
		b.rnd = func() float64 { return tc.rnd }
		for i, want := range tc.want {
			if got := b.next(); got != want {
				t.Errorf("%s #%d: %v, want %v", tc.name, i, got, want)
			}
		}
	}
}

func TestBackoffResetAndCap(t *testing.T) {
	b := newBackoff()
	b.rnd = func() float64 { return 0.5 }
	for i := 0; i < 100; i++ {
		if d := b.next(); d > backoffMax {
			t.Fatalf("#%d: %v over the cap", i, d)
		}
	}
	if d := b.next(); d != backoffMax {
		t.Errorf("capped delay %v", d)
	}
	b.reset()
	if d := b.next(); d != backoffMin {
		t.Errorf("after reset: %v, want %v", d, backoffMin)
	}
}

// With the real random source every delay stays within ±20 %.
func TestBackoffJitterBounds(t *testing.T) {
	b := newBackoff()
	for i := 0; i < 1000; i++ {
		b.reset()
		if d := b.next(); d < 1600*time.Millisecond || d > 2400*time.Millisecond {
			t.Fatalf("first delay %v out of 2 s ±20 %%", d)
		}
	}
}
