package alsa

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"unsafe"

	yalsa "github.com/yobert/alsa"

	"handset/hal"
)

func TestDeviceFile(t *testing.T) {
	// Not open: the field is there, and empty.
	if _, err := deviceFile(&yalsa.Device{Path: "/dev/null"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("unopened device: %v (has yobert/alsa moved its file?)", err)
	}
	// /dev/null opens, then refuses the PCM version ioctl; the library
	// keeps the (closed) file, which is enough to see the field is found.
	d := &yalsa.Device{Path: "/dev/null"}
	if err := d.Open(); err == nil {
		t.Fatal("/dev/null accepted a PCM ioctl")
	}
	f, err := deviceFile(d)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() != "/dev/null" {
		t.Errorf("found %q", f.Name())
	}
}

func TestTransferRequest(t *testing.T) {
	want := map[Direction]uintptr{Playback: 0x40184150, Capture: 0x80184151}
	if strconv.IntSize == 32 {
		want = map[Direction]uintptr{Playback: 0x400C4150, Capture: 0x800C4151}
	}
	for d, w := range want {
		if got := transferRequest(d); got != w {
			t.Errorf("%s: %#x, want %#x", d, got, w)
		}
	}
}

func TestPCMRequests(t *testing.T) {
	// From asound.h, for the running binary's C long.
	want := [3]uintptr{0xC0884113, 0x80084121, 0x4142}
	if strconv.IntSize == 32 {
		want = [3]uintptr{0xC0684113, 0x80044121, 0x4142}
	}
	if got := [3]uintptr{swParamsRequest, delayRequest, startRequest}; got != want {
		t.Errorf("SW_PARAMS, DELAY, START = %#x, want %#x", got, want)
	}
}

func TestSwParamsLayout(t *testing.T) {
	// struct snd_pcm_sw_params: {size, avail_min, start_threshold,
	// stop_threshold, boundary, proto, reserved}.
	want := [7]uintptr{136, 16, 32, 40, 64, 72, 80}
	if strconv.IntSize == 32 {
		want = [7]uintptr{104, 12, 20, 24, 36, 40, 48}
	}
	var p swParams
	got := [7]uintptr{unsafe.Sizeof(p), unsafe.Offsetof(p.availMin), unsafe.Offsetof(p.startThreshold),
		unsafe.Offsetof(p.stopThreshold), unsafe.Offsetof(p.boundary), unsafe.Offsetof(p.proto), unsafe.Offsetof(p.reserved)}
	if got != want {
		t.Errorf("layout %v, want %v", got, want)
	}
	// Playback: started by START only, stopped only a ring behind.
	p = playbackParams(480)
	if p.startThreshold <= 480 || p.stopThreshold != 960 || p.availMin != 480 || p.periodStep != 1 ||
		p.silenceSize != 0 || p.proto != 0 {
		t.Errorf("playback parameters %+v", p)
	}
}

func TestNewAlsaDevice(t *testing.T) {
	d := newAlsaDevice(1, 2, Capture)
	if d.Path != "/dev/snd/pcmC1D2c" || !d.Record || d.Play || d.Number != 2 {
		t.Errorf("%+v", d.Device)
	}
	if p := newAlsaDevice(0, 0, Playback).Path; p != "/dev/snd/pcmC0D0p" {
		t.Errorf("playback path %q", p)
	}
}

func TestAlsaDeviceTransfer(t *testing.T) {
	d := newAlsaDevice(0, 0, Playback)
	buf := make([]byte, 640)
	if err := d.transfer(buf, 160); !errors.Is(err, ErrClosed) {
		t.Errorf("closed: %v", err)
	}
	if err := d.start(); !errors.Is(err, ErrClosed) {
		t.Errorf("start closed: %v", err)
	}
	if _, err := d.delay(); !errors.Is(err, ErrClosed) {
		t.Errorf("delay closed: %v", err)
	}
	if err := d.prepare(480); !errors.Is(err, ErrClosed) {
		t.Errorf("prepare closed: %v", err)
	}
	// A file that is no PCM: the ioctl fails with ENOTTY (ENOSYS under
	// qemu-user), through the same code as a real transfer.
	f, err := os.OpenFile("/dev/null", os.O_RDWR, 0)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	d.file, d.fd = f, f.Fd()
	if err := d.transfer(buf, 160); !errors.Is(err, syscall.ENOTTY) && !errors.Is(err, syscall.ENOSYS) {
		t.Errorf("transfer on /dev/null: %v", err)
	}
	if err := d.transfer(buf, 0); !errors.Is(err, ErrBadBuffer) {
		t.Errorf("0 frames: %v", err)
	}
	if err := d.transfer(buf, 161); !errors.Is(err, ErrBadBuffer) {
		t.Errorf("uneven frames: %v", err)
	}
	notPCM := func(err error) bool { return errors.Is(err, syscall.ENOTTY) || errors.Is(err, syscall.ENOSYS) }
	if err := d.start(); !notPCM(err) {
		t.Errorf("start on /dev/null: %v", err)
	}
	if n, err := d.delay(); !notPCM(err) || n != 0 {
		t.Errorf("delay on /dev/null: %d, %v", n, err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		_ = d.transfer(buf, 160)
		_, _ = d.delay()
	})
	if allocs != 0 {
		t.Errorf("a transfer and a delay allocate %v times", allocs)
	}
}

func TestProbeFree(t *testing.T) {
	if err := probeFree(filepath.Join(t.TempDir(), "pcmC9D0p")); !errors.Is(kindOf(err), hal.ErrNoDevice) {
		t.Errorf("missing node: %v, want a no-device error", err)
	}
	f := filepath.Join(t.TempDir(), "node")
	if err := os.WriteFile(f, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := probeFree(f); err != nil {
		t.Errorf("free node: %v", err)
	}
}
