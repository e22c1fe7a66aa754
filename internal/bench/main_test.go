package bench

import (
	"os"
	"testing"

	"handset/internal/testpeer"
)

// The bench runs only when asked: it takes minutes and needs root (the
// wire capture), Kamailio, sipp and baresip. scripts/bench sets these.
const (
	// benchEnv=1 runs the bench.
	benchEnv = "HANDSET_BENCH"
	// outEnv names a directory for the Markdown tables.
	outEnv = "HANDSET_BENCH_OUT"
	// callEnv sets the length of the compared calls (default 60s).
	callEnv = "HANDSET_BENCH_CALL"
	// roundsEnv sets how many times each compared call is made (default
	// 1): the handset's and baresip's calls take turns, round by round.
	roundsEnv = "HANDSET_BENCH_ROUNDS"
	// profileEnv names a directory for the handset's CPU profiles; the
	// handset is then built with -tags pprof (its --cpuprofile).
	profileEnv = "HANDSET_BENCH_PROFILE"
	// binEnv names a handset binary to measure instead of building one
	// (scripts/bench builds it, then runs the bench as root).
	binEnv = "HANDSET_BENCH_BIN"
)

// handsetBin is the binary under test, built by TestMain for the bench.
var handsetBin string

func TestMain(m *testing.M) {
	if os.Getenv(benchEnv) != "1" {
		os.Exit(m.Run())
	}
	if handsetBin = os.Getenv(binEnv); handsetBin != "" {
		os.Exit(m.Run())
	}
	var tags []string
	if os.Getenv(profileEnv) != "" {
		tags = []string{"-tags", "pprof"}
	}
	os.Exit(testpeer.RunWithHandset(func(bin string) int {
		handsetBin = bin
		return m.Run()
	}, tags...))
}

// needBench skips a test unless the bench was asked for.
func needBench(t *testing.T) {
	t.Helper()
	if os.Getenv(benchEnv) != "1" {
		t.Skipf("the bench runs with %s=1 (scripts/bench)", benchEnv)
	}
}
