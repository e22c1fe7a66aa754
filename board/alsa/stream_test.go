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
func startFake(t *testing.T, play, capt *fakePCM, cfg config.Audio) (*stream, *int) {
	t.Helper()
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

func TestStreamStartPrimesAndPrefills(t *testing.T) {
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
	var pl, cl []xfer
	play.onTransfer, capt.onTransfer = record(&pl), record(&cl)
	s, _ := startFake(t, play, capt, config.Audio{BufferPeriods: 3})
	if !play.prepared || !capt.prepared {
		t.Fatal("not prepared")
	}
	// Capture starts on a read of a whole buffer; playback once full.
	if !slices.Equal(cl, []xfer{{480, true}}) || !slices.Equal(pl, []xfer{{480, true}}) {
		t.Fatalf("start: capture %v, playback %v; want one buffer (480 frames) each", cl, pl)
	}
	buf := make([]int16, 160)
	buf[0] = 1000
	if err := s.Read(buf); err != nil {
		t.Fatal(err)
	}
	buf[0] = 1000
	if err := s.Write(buf); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cl[1:], []xfer{{160, true}}) || !slices.Equal(pl[1:], []xfer{{160, false}}) {
		t.Errorf("then one period each: capture %v, playback %v", cl[1:], pl[1:])
	}
	if f := s.Format(); f != (hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 480}) {
		t.Errorf("Format = %+v", f)
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
	out := make([]int16, 160)
	for i := range out {
		out[i] = int16(i * 100)
	}
	if err := s.Write(out); err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		l := int16(binary.LittleEndian.Uint16(lastPlay[4*i:]))
		r := int16(binary.LittleEndian.Uint16(lastPlay[4*i+2:]))
		if l != v || r != v {
			t.Fatalf("frame %d = %d,%d; want %d on both", i, l, r, v)
		}
	}
}

func TestStreamBadBuffer(t *testing.T) {
	s, _ := startFake(t, newFakePCM(aloop()), newFakePCM(aloop()), config.Audio{})
	for _, n := range []int{0, 159, 161, 320} {
		if err := s.Read(make([]int16, n)); !errors.Is(err, ErrBadBuffer) {
			t.Errorf("Read of %d: %v", n, err)
		}
		if err := s.Write(make([]int16, n)); !errors.Is(err, ErrBadBuffer) {
			t.Errorf("Write of %d: %v", n, err)
		}
	}
	if err := s.Read(nil); !errors.Is(err, ErrBadBuffer) {
		t.Errorf("Read(nil): %v", err)
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
	play.onTransfer = func(n int, _ []byte, _ int) error {
		if n > 1 {
			return syscall.ENODEV
		}
		return nil
	}
	s, xruns := startFake(t, play, capt, config.Audio{})
	buf := make([]int16, 160)
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
	closes := capt.closes
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if capt.closes != closes {
		t.Error("Close closed a device twice")
	}
}

func TestStreamClosePads(t *testing.T) {
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
	var pl []xfer
	play.onTransfer = record(&pl)
	s, _ := startFake(t, play, capt, config.Audio{BufferPeriods: 4})
	buf := make([]int16, 160)
	buf[3] = 5
	if err := s.Write(buf); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := []xfer{{640, true}, {160, false}, {640, true}} // prefill, a period, a buffer of padding
	if !slices.Equal(pl, want) {
		t.Errorf("playback transfers %v, want %v", pl, want)
	}
	if play.open || capt.open {
		t.Error("devices left open")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := s.Read(buf); !errors.Is(err, ErrClosed) {
		t.Errorf("Read after Close: %v", err)
	}
	if err := s.Write(buf); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
	if err := s.Recover(); !errors.Is(err, ErrClosed) {
		t.Errorf("Recover after Close: %v", err)
	}
}

func TestStreamStartFails(t *testing.T) {
	play, capt := newFakePCM(aloop()), newFakePCM(aloop())
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

func TestStreamReadWriteAllocs(t *testing.T) {
	// A stereo card under a mono stream: the converting path.
	offered := offer{rates: []int{48000}, channels: []int{2}}
	s, _ := startFake(t, newFakePCM(offered), newFakePCM(offered), config.Audio{})
	buf := make([]int16, s.Format().PeriodSamples())
	allocs := testing.AllocsPerRun(100, func() {
		if err := s.Read(buf); err != nil {
			t.Fatal(err)
		}
		if err := s.Write(buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Read+Write allocate %v times per period", allocs)
	}
}

func BenchmarkStreamReadWrite48kStereo(b *testing.B) {
	offered := offer{rates: []int{48000}, channels: []int{2}}
	play, capt := newFakePCM(offered), newFakePCM(offered)
	devs, names := [2]pcmDevice{play, capt}, [2]string{"p", "c"}
	g, err := negotiate(devs, names, openPlan(pumpWant, config.Audio{}))
	if err != nil {
		b.Fatal(err)
	}
	s := newStream(devs, names, g, nil, slog.New(slog.DiscardHandler))
	if err := s.start(); err != nil {
		b.Fatal(err)
	}
	buf := make([]int16, s.Format().PeriodSamples())
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Read(buf); err != nil {
			b.Fatal(err)
		}
		if err := s.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
}
