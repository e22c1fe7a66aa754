package alsa

import (
	"encoding/binary"
	"errors"
	"log/slog"
	"slices"
	"syscall"
	"testing"

	yalsa "github.com/yobert/alsa"

	"handset/config"
	"handset/hal"
)

// xfer records one transfer seen by a fake device.
type xfer struct {
	frames int
	silent bool
}

func record(log *[]xfer) func(int, []byte, int) error {
	return func(_ int, buf []byte, frames int) error {
		*log = append(*log, xfer{frames, !slices.ContainsFunc(buf, func(b byte) bool { return b != 0 })})
		return nil
	}
}

// startFake negotiates and starts a stream on two fake devices.
func startFake(t testing.TB, play, capt *fakePCM, cfg config.Audio) (*stream, *int) {
	t.Helper()
	play.dir, capt.dir = Playback, Capture
	devs, names := [2]pcmDevice{play, capt}, [2]string{"hw:1,0 playback", "hw:1,0 capture"}
	g, err := negotiate(devs, names, openPlan(pumpWant, cfg))
	if err != nil {
		t.Fatal(err)
	}
	xruns := new(int)
	s := newStream(devs, names, g, func(string) { *xruns++ }, slog.New(slog.DiscardHandler))
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
	return s, xruns
}

func aloop() offer { return offer{rates: []int{8000}, channels: []int{1}} }

// delay calls s.Delay and fails t on an error.
func delay(t *testing.T, s *stream) int {
	t.Helper()
	n, err := s.Delay()
	if err != nil {
		t.Fatalf("Delay: %v", err)
	}
	return n
}

func TestStreamStart(t *testing.T) {
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
	var pl, cl []xfer
	play.onTransfer, capt.onTransfer = record(&pl), record(&cl)
	s, _ := startFake(t, play, capt, config.Audio{BufferPeriods: 3})
	if !play.prepared || !capt.prepared {
		t.Fatal("not prepared")
	}
	// Capture starts on a read of a whole buffer; playback waits, empty,
	// for the first Write.
	if !slices.Equal(cl, []xfer{{480, true}}) || len(pl) != 0 || play.running || play.starts != 0 {
		t.Fatalf("start: capture %v, playback %v (running %v, %d starts); want one capture buffer (480 frames), no playback",
			cl, pl, play.running, play.starts)
	}
	if n := delay(t, s); n != 0 || play.delays != 0 {
		t.Errorf("Delay before the first Write = %d after %d ioctls; want 0 without asking", n, play.delays)
	}
	buf := make([]int16, 160)
	if err := s.Read(buf); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cl[1:], []xfer{{160, true}}) {
		t.Errorf("then a period: capture %v", cl[1:])
	}
	if f := s.Format(); f != (hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 480}) {
		t.Errorf("Format = %+v", f)
	}
}

