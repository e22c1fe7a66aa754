package main

import "runtime"

// tuneRuntime fits the Go runtime to a phone, whose work is a 20 ms
// period every 20 ms, some SIP now and then, and almost no allocation.
// getenv reads the environment (os.Getenv).
//
//   - Two Ps, unless GOMAXPROCS says otherwise, whatever the number of
//     cores: the pump never waits for a P while one other goroutine runs
//     or sits in a system call. With one P a goroutine busy allocating
//     held the pump off for Go's 10 ms time slices (up to 40 ms late, a
//     period missed in 250); with two, even on one core (a Pi Zero), the
//     kernel runs the pump's thread when it wakes: 3–9 ms at worst, none
//     missed (mediapath's TestPumpUnderGCLoad). A call costs no more CPU
//     than with one P: the pump does a period's work on its own.
//   - No memory profiling: linking runtime/pprof (for --cpuprofile)
//     turns it on, and its sampled stacks cost memory and time for
//     nothing here.
func tuneRuntime(getenv func(string) string) {
	runtime.MemProfileRate = 0
	if getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(2)
	}
}
