package alsa

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

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
	allocs := testing.AllocsPerRun(100, func() { _ = d.transfer(buf, 160) })
	if allocs != 0 {
		t.Errorf("a transfer allocates %v times", allocs)
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