func TestStreamWrite(t *testing.T) {
	// A stereo stream with a ring of 480 frames.
	stereo := offer{rates: []int{8000}, channels: []int{2}}
	for _, c := range []struct {
		name   string
		values int
		ok     bool
	}{
		{"one frame", 2, true},
		{"part of a period", 2 * 37, true},
		{"a period", 2 * 160, true},
		{"a whole buffer", 2 * 480, true},
		{"nothing", 0, true},
		{"more than the buffer", 2 * 481, false},
		{"not a whole frame", 2*160 + 1, false},
		{"one value of a frame", 1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			play := newFakePCM(stereo)
			var pl []xfer
			play.onTransfer = record(&pl)
			s, xruns := startFake(t, play, newFakePCM(stereo), config.Audio{BufferPeriods: 3})
			if s.Format().Channels != 2 || s.Format().BufferFrames != 480 {
				t.Fatalf("format %+v", s.Format())
			}
			buf := make([]int16, c.values)
			for i := range buf {
				buf[i] = int16(i + 1)
			}
			err := s.Write(buf)
			frames := c.values / 2
			if !c.ok {
				if !errors.Is(err, ErrBadBuffer) || len(pl) != 0 || play.starts != 0 {
					t.Fatalf("Write of %d values: %v, transfers %v, %d starts; want ErrBadBuffer and nothing written",
						c.values, err, pl, play.starts)
				}
				if n := delay(t, s); n != 0 {
					t.Errorf("Delay %d after a refused Write", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("Write of %d values: %v", c.values, err)
			}
			wantX, wantStarts := []xfer{{frames, false}}, 1
			if frames == 0 {
				wantX, wantStarts = nil, 0
			}
			if !slices.Equal(pl, wantX) || play.starts != wantStarts {
				t.Errorf("transfers %v, %d starts; want %v and %d", pl, play.starts, wantX, wantStarts)
			}
			if n := delay(t, s); n != frames {
				t.Errorf("Delay = %d, want %d", n, frames)
			}
			if *xruns != 0 {
				t.Errorf("%d xruns", *xruns)
			}
		})
	}
}

func TestStreamPlaybackLead(t *testing.T) {
	// The pump's way: a small lead, topped up by about a period each time.
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
	s, xruns := startFake(t, play, capt, config.Audio{BufferPeriods: 3})
	write := func(frames int) {
		t.Helper()
		if err := s.Write(make([]int16, frames)); err != nil {
			t.Fatalf("Write of %d frames: %v", frames, err)
		}
	}
	write(40 + 160) // a 5 ms lead and a period
	for _, step := range []struct{ played, write, want int }{
		{160, 160, 40},
		{160, 155, 40},
		{160, 170, 35},
		{100, 0, 105},
	} {
		play.advance(step.played)
		if n := delay(t, s); n != step.want {
			t.Fatalf("after %d more played: Delay %d, want %d", step.played, n, step.want)
		}
		if step.write > 0 {
			write(step.write)
		}
	}
	if play.starts != 1 {
		t.Errorf("%d STARTs, want 1", play.starts)
	}
	// A write larger than the room waits while the card plays.
	write(480)
	if n := delay(t, s); n != 480 || play.played != 3*160+100+105 {
		t.Errorf("after a full write: Delay %d, played %d", n, play.played)
	}
	if *xruns != 0 {
		t.Errorf("%d xruns", *xruns)
	}
}

func TestStreamPlaybackXrun(t *testing.T) {
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
	s, xruns := startFake(t, play, capt, config.Audio{BufferPeriods: 2})
	buf := make([]int16, 160)
	if err := s.Write(buf); err != nil {
		t.Fatal(err)
	}
	play.advance(200) // the pump came late: the ring ran dry and the card played on
	if n := delay(t, s); n != 0 || play.queued != 0 || *xruns != 1 {
		t.Fatalf("after running dry: Delay %d, queued %d, %d xruns; want an empty queue, caught up, 1 xrun", n, play.queued, *xruns)
	}
	if play.starts != 1 || !play.running {
		t.Fatalf("after running dry: %d starts, running %v; want no restart", play.starts, play.running)
	}
	if err := s.Write(buf); err != nil {
		t.Fatal(err)
	}
	play.advance(160 + 2*320) // a whole ring behind: the kernel stops it
	_, err := s.Delay()
	if !errors.Is(err, hal.ErrXrun) || !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("Delay after the ring ran dry: %v, want an xrun", err)
	}
	if want := "alsa: delay hw:1,0 playback: broken pipe"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if err := s.Write(buf); !errors.Is(err, hal.ErrXrun) {
		t.Fatalf("Write after the ring ran dry: %v, want an xrun", err)
	}
	if *xruns != 3 {
		t.Errorf("%d xruns counted, want 3", *xruns)
	}
	if err := s.Recover(); err != nil {
		t.Fatal(err)
	}
	// Empty again, and started again by the first Write.
	if n := delay(t, s); n != 0 || play.starts != 1 || play.running {
		t.Errorf("after Recover: Delay %d, %d starts, running %v", n, play.starts, play.running)
	}
	if err := s.Write(buf[:40]); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(buf); err != nil {
		t.Fatal(err)
	}
	if n := delay(t, s); n != 200 || play.starts != 2 {
		t.Errorf("after two writes: Delay %d, %d starts; want 200 and one START per start", n, play.starts)
	}
}

func TestStreamStartPlaybackFails(t *testing.T) {
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
	s, _ := startFake(t, play, capt, config.Audio{})
	play.startErr = syscall.EIO
	buf := make([]int16, 160)
	err := s.Write(buf)
	if want := "alsa: start playback hw:1,0 playback: input/output error"; err == nil || err.Error() != want {
		t.Errorf("Write: %v, want %q", err, want)
	}
	if n := delay(t, s); n != 0 {
		t.Errorf("Delay %d while playback has not started", n)
	}
	// The next Write starts it, with both writes queued.
	play.startErr = nil
	if err := s.Write(buf); err != nil {
		t.Fatal(err)
	}
	if n := delay(t, s); n != 320 || play.starts != 1 {
		t.Errorf("Delay %d, %d starts; want 320 and 1", n, play.starts)
	}
}

