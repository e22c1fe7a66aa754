package bench

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/sim"
)

// TestBenchSimCard measures what the simulated sound card's clock costs
// on its own, to tell simulator overhead from the phone's: a loop that
// only reads and writes periods of a real-time card (8 kHz, ring of 3,
// as the simulator runs) on two Ps, as the handset runs, for 10 s. It
// keeps no playback lead: a wake a moment late is an underrun, counted
// but not what it measures. It writes simcard.md to HANDSET_BENCH_OUT.
func TestBenchSimCard(t *testing.T) {
	needBench(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const length = 10 * time.Second
	card := sim.NewSoundCard(sim.SoundConfig{Realtime: true, BufferPeriods: 3, Mic: sim.NewToneSource(8000, 1000, 0.3)}, hal.SystemClock{})
	defer card.Close()
	pcm, err := card.Open(hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 160)
	before, err := ReadProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(length); time.Now().Before(end); {
		if err := pcm.Read(buf); err != nil {
			t.Fatal(err)
		}
		if err := pcm.Write(buf); errors.Is(err, hal.ErrXrun) {
			pcm.Recover()
		} else if err != nil {
			t.Fatal(err)
		}
	}
	after, err := ReadProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	cpu := after.CPU - before.CPU
	writeOut(t, "simcard.md", fmt.Sprintf("| the simulated card's clock alone (read and write a period every 20 ms) | %.2f s in %v (%.2f %%), %d underruns (no lead kept) |\n",
		cpu.Seconds(), length, 100*cpu.Seconds()/length.Seconds(), card.Underruns()))
}
