package sim

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/haltest"
	"handset/wav"
)

var narrowband = hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 640}

func TestOpenNegotiates(t *testing.T) {
	tests := []struct {
		name     string
		rates    []int
		channels []int
		want     hal.PCMFormat
		got      hal.PCMFormat
	}{
		{"exact", []int{8000}, []int{1}, narrowband, narrowband},
		{"defaults", nil, nil, hal.PCMFormat{}, hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 640}},
		{"48k stereo only", []int{48000}, []int{2}, narrowband, hal.PCMFormat{Rate: 48000, Channels: 2, PeriodFrames: 960, BufferFrames: 3840}},
		{"closest above", []int{48000, 16000, 44100}, []int{2, 1}, narrowband, hal.PCMFormat{Rate: 16000, Channels: 1, PeriodFrames: 320, BufferFrames: 1280}},
		{"highest when none above", []int{8000, 11025}, []int{1}, hal.PCMFormat{Rate: 16000, Channels: 2, PeriodFrames: 320}, hal.PCMFormat{Rate: 11025, Channels: 1, PeriodFrames: 220, BufferFrames: 880}},
		{"buffer rounds up, at least two periods", []int{8000}, []int{1}, hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 100}, hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 320}},
		{"buffer of 2.5 periods", []int{8000}, []int{1}, hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 400}, hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 480}},
	}
	for _, tc := range tests {
		c := NewSoundCard(SoundConfig{Rates: tc.rates, Channels: tc.channels}, haltest.NewClock(time.Unix(0, 0)))
		p, err := c.Open(tc.want)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := p.Format(); got != tc.got {
			t.Errorf("%s: granted %+v, want %+v", tc.name, got, tc.got)
		}
		p.Close()
	}
}

func TestOpenRejects(t *testing.T) {
	clk := haltest.NewClock(time.Unix(0, 0))
	if _, err := NewSoundCard(SoundConfig{Rates: []int{0}}, clk).Open(narrowband); err == nil {
		t.Error("rate 0 offered: Open succeeded")
	}
	if _, err := NewSoundCard(SoundConfig{Channels: []int{-1}}, clk).Open(narrowband); err == nil {
		t.Error("channels -1 offered: Open succeeded")
	}
	c := NewSoundCard(SoundConfig{}, clk)
	p, err := c.Open(narrowband)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Open(narrowband); err == nil {
		t.Error("second Open of a busy card succeeded")
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := p.Write(make([]int16, 160)); err == nil {
		t.Error("Write after Close succeeded")
	}
	p, err = c.Open(narrowband)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if err := p.Read(make([]int16, 100)); err == nil {
		t.Error("Read of a short buffer succeeded")
	}
	if err := p.Write(make([]int16, 4*160+1)); err == nil {
		t.Error("Write of more than the ring holds succeeded")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Read(make([]int16, 160)); err == nil {
		t.Error("Read after the card closed succeeded")
	}
	if _, err := c.Open(narrowband); err == nil {
		t.Error("Open after the card closed succeeded")
	}
}

func TestReadSpreadsMicToChannels(t *testing.T) {
	mic := NewWAVSource([]int16{1, 2, 3, 4, 5}, 1)
	c := NewSoundCard(SoundConfig{Channels: []int{2}, Mic: mic}, haltest.NewClock(time.Unix(0, 0)))
	p, err := c.Open(hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 4})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 8)
	for _, want := range [][]int16{{1, 1, 2, 2, 3, 3, 4, 4}, {5, 5, 1, 1, 2, 2, 3, 3}} {
		if err := p.Read(buf); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if buf[i] != want[i] {
				t.Fatalf("read %v, want %v", buf, want)
			}
		}
	}
}

