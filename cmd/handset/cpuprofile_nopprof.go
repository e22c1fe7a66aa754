//go:build !pprof

package main

import (
	"errors"
	"flag"
)

// errNoProfiler reports --cpuprofile given to a binary built without the
// profiler.
var errNoProfiler = errors.New("this binary has no profiler: build it with -tags pprof")

// cpuProfileFlag registers --cpuprofile on fs, into path. The shipped
// binary leaves runtime/pprof out, so the flag only says how to get it.
func cpuProfileFlag(fs *flag.FlagSet, path *string) {
	fs.StringVar(path, "cpuprofile", "", "write a CPU profile to this file (for developers; needs a build with -tags pprof)")
}

// startCPUProfile fails: see errNoProfiler.
func startCPUProfile(string) (func(), error) { return nil, errNoProfiler }
