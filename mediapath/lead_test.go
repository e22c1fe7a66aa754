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
		local    bool // only local tones play: no insisting
		periods  int
		wantLead int // frames, at the end
		wantMax  int // the lead never exceeds this after the first second
	}{
		{"on time, quiet: shrinks to the minimum", []int{0}, true, false, 100, 4 * ms, 40 * ms},
		{"on time, never quiet: shrinks after waiting", []int{0}, false, false, 200, 4 * ms, 40 * ms},
		{"a local tone, never quiet: never spliced", []int{0}, false, true, 200, 40 * ms, 40 * ms},
		{"a local tone, quiet: shrinks", []int{0}, true, true, 100, 4 * ms, 40 * ms},
		{"1 ms late now and then: minimum still covers it", []int{0, 0, 0, 1 * ms}, true, false, 200, 4 * ms, 40 * ms},
		{"10 ms late now and then: 1.5x plus the guard", []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 10 * ms}, true, false, 400, 17 * ms, 40 * ms},
		{"30 ms late: capped at the ring less a period", []int{0, 30 * ms}, true, false, 100, 40 * ms, 40 * ms},
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
				adj := l.next(queue-late, period, !tc.local)
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
		queue += l.next(queue, silent, true)
	}
	if queue != 4*ms {
		t.Fatalf("settled at %d frames, want %d", queue, 4*ms)
	}
	adj := l.next(queue-3*ms, silent, true) // 3 ms late: wants 3*1.5+2 = 6.5 ms
	if want := 52 - 4*ms; adj != want {
		t.Fatalf("grew by %d frames, want %d", adj, want)
	}
	queue += adj
	for i := 0; i < leadWindow; i++ {
		queue += l.next(queue, silent, true)
	}
	if queue != 52 {
		t.Fatalf("after one window the lead is %d frames, want it kept at 52", queue)
	}
	for i := 0; i < leadWindow+1; i++ {
		queue += l.next(queue, silent, true)
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
		queue += l.next(queue, silent, true)
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

// TestAlignShift splices steady tones, shorter and longer: at the shift
// alignShift picks, the two cross-faded stretches of a sine are in phase
// (the seam neither dips nor steps), and for any signal they match at
// least as well as at the shift asked for. Silence keeps the shift asked.
func TestAlignShift(t *testing.T) {
	tone := func(rate, frames, ch int, hz ...float64) []int16 {
		src := make([]int16, frames*ch)
		for i := 0; i < frames; i++ {
			var v float64
			for _, f := range hz {
				v += 6000 * math.Sin(2*math.Pi*f*float64(i)/float64(rate))
			}
			for c := 0; c < ch; c++ {
				src[i*ch+c] = int16(v)
			}
		}
		return src
	}
	// mismatch is how far apart the stretches cross-faded at shift j are.
	mismatch := func(src []int16, ch, j, splice int) float64 {
		var d float64
		for i := 0; i < splice; i++ {
			x := float64(src[i*ch]) - float64(src[(i+j)*ch])
			d += x * x
		}
		return d
	}
	tests := []struct {
		name             string
		rate, frames, ch int
		hz               []float64
		sine             bool
	}{
		{"1 kHz at 8 kHz", 8000, 160, 1, []float64{1000}, true},
		{"1 kHz at 48 kHz stereo", 48000, 960, 2, []float64{1000}, true},
		{"dial tone at 16 kHz", 16000, 320, 1, []float64{350, 440}, false},
		{"dial tone at 48 kHz stereo", 48000, 960, 2, []float64{350, 440}, false},
	}
	for _, tc := range tests {
		src := tone(tc.rate, tc.frames, tc.ch, tc.hz...)
		splice := tc.rate * 25 / 10000 // 2.5 ms
		for _, adj := range []int{-37, 37, -101, 101, -(tc.frames - splice), tc.frames / 3} {
			got := alignShift(src, tc.ch, adj, splice)
			k, g := max(adj, -adj), max(got, -got)
			if got*adj <= 0 || g > k || g < k/2 {
				t.Errorf("%s adj %d: shift %d, want the same sign and %d–%d frames", tc.name, adj, got, k/2, k)
				continue
			}
			if m, asked := mismatch(src, tc.ch, g, splice), mismatch(src, tc.ch, k, splice); m > asked {
				t.Errorf("%s adj %d: shift %d matches worse (%.0f) than the shift asked for (%.0f)", tc.name, adj, got, m, asked)
			}
			if cycle := tc.rate / int(tc.hz[0]); !tc.sine || k/cycle*cycle < k/2 {
				continue // no whole number of cycles within reach
			}
			// In phase: the output is the sine itself, give or take rounding.
			dst := make([]int16, 2*len(src))
			n := spliceFrames(dst, src, tc.ch, got, splice)
			ref := tone(tc.rate, n/tc.ch, tc.ch, tc.hz...)
			for i := 0; i < n; i++ {
				if d := int(dst[i]) - int(ref[i]); d > 600 || d < -600 {
					t.Errorf("%s adj %d (shift %d): sample %d is %d, the sine %d", tc.name, adj, got, i, dst[i], ref[i])
					break
				}
			}
		}
	}
	silent := make([]int16, 160)
	for _, adj := range []int{-40, 0, 40} {
		if got := alignShift(silent, 1, adj, 20); got != adj {
			t.Errorf("silence, adj %d: shift %d", adj, got)
		}
	}
}