func TestSpeakerRecording(t *testing.T) {
	path := filepath.Join(t.TempDir(), "speaker.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := NewSoundCard(SoundConfig{Rates: []int{16000}, Channels: []int{2}, Speaker: f}, haltest.NewClock(time.Unix(0, 0)))
	p, err := c.Open(hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 2})
	if err != nil {
		t.Fatal(err)
	}
	// 4 stereo frames per period at 16 kHz.
	for _, period := range [][]int16{{10, 20, 30, 40, -2, -4, 0, 0}, {1, 1, 2, 2, 3, 3, 4, 4}} {
		if err := p.Write(period); err != nil {
			t.Fatal(err)
		}
	}
	// After an unplug and replug, the recording goes on in the same file.
	c.Unplug()
	c.Plug()
	p, err = c.Open(hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Write([]int16{7, 7, 8, 8, 9, 9, 6, 6}); err != nil {
		t.Fatal(err)
	}
	if got := c.Played(); got != 12 {
		t.Errorf("Played %d frames, want 12", got)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, rate, ch, err := wav.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []int16{15, 35, -3, 0, 1, 2, 3, 4, 7, 8, 9, 6}
	if rate != 16000 || ch != 1 || len(got) != len(want) {
		t.Fatalf("recording: %d Hz, %d ch, %d samples", rate, ch, len(got))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("recording %v, want %v", got, want)
		}
	}
}

func TestUnplug(t *testing.T) {
	clk := haltest.NewClock(time.Unix(0, 0))
	c := NewSoundCard(SoundConfig{Realtime: true}, clk)
	p, err := c.Open(narrowband)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 160)
	for i := 0; i < 4; i++ { // fill the ring
		if err := p.Write(buf); err != nil {
			t.Fatal(err)
		}
	}
	blocked := goWrite(p, buf)
	waitPending(t, clk, 1)
	c.Unplug()
	if err := waitErr(t, blocked); !errors.Is(err, hal.ErrNoDevice) {
		t.Fatalf("blocked Write on unplug: %v, want ErrNoDevice", err)
	}
	if err := p.Read(buf); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("Read after unplug: %v", err)
	}
	if err := p.Recover(); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("Recover after unplug: %v", err)
	}
	if _, err := c.Open(narrowband); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("Open while unplugged: %v", err)
	}
	c.Plug()
	if err := p.Write(buf); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("old stream after replug: %v, want ErrNoDevice", err)
	}
	q, err := c.Open(narrowband)
	if err != nil {
		t.Fatalf("Open after replug: %v", err)
	}
	if err := q.Write(buf); err != nil {
		t.Errorf("Write on the new stream: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("Close of the dead stream: %v", err)
	}
	if err := q.Write(buf); err != nil {
		t.Errorf("closing the dead stream broke the new one: %v", err)
	}
}

