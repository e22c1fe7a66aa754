//go:build pprof

package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
)

// This file is built only with -tags pprof (scripts/bench with
// HANDSET_BENCH_PROFILE): runtime/pprof costs the shipped binary
// 0.12-0.2 MB (by architecture) for nothing a phone does.

// cpuProfileFlag registers --cpuprofile on fs, into path.
func cpuProfileFlag(fs *flag.FlagSet, path *string) {
	fs.StringVar(path, "cpuprofile", "", "write a CPU profile to this file (for developers)")
}

// startCPUProfile profiles the process into path until the returned
// function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
