package alsa

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"

	"handset/hal"
)

func TestKindOf(t *testing.T) {
	// yobert/alsa's ioctl errors keep only the errno's text.
	lib := func(e syscall.Errno) error { return fmt.Errorf("ioctl read (24 bytes) 0x4151 failed: %v", e) }
	tests := []struct {
		err  error
		want error
	}{
		{nil, nil},
		{syscall.EPIPE, hal.ErrXrun},
		{lib(syscall.EPIPE), hal.ErrXrun},
		{lib(syscall.ESTRPIPE), hal.ErrXrun},
		{fmt.Errorf("Device prepare failure: %v", lib(syscall.ENODEV)), hal.ErrNoDevice},
		{lib(syscall.EBADFD), hal.ErrNoDevice},
		{lib(syscall.ENXIO), hal.ErrNoDevice},
		{&os.PathError{Op: "open", Path: "/dev/snd/pcmC1D0c", Err: syscall.ENOENT}, hal.ErrNoDevice},
		{&os.PathError{Op: "open", Path: "/dev/snd/pcmC1D0c", Err: syscall.EBUSY}, ErrBusy},
		{lib(syscall.EBUSY), ErrBusy},
		{lib(syscall.EIO), nil},
		{syscall.EINVAL, nil},
		{errors.New("Rate negotiation failure: Requested value 8000 is not supported"), nil},
		{fmt.Errorf("x: %w", hal.ErrXrun), hal.ErrXrun},
		{noCardError(""), hal.ErrNoDevice},
	}
	for i, tt := range tests {
		if got := kindOf(tt.err); got != tt.want {
			t.Errorf("#%d %v: kind %v, want %v", i, tt.err, got, tt.want)
		}
	}
}

func TestError(t *testing.T) {
	cause := &os.PathError{Op: "open", Path: "/dev/snd/pcmC1D0c", Err: syscall.ENOENT}
	err := error(deviceError("open", "hw:1,0 capture", cause))
	if want := "alsa: open hw:1,0 capture: open /dev/snd/pcmC1D0c: no such file or directory"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	for _, target := range []error{hal.ErrNoDevice, syscall.ENOENT, cause} {
		if !errors.Is(err, target) {
			t.Errorf("%v does not match %v", err, target)
		}
	}
	var e *Error
	if !errors.As(fmt.Errorf("capture: %w", err), &e) || e.Device != "hw:1,0 capture" || e.Op != "open" {
		t.Errorf("errors.As: %+v", e)
	}
	plain := deviceError("read", "hw:0,0 capture", syscall.EIO)
	if errors.Is(plain, hal.ErrXrun) || errors.Is(plain, hal.ErrNoDevice) || !errors.Is(plain, syscall.EIO) {
		t.Errorf("EIO classified as %v", plain.Kind)
	}
	if err := noCardError("no card \"X\""); !errors.Is(err, ErrNoCard) || !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("noCardError: %v", err)
	}
}

func TestErrorWithoutCause(t *testing.T) {
	e := &Error{Op: "read", Device: "hw:0,0 capture"}
	if e.Error() != "alsa: read hw:0,0 capture: failed" || errors.Is(e, hal.ErrXrun) || len(e.Unwrap()) != 0 {
		t.Errorf("%v %v", e, e.Unwrap())
	}
}