// TestPacingFollowsDeadlines checks that Write blocks until the ring has
// room, counting deadlines from when the ring filled (start + n×period), so a
// late wake-up is made up instead of pushing every later period back.
func TestPacingFollowsDeadlines(t *testing.T) {
	const period = 20 * time.Millisecond
	clk := haltest.NewClock(time.Unix(0, 0))
	c := NewSoundCard(SoundConfig{Realtime: true}, clk)
	p, err := c.Open(narrowband) // a ring of 4 periods
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 160)
	for i := 0; i < 4; i++ {
		if err := p.Write(buf); err != nil {
			t.Fatalf("write %d into an empty ring: %v", i, err)
		}
	}
	// Period 4 fits once period 0 has played: at start + 1 period.
	w := goWrite(p, buf)
	waitPending(t, clk, 1)
	clk.Advance(period - time.Millisecond)
	if clk.Pending() != 1 {
		t.Fatal("write 4 went through before its deadline")
	}
	clk.Advance(time.Millisecond)
	if err := waitErr(t, w); err != nil {
		t.Fatal(err)
	}
	// Period 5 fits at 2 periods; wake up late, at 3.5.
	w = goWrite(p, buf)
	waitPending(t, clk, 1)
	clk.Advance(5 * period / 2)
	if err := waitErr(t, w); err != nil {
		t.Fatal(err)
	}
	// Period 6 was due at 3 periods: no wait at all.
	if err := p.Write(buf); err != nil {
		t.Fatal(err)
	}
	if clk.Pending() != 0 {
		t.Fatal("write 6 waited although its deadline had passed")
	}
	// Period 7 is due at 4 periods, half a period from now.
	w = goWrite(p, buf)
	waitPending(t, clk, 1)
	clk.Advance(period / 2)
	if err := waitErr(t, w); err != nil {
		t.Fatal(err)
	}
	if c.Underruns() != 0 {
		t.Fatalf("%d underruns", c.Underruns())
	}

	// Now at 4 periods with 8 written: the ring runs dry at 8 periods.
	clk.Advance(4*period + time.Millisecond)
	for i := 0; i < 2; i++ {
		if err := p.Write(buf); !errors.Is(err, hal.ErrXrun) {
			t.Fatalf("late write %d: %v, want ErrXrun", i, err)
		}
	}
	if c.Underruns() != 1 {
		t.Fatalf("%d underruns, want 1", c.Underruns())
	}
	if err := p.Recover(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if err := p.Write(buf); err != nil {
			t.Fatalf("write %d after Recover: %v", i, err)
		}
	}
	if clk.Pending() != 0 {
		t.Fatal("writes after Recover waited: the schedule was not restarted")
	}
}

// TestPacingRealClock runs a short real-time stream: it can never be faster
// than the schedule, and the upper bound is generous.
func TestPacingRealClock(t *testing.T) {
	const periods, period = 40, 10 * time.Millisecond
	c := NewSoundCard(SoundConfig{Realtime: true}, hal.SystemClock{})
	p, err := c.Open(hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 80, BufferFrames: 160})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	buf := make([]int16, 80)
	start := time.Now()
	for i := 0; i < periods; i++ {
		if err := p.Write(buf); errors.Is(err, hal.ErrXrun) {
			if err := p.Recover(); err != nil { // a busy machine may stall us
				t.Fatal(err)
			}
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if c.Underruns() > 0 {
		t.Skipf("%d underruns on a busy machine; the pace is not comparable", c.Underruns())
	}
	// 40 periods through a 2-period ring: period 39 waits for start + 38.
	elapsed := time.Since(start)
	if min := (periods - 2) * period; elapsed < min {
		t.Fatalf("%d periods took %v, faster than %v", periods, elapsed, min)
	}
	if elapsed > 10*time.Second {
		t.Fatalf("%d periods took %v", periods, elapsed)
	}
}

func TestTransfersDoNotAllocate(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "speaker.wav"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name string
		cfg  SoundConfig
		clk  hal.Clock
		want hal.PCMFormat
	}{
		{"stereo with recording", SoundConfig{Rates: []int{48000}, Channels: []int{2}, Mic: NewToneSource(48000, 1000, 0.5), Speaker: f}, haltest.NewClock(time.Unix(0, 0)), narrowband},
		{"real time, reported", SoundConfig{Realtime: true, Mic: NewToneSource(8000, 1000, 0.5),
			OnCapture: func(int64, time.Time) {}, OnPlay: func(int64, time.Time) {}}, hal.SystemClock{}, hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 8}},
	}
	for _, tc := range tests {
		c := NewSoundCard(tc.cfg, tc.clk)
		p, err := c.Open(tc.want)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]int16, p.Format().PeriodSamples())
		period := func() {
			if err := p.Read(buf); err != nil {
				t.Fatal(err)
			}
			if err := p.Write(buf); errors.Is(err, hal.ErrXrun) {
				p.Recover()
			} else if err != nil {
				t.Fatal(err)
			}
		}
		period() // warm-up sizes the recording buffer
		if n := testing.AllocsPerRun(100, period); n != 0 {
			t.Errorf("%s: %v allocations per period", tc.name, n)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func goWrite(p hal.PCM, buf []int16) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- p.Write(buf) }()
	return ch
}

