package alsa

import (
	"errors"
	"strings"
	"syscall"

	"handset/hal"
)

// Errors a caller can branch on. Device errors come as *Error, which also
// matches hal.ErrXrun or hal.ErrNoDevice when that is what happened.
var (
	// ErrNoCard reports that no sound card matches the configuration (or
	// that there is none at all). The errors carrying it match
	// hal.ErrNoDevice too, so the audio engine treats a missing card like
	// an unplugged one and keeps retrying.
	ErrNoCard = errors.New("no such sound card")
	// ErrBusy reports a PCM device another program holds open.
	ErrBusy = errors.New("device busy")
	// ErrNoFormat reports that the card offers nothing the phone can use,
	// or that playback and capture share no rate, period or buffer size.
	ErrNoFormat = errors.New("no usable format")
	// ErrClosed reports use of a stream or mixer after Close.
	ErrClosed = errors.New("closed")
	// ErrBadBuffer reports a Read buffer that is not one period, or a
	// Write buffer that is not whole frames or holds more than the ring.
	ErrBadBuffer = errors.New("bad buffer length")
	// ErrBadVolume reports a volume outside 0–100 percent.
	ErrBadVolume = errors.New("volume must be 0-100 percent")
	// ErrBadConfig reports an [audio] configuration this package cannot use.
	ErrBadConfig = errors.New("bad audio configuration")
)

var (
	// errDown reports use of a stream whose recovery failed.
	errDown = errors.New("stream down after a failed recovery")
	// errNoProgress reports a transfer the kernel accepted without moving
	// a frame, which would otherwise loop for ever.
	errNoProgress = errors.New("transfer moved no frames")
	// errNoFile reports that the pinned yobert/alsa no longer keeps its
	// device file where this package looks for it.
	errNoFile = errors.New("cannot reach the PCM device file of yobert/alsa")
	// errBadControl reports a control the kernel describes inconsistently.
	errBadControl = errors.New("control out of range")
)

// Error is a failed operation on one PCM device (or on a pair during
// negotiation). Its message names the device, e.g.
// "alsa: open hw:1,0 capture: open /dev/snd/pcmC1D0c: no such file or directory".
type Error struct {
	Op     string // "open", "negotiate rate", "prepare", "read", "write", ...
	Device string // "hw:1,0 capture"
	// Kind is hal.ErrXrun, hal.ErrNoDevice, ErrBusy, ErrNoFormat or nil.
	Kind error
	Err  error // the cause, often yobert/alsa's unmatchable error
}

// Error implements error.
func (e *Error) Error() string {
	cause := "failed"
	if e.Err != nil {
		cause = e.Err.Error()
	}
	return "alsa: " + e.Op + " " + e.Device + ": " + cause
}

// Unwrap lets errors.Is see both the kind and the cause.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, err := range [...]error{e.Kind, e.Err} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// deviceError wraps err from op on device, classifying it.
func deviceError(op, device string, err error) *Error {
	return &Error{Op: op, Device: device, Kind: kindOf(err), Err: err}
}

// kindOf sorts an error from the kernel into hal.ErrXrun, hal.ErrNoDevice,
// ErrBusy or nil. Errors from the os package and from our own ioctls carry
// a syscall.Errno; yobert/alsa's are plain text ("... failed: broken
// pipe"), so their message is searched for the errno's text.
func kindOf(err error) error {
	if err == nil {
		return nil
	}
	for _, k := range [...]error{hal.ErrXrun, hal.ErrNoDevice, ErrBusy, ErrNoFormat} {
		if errors.Is(err, k) {
			return k
		}
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errnoKind(errno)
	}
	msg := err.Error()
	for _, e := range textErrnos() {
		if strings.Contains(msg, e.Error()) {
			return errnoKind(e)
		}
	}
	return nil
}
