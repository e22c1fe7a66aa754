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
	// prepare installs the negotiated parameters, buffer being the
	// negotiated ring in frames. Capture keeps yobert/alsa's software
	// parameters: it starts on a read of a whole buffer. Playback gets
	// its own: it starts only on start, and plays on through a dry ring
	// for up to a ring more (see playbackParams).
	prepare(buffer int) error
	// transfer moves exactly frames frames between buf and the device
	// (reading on capture, writing on playback), blocking as the kernel
	// does. buf must be long-lived heap memory.
	transfer(buf []byte, frames int) error
	// start starts a prepared device (SNDRV_PCM_IOCTL_START): playback
	// then plays what was written and what follows.
	start() error
	// delay is how many frames written to a playback device have not yet
	// been played (SNDRV_PCM_IOCTL_DELAY). It fails with EPIPE after an
	// xrun.
	delay() (int, error)
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
	dly  int // DELAY's result: snd_pcm_sframes_t, a C long
	sw   swParams
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

// swParams is struct snd_pcm_sw_params:
//
//	int tstamp_mode;
//	unsigned int period_step;
//	unsigned int sleep_min;
//	snd_pcm_uframes_t avail_min;         // wake a blocked write with this much room
//	snd_pcm_uframes_t xfer_align;        // obsolete
//	snd_pcm_uframes_t start_threshold;   // start once this much is queued
//	snd_pcm_uframes_t stop_threshold;    // xrun once this much is free
//	snd_pcm_uframes_t silence_threshold;
//	snd_pcm_uframes_t silence_size;
//	snd_pcm_uframes_t boundary;          // R: where the ring pointers wrap
//	unsigned int proto;
//	unsigned int tstamp_type;
//	unsigned char reserved[56];
//
// The uframes are unsigned longs (Go's uint on linux/amd64, arm and
// arm64), so it is 136 bytes on LP64 (4 bytes of padding before
// avail_min) and 104 on ILP32.
type swParams struct {
	tstampMode       int32
	periodStep       uint32
	sleepMin         uint32
	availMin         uint
	xferAlign        uint
	startThreshold   uint
	stopThreshold    uint
	silenceThreshold uint
	silenceSize      uint
	boundary         uint
	proto            uint32
	tstampType       uint32
	reserved         [56]byte
}

// playbackParams are the software parameters of a playback ring of buffer
// frames. The queue (hw_avail) never exceeds the ring, so a start
// threshold of two rings never starts playback by itself: start does,
// right after the first write. A stop threshold of two rings keeps a card
// that ran dry playing: Delay then sees it behind (a negative delay),
// catches up with silence and counts an xrun, with no restart. Restarts
// cost more than the gap: some cards (QEMU's HDA) swallow a burst from
// the ring on every start. A blocked write wakes once it has room for all
// of its frames (avail_min is at least any write). proto 0 leaves the
// timestamp type as yobert/alsa set it.
func playbackParams(buffer int) swParams {
	b := uint(buffer)
	return swParams{periodStep: 1, availMin: b, xferAlign: 1, startThreshold: 2 * b, stopThreshold: 2 * b}
}

// PCM ioctls (include/uapi/sound/asound.h):
//
//	SNDRV_PCM_IOCTL_SW_PARAMS     = _IOWR('A', 0x13, struct snd_pcm_sw_params)
//	SNDRV_PCM_IOCTL_DELAY         = _IOR('A', 0x21, snd_pcm_sframes_t)
//	SNDRV_PCM_IOCTL_START         = _IO('A', 0x42)
//	SNDRV_PCM_IOCTL_WRITEI_FRAMES = _IOW('A', 0x50, struct snd_xferi)
//	SNDRV_PCM_IOCTL_READI_FRAMES  = _IOR('A', 0x51, struct snd_xferi)
//
// On LP64: 0xC0884113, 0x80084121, 0x4142, 0x40184150, 0x80184151; on
// ILP32: 0xC0684113, 0x80044121, 0x4142, 0x400C4150, 0x800C4151.
const (
	pcmSwParams = 0x13
	pcmDelay    = 0x21
	pcmStart    = 0x42
	pcmWriteI   = 0x50
	pcmReadI    = 0x51
)

// The request numbers of the PCM ioctls, built for the running binary's
// ABI: Go's int has the size of a C long on linux/amd64, arm and arm64.
const (
	swParamsRequest = (iocRead|iocWrite)<<30 | unsafe.Sizeof(swParams{})<<16 | pcmType<<8 | pcmSwParams
	delayRequest    = iocRead<<30 | unsafe.Sizeof(int(0))<<16 | pcmType<<8 | pcmDelay
	startRequest    = pcmType<<8 | pcmStart
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

func (d *alsaDevice) prepare(buffer int) error {
	if d.file == nil {
		return fmt.Errorf("%s: %w", d.Path, ErrClosed)
	}
	if err := d.Device.Prepare(); err != nil {
		return err
	}
	if d.dir == Capture {
		return nil
	}
	d.sw = playbackParams(buffer)
	if err := d.ioctl(swParamsRequest, unsafe.Pointer(&d.sw)); err != nil {
		return fmt.Errorf("software parameters: %w", err)
	}
	return nil
}

func (d *alsaDevice) start() error {
	if d.file == nil {
		return fmt.Errorf("%s: %w", d.Path, ErrClosed)
	}
	return d.ioctl(startRequest, nil)
}

func (d *alsaDevice) delay() (int, error) {
	if d.file == nil {
		return 0, fmt.Errorf("%s: %w", d.Path, ErrClosed)
	}
	if err := d.ioctl(delayRequest, unsafe.Pointer(&d.dly)); err != nil {
		return 0, err
	}
	return d.dly, nil
}

// ioctl issues req with arg (a field of d, or nil) on the device,
// retrying when a signal interrupts it; it returns the errno.
func (d *alsaDevice) ioctl(req uintptr, arg unsafe.Pointer) error {
	for {
		_, _, e := syscall.Syscall(syscall.SYS_IOCTL, d.fd, req, uintptr(arg))
		runtime.KeepAlive(d.file)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
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
