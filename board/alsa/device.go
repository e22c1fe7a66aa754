package alsa

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"syscall"
	"unsafe"

	yalsa "github.com/yobert/alsa"
)

// pcmDevice is one direction of a raw PCM device (/dev/snd/pcmC<c>D<d>p or
// …c) as this package drives it: yobert/alsa's negotiation and prepare,
// then frame transfers. alsaDevice is the real one; tests use fakes.
//
// The Negotiate methods narrow the open device's parameters: a call that
// fails leaves them as they were; one that succeeds can only be undone by
// closing and opening again.
type pcmDevice interface {
	Open() error
	Close()
	NegotiateFormat(...yalsa.FormatType) (yalsa.FormatType, error)
	NegotiateRate(...int) (int, error)
	NegotiateChannels(...int) (int, error)
	NegotiatePeriodSize(...int) (int, error)
	NegotiateBufferSize(...int) (int, error)
	// Prepare installs the negotiated parameters. yobert/alsa sets the
	// start threshold to the buffer size (see doc.go).
	Prepare() error
	// transfer moves exactly frames frames between buf and the device
	// (reading on capture, writing on playback), blocking as the kernel
	// does. buf must be long-lived heap memory.
	transfer(buf []byte, frames int) error
}

// alsaDevice is a real PCM device. Negotiation and Prepare go through
// yobert/alsa; transfers do not: its Read and Write allocate their transfer
// block on every call, ignore how many frames moved and flatten the errno
// into text. So alsaDevice issues READI_FRAMES/WRITEI_FRAMES itself on the
// library's file descriptor, with a transfer block that lives as long as
// the device.
type alsaDevice struct {
	*yalsa.Device
	dir  Direction
	file *os.File // yobert's, reached by reflection (deviceFile)
	fd   uintptr
	x    xferi
}

// xferi is struct snd_xferi:
//
//	snd_pcm_sframes_t result; // R: frames moved (long)
//	void __user *buf;         // the frames
//	snd_pcm_uframes_t frames; // W: frames to move (unsigned long)
//
// Three longs: 24 bytes on LP64, 12 on ILP32 (what an arm64 kernel's
// compat layer expects from a 32-bit binary). Go's int, uintptr and uint
// have the size of a C long on linux/amd64, arm and arm64.
type xferi struct {
	result int
	buf    uintptr
	frames uint
}

// PCM transfer ioctls (include/uapi/sound/asound.h):
//
//	SNDRV_PCM_IOCTL_WRITEI_FRAMES = _IOW('A', 0x50, struct snd_xferi)
//	SNDRV_PCM_IOCTL_READI_FRAMES  = _IOR('A', 0x51, struct snd_xferi)
//
// 0x40184150 / 0x80184151 on LP64, 0x400C4150 / 0x800C4151 on ILP32.
const (
	pcmWriteI = 0x50
	pcmReadI  = 0x51
)

// transferRequest is the ioctl number moving frames in dir.
func transferRequest(dir Direction) uintptr {
	size := unsafe.Sizeof(xferi{})
	if dir == Capture {
		return ioc(iocRead, pcmType, pcmReadI, size)
	}
	return ioc(iocWrite, pcmType, pcmWriteI, size)
}

// newAlsaDevice describes the device node of card, dev and dir; it opens
// nothing.
func newAlsaDevice(card, dev int, dir Direction) *alsaDevice {
	return &alsaDevice{
		Device: &yalsa.Device{
			Type:   yalsa.PCM,
			Number: dev,
			Play:   dir == Playback,
			Record: dir == Capture,
			Path:   fmt.Sprintf("/dev/snd/pcmC%dD%d%c", card, dev, dir.suffix()),
		},
		dir: dir,
	}
}

// Open opens the device node and finds its file descriptor. yobert/alsa
// opens without O_NONBLOCK, and the kernel then waits for a device another
// program holds; a non-blocking open first turns that into EBUSY.
func (d *alsaDevice) Open() error {
	if err := probeFree(d.Device.Path); err != nil {
		return err
	}
	if err := d.Device.Open(); err != nil {
		d.Device.Close() // yobert leaks the file when its first refine fails
		return err
	}
	f, err := deviceFile(d.Device)
	if err != nil {
		d.Device.Close()
		return err
	}
	d.file, d.fd = f, f.Fd() // Fd leaves the file in blocking mode, as transfers need
	return nil
}

// Close closes the device node.
func (d *alsaDevice) Close() {
	d.Device.Close()
	d.file, d.fd = nil, 0
}

func (d *alsaDevice) transfer(buf []byte, frames int) error {
	if d.file == nil {
		return fmt.Errorf("%s: %w", d.Path, ErrClosed)
	}
	if frames <= 0 || len(buf) == 0 || len(buf)%frames != 0 {
		return fmt.Errorf("%s: %d bytes for %d frames: %w", d.Path, len(buf), frames, ErrBadBuffer)
	}
	frameBytes := len(buf) / frames
	req := transferRequest(d.dir)
	for done := 0; done < frames; {
		d.x = xferi{buf: uintptr(unsafe.Pointer(&buf[done*frameBytes])), frames: uint(frames - done)}
		_, _, e := syscall.Syscall(syscall.SYS_IOCTL, d.fd, req, uintptr(unsafe.Pointer(&d.x)))
		runtime.KeepAlive(buf)
		switch {
		case e == syscall.EINTR:
			continue
		case e != 0:
			return e
		case d.x.result <= 0:
			return errNoProgress
		}
		done += d.x.result // a short transfer (a signal arrived): move the rest
	}
	runtime.KeepAlive(d.file)
	return nil
}

// deviceFile returns the *os.File yobert/alsa keeps in its unexported
// field fh, since it offers no other way to reach the descriptor. The
// field's name and type are checked, so a change of the pinned library
// fails here, and in TestDeviceFile, instead of misbehaving.
func deviceFile(d *yalsa.Device) (*os.File, error) {
	v := reflect.ValueOf(d).Elem().FieldByName("fh")
	if !v.IsValid() || v.Type() != reflect.TypeFor[*os.File]() {
		return nil, errNoFile
	}
	if v.IsNil() {
		return nil, fmt.Errorf("%s: %w", d.Path, ErrClosed)
	}
	return (*os.File)(unsafe.Pointer(v.Pointer())), nil
}

// probeFree opens path without blocking and closes it again: EBUSY (and
// ENOENT for a device that is gone) come back at once.
func probeFree(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	return f.Close()
}
