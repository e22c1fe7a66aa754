//go:build linux && (amd64 || arm || arm64)

package sim

import (
	"syscall"
	"testing"
	"time"

	"handset/hal"
)

// TestKernelWaiterSchedule drives the timerfd waiter on the system clock
// through deadlines on schedules: a steady run arms it once, a reader that
// comes periods late is neither woken before its deadline nor by the
// expiries it missed, and a new schedule, period or single deadline arms
// it afresh. Only lower bounds on time are checked: a busy machine may
// wake us late, never early.
func TestKernelWaiterSchedule(t *testing.T) {
	const period = 3 * time.Millisecond
	clk := hal.SystemClock{}
	w := newKernelWaiter()
	if w == nil {
		t.Skip("no timerfd here")
	}
	defer w.close()
	waited := 0
	// waitFor waits for deadline n of the schedule from start (if it
	// has not passed) and checks that it did not end early.
	waitFor := func(what string, start time.Time, n int, p time.Duration) {
		t.Helper()
		at := start.Add(time.Duration(n) * p)
		d := at.Sub(clk.Now())
		if d <= 0 {
			return // late already: the schedule goes on without a wait
		}
		waited++
		if !w.wait(at, d, p) {
			t.Fatalf("%s: deadline %d: the wait failed", what, n)
		}
		if early := at.Sub(clk.Now()); early > 0 {
			t.Fatalf("%s: deadline %d: woken %v early", what, n, early)
		}
	}
	wantArms := func(what string, want int) {
		t.Helper()
		if w.arms != want {
			t.Fatalf("%s: armed %d times, want %d", what, w.arms, want)
		}
	}

	start := clk.Now()
	for n := 1; n <= 30; n++ {
		waitFor("steady", start, n, period)
	}
	if waited == 0 {
		t.Skip("the machine is too busy to wait for anything")
	}
	wantArms("steady", 1)

	// Late by two and a half periods: expiries 31 and 32 come while
	// nobody reads; the wait for 33 must still last until 33, and the
	// one for 34 until 34.
	waitFor("before the pause", start, 31, period)
	time.Sleep(5 * period / 2)
	n := int(clk.Now().Sub(start)/period) + 1
	for k := n; k < n+3; k++ {
		waitFor("late", start, k, period)
	}
	wantArms("late", 1)

	// A new schedule half a period off the old one, as after Recover.
	restart := start.Add(time.Duration(n+3)*period + period/2)
	for k := 1; k <= 5; k++ {
		waitFor("restarted", restart, k, period)
	}
	wantArms("restarted", 2)

	// Another period on the same start: a schedule of its own.
	for k := 6; k <= 9; k++ {
		waitFor("half the period", restart, 2*k, period/2)
	}
	wantArms("half the period", 3)

	// Single deadlines arm each time; the schedule after them too.
	for k := 10; k <= 11; k++ {
		before := w.arms
		waitFor("single", restart, k, 0)
		waitFor("single", restart.Add(period/3), k, 0)
		if w.arms > before+2 {
			t.Fatalf("two single deadlines armed %d times", w.arms-before)
		}
	}
	before := w.arms
	for k := 12; k <= 14; k++ {
		waitFor("after single ones", restart, k, period)
	}
	if w.arms != before+1 {
		t.Fatalf("a schedule after single deadlines armed %d times, want 1", w.arms-before)
	}
}

// TestRealtimeCaptureArmsOnce reads a real-time card on the system clock:
// the card's clock is armed once for a steady run, also when the reader
// comes late, and once more after Recover. The schedule comes from the
// clock: the periods the microphone heard lie exactly a period apart, and
// no Read returns before its period was captured.
func TestRealtimeCaptureArmsOnce(t *testing.T) {
	const period = 4 * time.Millisecond
	clk := hal.SystemClock{}
	var heard periodLog
	c := NewSoundCard(SoundConfig{Realtime: true, OnCapture: heard.add}, clk)
	pcm, err := c.Open(hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 32, BufferFrames: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p := pcm.(*pcmStream)
	w, ok := p.capWait.(*kernelWaiter)
	if !ok {
		t.Skip("no timerfd here")
	}
	buf := make([]int16, 32)
	read := func(what string, periods int) {
		t.Helper()
		for range periods {
			if err := p.Read(buf); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			heard.mu.Lock()
			at := heard.at[len(heard.at)-1]
			heard.mu.Unlock()
			if early := at.Add(period).Sub(clk.Now()); early > 0 {
				t.Fatalf("%s: a period read %v before it was captured", what, early)
			}
		}
	}
	// checkGrid checks that reports from..to-1 lie a period apart.
	checkGrid := func(what string, from, to int) {
		t.Helper()
		heard.mu.Lock()
		defer heard.mu.Unlock()
		for i := from + 1; i < to; i++ {
			if d := heard.at[i].Sub(heard.at[i-1]); d != period {
				t.Fatalf("%s: period %d heard %v after the one before, want %v", what, i, d, period)
			}
		}
	}
	read("steady", 25)
	time.Sleep(5 * period / 2) // late: the next reads are due at once
	read("late", 10)
	checkGrid("steady and late", 0, 35)
	if w.arms != 1 {
		t.Fatalf("armed %d times in 35 periods, want once", w.arms)
	}
	if err := p.Recover(); err != nil {
		t.Fatal(err)
	}
	read("after Recover", 10)
	checkGrid("after Recover", 35, 45)
	heard.mu.Lock()
	restarted := heard.at[35].Sub(heard.at[34])
	heard.mu.Unlock()
	if restarted < period {
		t.Fatalf("after Recover the schedule went on (%v after the last period), want a new start", restarted)
	}
	if w.arms != 2 {
		t.Fatalf("armed %d times, want once more after Recover", w.arms)
	}
}

// BenchmarkRealtimeRead reads 1 ms periods from a real-time card on the
// system clock: the card's clock alone. cpu-ns/op is the process's CPU
// time (user and system) per period, which the wake-ups dominate.
func BenchmarkRealtimeRead(b *testing.B) {
	c := NewSoundCard(SoundConfig{Realtime: true}, hal.SystemClock{})
	p, err := c.Open(hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 8, BufferFrames: 16})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	buf := make([]int16, 8)
	var before, after syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &before); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := p.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &after); err != nil {
		b.Fatal(err)
	}
	cpu := after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}
