package main

import "runtime"

// tuneRuntime fits the Go runtime to a phone, whose work is a 20 ms
// period every 20 ms, some SIP now and then, and almost no allocation.
// getenv reads the environment (os.Getenv).
//
//   - One P, unless GOMAXPROCS says otherwise: the pump, the RTP receive
//     and the timers then hand work to each other on one thread instead
//     of waking idle threads for it; scripts/bench measured a fifth less
//     CPU in a call. The pump's card buffer leaves it periods to be late
//     in, and a Pi Zero has one core anyway.
//   - No memory profiling: linking runtime/pprof (for --cpuprofile)
//     turns it on, and its sampled stacks cost memory and time for
//     nothing here.
func tuneRuntime(getenv func(string) string) {
	runtime.MemProfileRate = 0
	if getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}