func waitErr(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("Write still blocked after 5 s")
		return nil
	}
}

// waitPending waits until n timers are armed on clk: a writer is blocked.
func waitPending(t *testing.T, clk *haltest.Clock, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for clk.Pending() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d timers pending, want %d", clk.Pending(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// periodLog records what OnCapture or OnPlay reported.
type periodLog struct {
	mu     sync.Mutex
	frames []int64
	at     []time.Time
}

func (l *periodLog) add(frame int64, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.frames = append(l.frames, frame)
	l.at = append(l.at, at)
}

func (l *periodLog) check(t *testing.T, what string, frames []int64, at []time.Duration) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.frames) != len(frames) {
		t.Fatalf("%s: reported frames %v, want %v", what, l.frames, frames)
	}
	for i := range frames {
		if l.frames[i] != frames[i] || l.at[i] != time.Unix(0, 0).Add(at[i]) {
			t.Fatalf("%s: report %d is frame %d at %v, want frame %d at %v",
				what, i, l.frames[i], l.at[i].Sub(time.Unix(0, 0)), frames[i], at[i])
		}
	}
}

// TestCaptureKeepsTime checks the real-time capture side: a period can be
// read once it has been captured, one period after the microphone heard
// its first frame, on a schedule counted from the first Read; OnCapture
// says when each was heard. Recover starts the schedule again.
func TestCaptureKeepsTime(t *testing.T) {
	const period = 20 * time.Millisecond
	clk := haltest.NewClock(time.Unix(0, 0))
	var heard periodLog
	c := NewSoundCard(SoundConfig{Realtime: true, Mic: NewWAVSource([]int16{1, 2, 3}, 1), OnCapture: heard.add}, clk)
	p, err := c.Open(narrowband)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 160)
	read := func() <-chan error {
		ch := make(chan error, 1)
		go func() { ch <- p.Read(buf) }()
		return ch
	}
	r := read()
	waitPending(t, clk, 1)
	clk.Advance(period - time.Millisecond)
	if clk.Pending() != 1 {
		t.Fatal("period 0 was read before it had been captured")
	}
	clk.Advance(time.Millisecond)
	if err := waitErr(t, r); err != nil {
		t.Fatal(err)
	}
	if buf[0] != 1 || buf[1] != 2 {
		t.Fatalf("read %v..., want the microphone signal", buf[:3])
	}
	// Late by one and a half periods: period 1 is there at once, period 2
	// half a period later.
	clk.Advance(3 * period / 2)
	if err := p.Read(buf); err != nil {
		t.Fatal(err)
	}
	if clk.Pending() != 0 {
		t.Fatal("period 1 waited although it had been captured")
	}
	r = read()
	waitPending(t, clk, 1)
	clk.Advance(period / 2)
	if err := waitErr(t, r); err != nil {
		t.Fatal(err)
	}
	heard.check(t, "OnCapture", []int64{0, 160, 320}, []time.Duration{0, period, 2 * period})

	if err := p.Recover(); err != nil {
		t.Fatal(err)
	}
	r = read() // starts afresh now, at 3 periods
	waitPending(t, clk, 1)
	clk.Advance(period)
	if err := waitErr(t, r); err != nil {
		t.Fatal(err)
	}
	heard.check(t, "OnCapture after Recover", []int64{0, 160, 320, 480}, []time.Duration{0, period, 2 * period, 3 * period})
	c.Unplug()
	if err := p.Read(buf); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("Read after unplug: %v", err)
	}
}