func TestStreamConverts(t *testing.T) {
	// A stereo S16 earpiece and a mono S32 microphone: the stream is mono.
	play := newFakePCM(offer{rates: []int{8000}, channels: []int{2}})
	capt := newFakePCM(offer{rates: []int{8000}, channels: []int{1}, formats: []yalsa.FormatType{yalsa.S32_LE}})
	var lastPlay []byte
	play.onTransfer = func(_ int, buf []byte, _ int) error {
		lastPlay = slices.Clone(buf)
		return nil
	}
	capt.onTransfer = func(_ int, buf []byte, frames int) error {
		for i := range frames {
			binary.LittleEndian.PutUint32(buf[4*i:], uint32(int32(i-80))<<16|0xffff)
		}
		return nil
	}
	s, _ := startFake(t, play, capt, config.Audio{})
	if s.Format().Channels != 1 {
		t.Fatalf("channels %d, want 1", s.Format().Channels)
	}
	in := make([]int16, 160)
	if err := s.Read(in); err != nil {
		t.Fatal(err)
	}
	for i, v := range in {
		if int(v) != i-80 {
			t.Fatalf("sample %d = %d, want %d", i, v, i-80)
		}
	}
	for _, frames := range []int{160, 37} {
		out := make([]int16, frames)
		for i := range out {
			out[i] = int16(i*100 + frames)
		}
		if err := s.Write(out); err != nil {
			t.Fatal(err)
		}
		if len(lastPlay) != 4*frames {
			t.Fatalf("%d frames written as %d bytes", frames, len(lastPlay))
		}
		for i, v := range out {
			l := int16(binary.LittleEndian.Uint16(lastPlay[4*i:]))
			r := int16(binary.LittleEndian.Uint16(lastPlay[4*i+2:]))
			if l != v || r != v {
				t.Fatalf("frame %d of %d = %d,%d; want %d on both", i, frames, l, r, v)
			}
		}
	}
}

func TestStreamBadRead(t *testing.T) {
	s, _ := startFake(t, newFakePCM(aloop()), newFakePCM(aloop()), config.Audio{})
	for _, n := range []int{0, 159, 161, 320} {
		err := s.Read(make([]int16, n))
		if !errors.Is(err, ErrBadBuffer) {
			t.Errorf("Read of %d: %v", n, err)
		}
	}
	err := s.Read(nil)
	if want := "alsa: read hw:1,0 capture: 0 values for a period of 160: bad buffer length"; err == nil || err.Error() != want {
		t.Errorf("Read(nil): %v, want %q", err, want)
	}
}

func TestStreamXrunRecover(t *testing.T) {
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
	var cl []xfer
	capt.onTransfer = func(n int, buf []byte, frames int) error {
		if n == 2 {
			return syscall.EPIPE
		}
		return record(&cl)(n, buf, frames)
	}
	s, xruns := startFake(t, play, capt, config.Audio{BufferPeriods: 2})
	buf := make([]int16, 160)
	err := s.Read(buf)
	if !errors.Is(err, hal.ErrXrun) || !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("Read: %v, want an xrun", err)
	}
	if want := "alsa: read hw:1,0 capture: broken pipe"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if *xruns != 1 {
		t.Errorf("%d xruns counted", *xruns)
	}
	if err := s.Recover(); err != nil {
		t.Fatal(err)
	}
	if play.opens != 2 || capt.opens != 2 || play.prepares != 2 {
		t.Errorf("opens %d/%d prepares %d: want each reopened and prepared again", play.opens, capt.opens, play.prepares)
	}
	if err := s.Read(buf); err != nil {
		t.Fatal(err)
	}
	// prime, (xrun), prime again, one period.
	if !slices.Equal(cl, []xfer{{320, true}, {320, true}, {160, true}}) {
		t.Errorf("capture transfers %v", cl)
	}
	if err := s.Write(buf); err != nil {
		t.Fatal(err)
	}
}

func TestStreamUnplugged(t *testing.T) {
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
	s, xruns := startFake(t, play, capt, config.Audio{})
	buf := make([]int16, 160)
	if err := s.Write(buf); err != nil {
		t.Fatal(err)
	}
	play.delayErr = syscall.ENODEV
	if _, err := s.Delay(); !errors.Is(err, hal.ErrNoDevice) {
		t.Fatalf("Delay: %v, want no device", err)
	}
	play.onTransfer = func(int, []byte, int) error { return syscall.ENODEV }
	if err := s.Write(buf); !errors.Is(err, hal.ErrNoDevice) {
		t.Fatalf("Write: %v, want no device", err)
	}
	if *xruns != 0 {
		t.Errorf("an unplug counted as an xrun")
	}
	// The pump only recovers xruns, but Recover on a vanished card must
	// fail cleanly too.
	play.openErr = &fsError{syscall.ENOENT}
	if err := s.Recover(); !errors.Is(err, hal.ErrNoDevice) {
		t.Fatalf("Recover: %v", err)
	}
	if capt.open {
		t.Error("capture left open")
	}
	if err := s.Read(buf); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("Read after a failed Recover: %v", err)
	}
	if _, err := s.Delay(); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("Delay after a failed Recover: %v", err)
	}
	closes := capt.closes
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if capt.closes != closes {
		t.Error("Close closed a device twice")
	}
}

