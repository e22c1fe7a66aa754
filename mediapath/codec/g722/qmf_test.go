package g722

import "testing"

// qmfTaps are the 24 coefficients h0..h23 of the G.722 quadrature mirror
// filters, scaled by 2^13 (symmetric: h[i] == h[23-i]).
var qmfTaps = [24]int32{
	3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
	3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3,
}

// TestQMFTaps pushes an impulse through each phase of the delay line and
// reads the taps back from its sums, across a wrap of the ring.
func TestQMFTaps(t *testing.T) {
	for i := range 24 {
		if qmfTaps[i] != qmfTaps[23-i] {
			t.Fatalf("h%d = %d but h%d = %d", i, qmfTaps[i], 23-i, qmfTaps[23-i])
		}
	}
	for _, start := range []int{0, 5, 11} {
		var q qmf
		for range start {
			q.push(0, 0)
		}
		for j := range 12 {
			var x0, x1 int32
			if j == 0 {
				x0, x1 = 1, 1000
			}
			even, odd := q.push(x0, x1)
			// The impulse is j pairs old: it meets taps h(22-2j), h(23-2j).
			if want := qmfTaps[22-2*j]; even != want {
				t.Errorf("start %d, pair %d: even sum %d, want h%d = %d", start, j, even, 22-2*j, want)
			}
			if want := 1000 * qmfTaps[23-2*j]; odd != want {
				t.Errorf("start %d, pair %d: odd sum %d, want 1000*h%d = %d", start, j, odd, 23-2*j, want)
			}
		}
		if even, odd := q.push(0, 0); even != 0 || odd != 0 {
			t.Errorf("start %d: the impulse is still in the line after 12 pairs: %d, %d", start, even, odd)
		}
	}
}