// TestPlaybackStartsAtFirstWrite checks that playback starts with the
// first Write and plays frame after frame, that Write waits for room in
// the ring, that Delay tells what is queued, that OnPlay tells when each
// Write plays, and that a ring run dry is an underrun.
func TestPlaybackStartsAtFirstWrite(t *testing.T) {
	const ms = time.Millisecond
	clk := haltest.NewClock(time.Unix(0, 0))
	var played periodLog
	c := NewSoundCard(SoundConfig{Realtime: true, BufferPeriods: 2, OnPlay: played.add}, clk)
	p, err := c.Open(narrowband) // asks for 4 periods; the card has 2
	if err != nil {
		t.Fatal(err)
	}
	if f := p.Format(); f.BufferFrames != 320 {
		t.Fatalf("granted %+v, want a ring of 2 periods", f)
	}
	delay := func(want int) {
		t.Helper()
		if d, err := p.Delay(); err != nil || d != want {
			t.Fatalf("Delay = %d, %v; want %d", d, err, want)
		}
	}
	delay(0)
	if err := p.Write(make([]int16, 40)); err != nil { // 5 ms: plays at once
		t.Fatal(err)
	}
	delay(40)
	clk.Advance(2 * ms)
	delay(24)
	buf := make([]int16, 160)
	if err := p.Write(buf); err != nil { // room: 24+160 <= 320
		t.Fatal(err)
	}
	delay(184)
	w := goWrite(p, buf) // 344 > 320: waits until 24 more frames played, at 5 ms
	waitPending(t, clk, 1)
	clk.Advance(2*ms + 999*time.Microsecond)
	if clk.Pending() != 1 {
		t.Fatal("Write went through before the ring had room")
	}
	clk.Advance(time.Microsecond)
	if err := waitErr(t, w); err != nil {
		t.Fatal(err)
	}
	delay(320)
	played.check(t, "OnPlay", []int64{0, 40, 200}, []time.Duration{0, 5 * ms, 25 * ms})
	clk.Advance(40*ms + time.Microsecond) // everything played, and a bit more
	if _, err := p.Delay(); !errors.Is(err, hal.ErrXrun) {
		t.Fatalf("Delay after the ring ran dry: %v, want ErrXrun", err)
	}
	if err := p.Write(buf); !errors.Is(err, hal.ErrXrun) {
		t.Fatalf("Write after the ring ran dry: %v, want ErrXrun", err)
	}
	if c.Underruns() != 1 {
		t.Fatalf("%d underruns, want 1", c.Underruns())
	}
	if err := p.Recover(); err != nil {
		t.Fatal(err)
	}
	delay(0)
	if err := p.Write(buf); err != nil {
		t.Fatalf("Write after Recover: %v", err)
	}
}

func TestReportsWithoutRealTime(t *testing.T) {
	clk := haltest.NewClock(time.Unix(0, 0))
	var heard, played periodLog
	c := NewSoundCard(SoundConfig{OnCapture: heard.add, OnPlay: played.add}, clk)
	p, err := c.Open(narrowband)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 160)
	for i := 0; i < 2; i++ {
		if err := p.Read(buf); err != nil {
			t.Fatal(err)
		}
		if err := p.Write(buf); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Second)
	}
	heard.check(t, "OnCapture", []int64{0, 160}, []time.Duration{0, time.Second})
	played.check(t, "OnPlay", []int64{0, 160}, []time.Duration{0, time.Second})
}

