package main

import (
	"runtime"
	"testing"
)

func TestTuneRuntime(t *testing.T) {
	procs, rate := runtime.GOMAXPROCS(0), runtime.MemProfileRate
	t.Cleanup(func() {
		runtime.GOMAXPROCS(procs)
		runtime.MemProfileRate = rate
	})
	tests := []struct {
		env       string
		wantProcs int
	}{
		{"", 2},      // not set: two Ps
		{"3", procs}, // set: the runtime already obeyed it
	}
	for i, tc := range tests {
		runtime.GOMAXPROCS(procs)
		tuneRuntime(func(string) string { return tc.env })
		if got := runtime.GOMAXPROCS(0); got != tc.wantProcs {
			t.Errorf("#%d GOMAXPROCS=%q: %d Ps, want %d", i, tc.env, got, tc.wantProcs)
		}
		if runtime.MemProfileRate != 0 {
			t.Errorf("#%d: memory profiling still on (rate %d)", i, runtime.MemProfileRate)
		}
	}
}