func TestStreamClose(t *testing.T) {
	for _, c := range []struct {
		name    string
		written int // frames
		played  int // before Close
		want    []xfer
	}{
		// Nothing written: nothing to play out.
		{"never started", 0, 0, nil},
		// A ring of silence goes in as fast as what is queued plays.
		{"a short queue", 160 + 40, 100, []xfer{{200, false}, {640, true}}},
		{"a full ring", 640, 0, []xfer{{640, false}, {640, true}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			play, capt := newFakePCM(aloop()), newFakePCM(aloop())
			var pl []xfer
			play.onTransfer = record(&pl)
			s, _ := startFake(t, play, capt, config.Audio{BufferPeriods: 4})
			if c.written > 0 {
				buf := make([]int16, c.written)
				buf[3] = 5
				if err := s.Write(buf); err != nil {
					t.Fatal(err)
				}
			}
			play.advance(c.played)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(pl, c.want) {
				t.Errorf("playback transfers %v, want %v", pl, c.want)
			}
			// Everything written played before the devices closed (a
			// full ring runs dry doing so: the pad then fails, harmlessly).
			if play.played != c.written {
				t.Errorf("%d of %d frames played before Close", play.played, c.written)
			}
			if play.open || capt.open {
				t.Error("devices left open")
			}
			if err := s.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			buf := make([]int16, 160)
			if err := s.Read(buf); !errors.Is(err, ErrClosed) {
				t.Errorf("Read after Close: %v", err)
			}
			if err := s.Write(buf); !errors.Is(err, ErrClosed) {
				t.Errorf("Write after Close: %v", err)
			}
			if _, err := s.Delay(); !errors.Is(err, ErrClosed) {
				t.Errorf("Delay after Close: %v", err)
			}
			if err := s.Recover(); !errors.Is(err, ErrClosed) {
				t.Errorf("Recover after Close: %v", err)
			}
		})
	}
}

func TestStreamStartFails(t *testing.T) {
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
	play.dir, capt.dir = Playback, Capture
	capt.onTransfer = func(int, []byte, int) error { return syscall.EIO }
	devs, names := [2]pcmDevice{play, capt}, [2]string{"p", "c"}
	g, err := negotiate(devs, names, openPlan(pumpWant, config.Audio{}))
	if err != nil {
		t.Fatal(err)
	}
	err = newStream(devs, names, g, nil, slog.New(slog.DiscardHandler)).start()
	if want := "alsa: start (read a buffer) c: input/output error"; err == nil || err.Error() != want {
		t.Errorf("start: %v, want %q", err, want)
	}
}

func TestStreamAllocs(t *testing.T) {
	// A stereo earpiece and a mono microphone under a mono stream: the
	// converting path. The pump reads a period, asks the delay and
	// writes about a period.
	play := newFakePCM(offer{rates: []int{48000}, channels: []int{2}})
	s, _ := startFake(t, play, newFakePCM(offer{rates: []int{48000}, channels: []int{1}}), config.Audio{})
	period := s.Format().PeriodFrames
	if s.Format().Channels != 1 {
		t.Fatalf("format %+v", s.Format())
	}
	in, out := make([]int16, period), make([]int16, period+8)
	if err := s.Write(out[:period/4]); err != nil { // the lead
		t.Fatal(err)
	}
	n := 0
	allocs := testing.AllocsPerRun(100, func() {
		if err := s.Read(in); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Delay(); err != nil {
			t.Fatal(err)
		}
		n++
		frames := period - 8 + n%16
		if err := s.Write(out[:frames]); err != nil {
			t.Fatal(err)
		}
		play.advance(frames)
	})
	if allocs != 0 {
		t.Errorf("Read+Delay+Write allocate %v times per period", allocs)
	}
}

func BenchmarkStreamReadDelayWrite48kStereo(b *testing.B) {
	offered := offer{rates: []int{48000}, channels: []int{2}}
	play := newFakePCM(offered)
	s, _ := startFake(b, play, newFakePCM(offered), config.Audio{})
	f := s.Format()
	buf := make([]int16, f.PeriodSamples())
	if err := s.Write(buf[:f.PeriodSamples()/4]); err != nil { // the lead
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Read(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Delay(); err != nil {
			b.Fatal(err)
		}
		if err := s.Write(buf); err != nil {
			b.Fatal(err)
		}
		play.advance(f.PeriodFrames)
	}
}
