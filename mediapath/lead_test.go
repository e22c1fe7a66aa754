package mediapath

import (
	"math"
	"testing"
)

// TestLeadControl drives the control with the queue a card would show
// and checks the lead it keeps (8 kHz: 8 frames per ms, 160 per period, a
// ring of 480).
func TestLeadControl(t *testing.T) {
	const ms = 8
	tests := []struct {
		name string
		// late is how late the pump wakes each period, in frames; the
		// sequence repeats.
		late     []int
		quiet    bool
		periods  int
		wantLead int // frames, at the end
		wantMax  int // the lead never exceeds this after the first second
	}{
		{"on time, quiet: shrinks to the minimum", []int{0}, true, 100, 4 * ms, 40 * ms},
		{"on time, never quiet: shrinks after waiting", []int{0}, false, 200, 4 * ms, 40 * ms},
		{"1 ms late now and then: minimum still covers it", []int{0, 0, 0, 1 * ms}, true, 200, 4 * ms, 40 * ms},
		{"10 ms late now and then: 1.5x plus the guard", []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 10 * ms}, true, 400, 17 * ms, 40 * ms},
		{"30 ms late: capped at the ring less a period", []int{0, 30 * ms}, true, 100, 40 * ms, 40 * ms},
	}
	silent, loud := make([]int16, 160), make([]int16, 160)
	for i := range loud {
		loud[i] = 8000
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			period := loud
			if tc.quiet {
				period = silent
			}
			l := newLeadControl(8000, 160, 480)
			queue := l.prime() // frames queued after the priming write, less the period
			if queue != 40*ms {
				t.Fatalf("primed with %d frames, want %d", queue, 40*ms)
			}
			for i := 0; i < tc.periods; i++ {
				late := tc.late[i%len(tc.late)]
				adj := l.next(queue-late, period)
				queue += adj
				if queue-late < 0 {
					t.Fatalf("period %d: ran dry (queue %d, late %d)", i, queue, late)
				}
			}
			if l.base != tc.wantLead || queue != tc.wantLead {
				t.Errorf("lead %d frames (queue %d), want %d", l.base, queue, tc.wantLead)
			}
		})
	}
}

// TestLeadGrowsAtOnce: a pump late by more than the lead asks for makes
// the lead grow in the very period it shows, and it stays until a quiet
// window has passed.
func TestLeadGrowsAtOnce(t *testing.T) {
	const ms = 8
	silent := make([]int16, 160)
	l := newLeadControl(8000, 160, 480)
	queue := l.prime()
	for i := 0; i < 100; i++ { // settle at the minimum
		queue += l.next(queue, silent)
	}
	if queue != 4*ms {
		t.Fatalf("settled at %d frames, want %d", queue, 4*ms)
	}
	adj := l.next(queue-3*ms, silent) // 3 ms late: wants 3*1.5+2 = 6.5 ms
	if want := 52 - 4*ms; adj != want {
		t.Fatalf("grew by %d frames, want %d", adj, want)
	}
	queue += adj
	for i := 0; i < leadWindow; i++ {
		queue += l.next(queue, silent)
	}
	if queue != 52 {
		t.Fatalf("after one window the lead is %d frames, want it kept at 52", queue)
	}
	for i := 0; i < leadWindow+1; i++ {
		queue += l.next(queue, silent)
	}
	if queue != 4*ms {
		t.Fatalf("after two calm windows the lead is %d frames, want %d", queue, 4*ms)
	}
	if l.lateCount != 1 || l.worstEver != 3*ms {
		t.Errorf("late %d, worst %d; want 1, %d", l.lateCount, l.worstEver, 3*ms)
	}
}

// TestLeadRestart: after an xrun the lead starts again at least as long
// as the one the pump overran.
func TestLeadRestart(t *testing.T) {
	silent := make([]int16, 160)
	l := newLeadControl(8000, 160, 480)
	queue := l.prime()
	for i := 0; i < 100; i++ {
		queue += l.next(queue, silent)
	}
	before := l.base
	l.restart()
	if l.started {
		t.Fatal("still started after restart")
	}
	if got := l.prime(); got <= before {
		t.Fatalf("primed with %d frames after an xrun at a lead of %d", got, before)
	}
}

// TestSpliceFrames checks lengths, continuity at both ends and the cross
// fade on a sine, for mono and stereo, longer and shorter.
func TestSpliceFrames(t *testing.T) {
	const frames, splice = 160, 20
	for _, ch := range []int{1, 2} {
		for _, adj := range []int{-40, -1, 0, 1, 40, 140, -150} {
			src := make([]int16, frames*ch)
			for i := 0; i < frames; i++ {
				v := int16(8000 * math.Sin(2*math.Pi*float64(i)/32))
				for c := 0; c < ch; c++ {
					src[i*ch+c] = v
				}
			}
			dst := make([]int16, 2*frames*ch)
			n := spliceFrames(dst, src, ch, adj, splice)
			want := (frames + adj) * ch
			if k := max(adj, -adj); k+splice > frames {
				want = frames * ch // too large to splice: the period as it is
			}
			if n != want {
				t.Errorf("ch %d adj %d: %d samples, want %d", ch, adj, n, want)
				continue
			}
			out := dst[:n]
			if out[0] != src[0] || out[n-1] != src[len(src)-1] {
				t.Errorf("ch %d adj %d: ends %d…%d, want %d…%d", ch, adj, out[0], out[n-1], src[0], src[len(src)-1])
			}
			// No step larger than the sine's own largest step plus the
			// fade's share: the seam does not click.
			for i := ch; i < n; i++ {
				if d := int(out[i]) - int(out[i-ch]); d > 2000 || d < -2000 {
					t.Errorf("ch %d adj %d: step of %d at sample %d", ch, adj, d, i)
					break
				}
			}
		}
	}
}

func TestSpliceFramesDoesNotAllocate(t *testing.T) {
	src := make([]int16, 960*2)
	dst := make([]int16, 2*960*2)
	allocs := testing.AllocsPerRun(100, func() {
		spliceFrames(dst, src, 2, 120, 120)
		spliceFrames(dst, src, 2, -120, 120)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per splice", allocs)
	}
}