// TestLeadHoldsSteady: a pump that reads a period, then writes a short
// lead once and a period each time never waits to write, and Delay before
// each write is the lead less how late it came — in real time and without.
func TestLeadHoldsSteady(t *testing.T) {
	const period, lead = 20 * time.Millisecond, 40 // 5 ms
	for _, realtime := range []bool{true, false} {
		t.Run(fmt.Sprintf("realtime=%v", realtime), func(t *testing.T) {
			clk := haltest.NewClock(time.Unix(0, 0))
			c := NewSoundCard(SoundConfig{Realtime: realtime}, clk)
			p, err := c.Open(narrowband)
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]int16, 160)
			prevLate := time.Duration(0)
			for i, late := range []time.Duration{0, 0, 3 * time.Millisecond, 0, time.Millisecond, 0} {
				r := make(chan error, 1)
				go func() { r <- p.Read(buf) }()
				if realtime {
					waitPending(t, clk, 1)
					clk.Advance(period - prevLate) // the period is captured, on the card's grid
				}
				if err := waitErr(t, r); err != nil {
					t.Fatal(err)
				}
				clk.Advance(late)
				d, err := p.Delay()
				if err != nil {
					t.Fatal(err)
				}
				want := lead
				switch {
				case i == 0:
					want = 0
					if err := p.Write(make([]int16, lead)); err != nil {
						t.Fatal(err)
					}
				case realtime:
					want = lead - int(late/time.Millisecond)*8
				}
				if d != want {
					t.Fatalf("period %d, %v late: Delay %d, want %d", i, late, d, want)
				}
				if err := p.Write(buf); err != nil {
					t.Fatal(err)
				}
				if clk.Pending() != 0 {
					t.Fatal("a Write after a Read waited")
				}
				prevLate = late
			}
			if c.Underruns() != 0 {
				t.Fatalf("%d underruns", c.Underruns())
			}
		})
	}
}

// TestRealClockWaitsEnd: on the system clock, a Read waiting for its
// period ends at once when the card is unplugged, and a Write waiting
// for room when the stream is closed.
func TestRealClockWaitsEnd(t *testing.T) {
	slow := hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 80000, BufferFrames: 160000} // 10 s periods
	for _, tc := range []struct {
		name string
		wait func(p hal.PCM, buf []int16) error
		end  func(c *SoundCard, p hal.PCM)
		want error
	}{
		{"read, unplugged", func(p hal.PCM, buf []int16) error { return p.Read(buf) }, func(c *SoundCard, _ hal.PCM) { c.Unplug() }, hal.ErrNoDevice},
		{"write, closed", func(p hal.PCM, buf []int16) error {
			for i := 0; i < 2; i++ { // fill the ring: playback starts
				if err := p.Write(buf); err != nil {
					return err
				}
			}
			return p.Write(buf)
		}, func(_ *SoundCard, p hal.PCM) { p.Close() }, errClosed},
	} {
		c := NewSoundCard(SoundConfig{Realtime: true}, hal.SystemClock{})
		p, err := c.Open(slow)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- tc.wait(p, make([]int16, 80000)) }()
		time.Sleep(50 * time.Millisecond)
		tc.end(c, p)
		select {
		case err := <-done:
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			}
			if time.Since(start) > 9*time.Second {
				t.Errorf("%s: the wait ended after %v, at its deadline, not at once", tc.name, time.Since(start))
			}
		case <-time.After(9 * time.Second):
			t.Fatalf("%s: still waiting 9 s later", tc.name)
		}
		c.Close()
	}
}

// TestGridPeriod: the capture period counts as a schedule for a periodic
// timer only when it is a whole number of nanoseconds.
func TestGridPeriod(t *testing.T) {
	for i, tc := range []struct {
		rate, frames int
		want         time.Duration
	}{
		{8000, 160, 20 * time.Millisecond},
		{16000, 320, 20 * time.Millisecond},
		{44100, 882, 20 * time.Millisecond},
		{48000, 960, 20 * time.Millisecond},
		{8000, 1, 125 * time.Microsecond},
		{48000, 1, 0},   // 20833.3 ns
		{11025, 220, 0}, // 19954648.5 ns
		{8000, 80000, 10 * time.Second},
	} {
		p := &pcmStream{f: hal.PCMFormat{Rate: tc.rate, Channels: 1, PeriodFrames: tc.frames}}
		if got := p.gridPeriod(); got != tc.want {
			t.Errorf("#%d: %d frames at %d Hz: %v, want %v", i, tc.frames, tc.rate, got, tc.want)
		}
	}
}
