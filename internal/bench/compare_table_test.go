package bench

import (
	"testing"
	"time"
)

func TestMedianCallAndRatios(t *testing.T) {
	calls := func(cpus ...time.Duration) []figures {
		var fs []figures
		for _, c := range cpus {
			fs = append(fs, figures{cpu: c})
		}
		return fs
	}
	medians := []struct {
		calls []figures
		want  time.Duration
	}{
		{calls(5), 5},
		{calls(9, 1, 5), 5},
		{calls(4, 1, 3, 2), 2},
	}
	for _, tc := range medians {
		if got := medianCall(tc.calls).cpu; got != tc.want {
			t.Errorf("medianCall(%v): CPU %v, want %v", tc.calls, got, tc.want)
		}
	}
	texts := []struct {
		r    []float64
		want string
	}{
		{[]float64{0.5}, "0.50×"},
		{[]float64{0.62, 0.45, 0.55}, "0.55× (rounds: 0.62, 0.45, 0.55)"},
		{[]float64{0.6, 0.4}, "0.40× (rounds: 0.60, 0.40)"},
	}
	for _, tc := range texts {
		if got := ratios(tc.r); got != tc.want {
			t.Errorf("ratios(%v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}
