package alsa

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"syscall"
	"testing"

	yalsa "github.com/yobert/alsa"
)

// offer is what a fake PCM device accepts; a nil list accepts anything.
type offer struct {
	formats  []yalsa.FormatType
	rates    []int
	channels []int
	periods  []int
	buffers  []int
}

// fakePCM stands in for one direction of a PCM device. Negotiate calls
// behave as yobert/alsa's: a refused value changes nothing. Its ring
// behaves as alsaDevice's after prepare: capture starts on a read of a
// whole buffer; playback only on start, after which the test plays frames
// with advance, and an empty ring is an xrun until the device is reopened.
// A transfer the kernel would block on for ever fails instead.
type fakePCM struct {
	offer offer
	dir   Direction

	open, prepared bool
	format         yalsa.FormatType
	rate, channels int
	period, buffer int

	running, xrun bool
	queued        int // playback: frames written and not yet played
	played        int // playback: frames played since the last open

	opens, closes, prepares, starts int
	calls                           []string // negotiation attempts, "rate 8000" or "rate 8000 refused"

	openErr    error                                     // Open fails with it
	prepareErr error                                     // prepare fails with it
	onTransfer func(n int, buf []byte, frames int) error // called for transfer n (from 1)
	startErr   error                                     // start fails with it
	delayErr   error                                     // delay fails with it
	transfers  int
	delays     int // delay calls answered
}

func newFakePCM(o offer) *fakePCM { return &fakePCM{offer: o, format: -1} }

func (f *fakePCM) Open() error {
	if f.openErr != nil {
		return f.openErr
	}
	f.opens++
	f.open, f.prepared, f.running, f.xrun = true, false, false, false
	f.format, f.rate, f.channels, f.period, f.buffer = -1, 0, 0, 0, 0
	f.queued, f.played = 0, 0
	return nil
}

func (f *fakePCM) Close() {
	if f.open {
		f.closes++
	}
	f.open, f.prepared, f.running = false, false, false
}

func negotiateFake[T comparable](f *fakePCM, what string, offered []T, vals []T, set *T) (T, error) {
	var zero T
	if !f.open {
		return zero, fmt.Errorf("fake %s: device not open", what)
	}
	for _, v := range vals {
		if offered == nil || slices.Contains(offered, v) {
			f.calls = append(f.calls, fmt.Sprint(what, " ", v))
			*set = v
			return v, nil
		}
		f.calls = append(f.calls, fmt.Sprint(what, " ", v, " refused"))
	}
	return zero, fmt.Errorf("fake: %s %v not offered", what, vals)
}

func (f *fakePCM) NegotiateFormat(v ...yalsa.FormatType) (yalsa.FormatType, error) {
	return negotiateFake(f, "format", f.offer.formats, v, &f.format)
}
func (f *fakePCM) NegotiateRate(v ...int) (int, error) {
	return negotiateFake(f, "rate", f.offer.rates, v, &f.rate)
}
func (f *fakePCM) NegotiateChannels(v ...int) (int, error) {
	return negotiateFake(f, "channels", f.offer.channels, v, &f.channels)
}
func (f *fakePCM) NegotiatePeriodSize(v ...int) (int, error) {
	return negotiateFake(f, "period", f.offer.periods, v, &f.period)
}
func (f *fakePCM) NegotiateBufferSize(v ...int) (int, error) {
	return negotiateFake(f, "buffer", f.offer.buffers, v, &f.buffer)
}

func (f *fakePCM) prepare(buffer int) error {
	if !f.open || f.format < 0 || f.rate == 0 || f.channels == 0 || f.period == 0 || f.buffer == 0 {
		return errors.New("fake: prepare before negotiation")
	}
	if buffer != f.buffer {
		return fmt.Errorf("fake: prepare for a ring of %d frames, negotiated %d", buffer, f.buffer)
	}
	if f.prepareErr != nil {
		return f.prepareErr
	}
	f.prepares++
	f.prepared, f.running, f.xrun, f.queued = true, false, false, 0
	return nil
}

func (f *fakePCM) transfer(buf []byte, frames int) error {
	switch {
	case !f.open || !f.prepared:
		return syscall.EBADFD
	case f.xrun:
		return syscall.EPIPE
	case frames <= 0 || len(buf) != frames*f.channels*formatBytes(f.format):
		return errBadFakeTransfer
	}
	f.transfers++
	if f.onTransfer != nil {
		if err := f.onTransfer(f.transfers, buf, frames); err != nil {
			f.xrun = errors.Is(err, syscall.EPIPE)
			return err
		}
	}
	if f.dir == Capture {
		if !f.running && frames < f.buffer {
			return errFakeStalled
		}
		f.running = true
		return nil
	}
	// The kernel copies what fits, then waits for room for the rest. A
	// wait for a whole ring of room lasts until the ring is empty: an xrun.
	room := f.buffer - f.queued
	f.queued += min(frames, room)
	if rest := frames - room; rest > 0 {
		if !f.running {
			return errFakeStalled
		}
		if f.advance(rest); f.xrun {
			return syscall.EPIPE
		}
		f.queued += rest
	}
	return nil
}

func (f *fakePCM) start() error {
	switch {
	case !f.open || !f.prepared || f.running || f.xrun:
		return syscall.EBADFD // only a prepared device starts
	case f.dir == Playback && f.queued == 0:
		return syscall.EPIPE
	case f.startErr != nil:
		return f.startErr
	}
	f.starts++
	f.running = true
	return nil
}

func (f *fakePCM) delay() (int, error) {
	switch {
	case f.dir == Capture:
		return 0, errors.New("fake: delay asked of a capture device")
	case !f.open || !f.prepared:
		return 0, syscall.EBADFD
	case f.delayErr != nil:
		return 0, f.delayErr
	case f.xrun:
		return 0, syscall.EPIPE
	}
	f.delays++
	return f.queued, nil
}

// advance plays n frames of a running playback device. A ring that runs
// dry plays on (queued goes negative: the card is ahead of what was
// written) until it is a whole ring ahead, which stops it with an xrun,
// as the stop threshold of two rings does.
func (f *fakePCM) advance(n int) {
	if f.dir != Playback || !f.running || f.xrun {
		return
	}
	if f.queued-n <= -f.buffer {
		f.played += max(f.queued, 0)
		f.queued, f.running, f.xrun = 0, false, true
		return
	}
	f.played += max(0, min(n, f.queued))
	f.queued -= n
}

// errFakeStalled is a transfer the kernel would block on for ever: a
// capture read shorter than the start threshold, or a playback write
// into a full ring that is not playing.
var errFakeStalled = errors.New("fake: the transfer would block for ever")

var errBadFakeTransfer = errors.New("fake: buffer does not hold the frames")

// fakePlatform is a set of fake cards.
type fakePlatform struct {
	list    []CardInfo
	listErr error
	pcms    map[string]*fakePCM // by pcmKey
	ctls    map[int]*fakeCtl    // by card number
}

func pcmKey(card, dev int, dir Direction) string { return fmt.Sprintf("%d,%d,%s", card, dev, dir) }

func (p *fakePlatform) cards() ([]CardInfo, error) {
	if p.listErr != nil {
		return nil, p.listErr
	}
	return slices.Clone(p.list), nil
}

func (p *fakePlatform) pcm(card, dev int, dir Direction) pcmDevice {
	if f, ok := p.pcms[pcmKey(card, dev, dir)]; ok {
		f.dir = dir
		return f
	}
	return &fakePCM{dir: dir, openErr: syscall.ENOENT}
}

func (p *fakePlatform) control(card int) (ctlFile, error) {
	if c, ok := p.ctls[card]; ok {
		c.closed = false
		return c, nil
	}
	return nil, syscall.ENOENT
}

// fakeElem is one control element of a fake card.
type fakeElem struct {
	name     string
	index    uint32
	iface    int32
	typ      int32
	access   uint32
	min, max int64
	step     int64
	values   []int64
	readErr  error // ELEM_READ fails with it, as PCM controls do while no stream runs
}

const rw = accessRead | accessWrite

// fakeCtl plays the kernel's side of a control device for one ABI. Its
// offsets and request numbers are written out by hand from asound.h, apart
// from the code under test.
type fakeCtl struct {
	t      *testing.T
	long   int // sizeof(long): 8 (LP64) or 4 (ILP32)
	id     string
	elems  []*fakeElem
	mem    map[uintptr][]byte // "user memory" handed out by addr
	next   uintptr
	closed bool
	fail   error // every ioctl fails with it
	writes int
}

func newFakeCtl(t *testing.T, long int, elems ...*fakeElem) *fakeCtl {
	return &fakeCtl{t: t, long: long, id: "Fake", elems: elems, mem: map[uintptr][]byte{}, next: 0x7000_0000}
}

func (c *fakeCtl) addr(b []byte) uintptr {
	c.next += 0x1_0000
	c.mem[c.next] = b
	return c.next
}

func (c *fakeCtl) Close() error {
	c.closed = true
	return nil
}

func (c *fakeCtl) getLong(b []byte) int64 {
	if c.long == 4 {
		return int64(int32(binary.NativeEndian.Uint32(b)))
	}
	return int64(binary.NativeEndian.Uint64(b))
}

func (c *fakeCtl) putLong(b []byte, v int64) {
	if c.long == 4 {
		binary.NativeEndian.PutUint32(b, uint32(int32(v)))
	} else {
		binary.NativeEndian.PutUint64(b, uint64(v))
	}
}

// putID writes element i (numid i+1) as a struct snd_ctl_elem_id.
func (c *fakeCtl) putID(b []byte, i int) {
	e := c.elems[i]
	clear(b[:64])
	binary.NativeEndian.PutUint32(b[0:], uint32(i+1)) // numid
	binary.NativeEndian.PutUint32(b[4:], uint32(e.iface))
	copy(b[16:60], e.name)
	binary.NativeEndian.PutUint32(b[60:], e.index)
}

// elem finds the element an id names by its numid.
func (c *fakeCtl) elem(b []byte) (*fakeElem, int, error) {
	n := int(binary.NativeEndian.Uint32(b[0:]))
	if n < 1 || n > len(c.elems) {
		return nil, 0, syscall.ENOENT
	}
	return c.elems[n-1], n - 1, nil
}

func (c *fakeCtl) ioctl(req uintptr, arg []byte) error {
	c.t.Helper()
	if c.closed {
		return syscall.EBADF
	}
	if c.fail != nil {
		return c.fail
	}
	if size := int(req >> 16 & 0x3fff); size != len(arg) {
		c.t.Errorf("ioctl %#x: argument of %d bytes, the number says %d", req, len(arg), size)
	}
	wide := c.long == 8
	pick := func(lp64, ilp32 uintptr) uintptr {
		if wide {
			return lp64
		}
		return ilp32
	}
	switch req {
	case 0x81785501: // CARD_INFO
		binary.NativeEndian.PutUint32(arg[0:], 3)
		copy(arg[8:24], c.id)
		copy(arg[24:40], "FakeDrv")
		copy(arg[40:72], "Fake Card")
		copy(arg[72:152], "Fake Card at test")
		copy(arg[168:248], "Fake Mixer")
	case pick(0xC0505510, 0xC0485510): // ELEM_LIST
		space := int(binary.NativeEndian.Uint32(arg[4:]))
		var ptr uintptr
		if wide {
			ptr = uintptr(binary.NativeEndian.Uint64(arg[16:]))
		} else {
			ptr = uintptr(binary.NativeEndian.Uint32(arg[16:]))
		}
		used := 0
		if space > 0 {
			ids, ok := c.mem[ptr]
			if !ok {
				c.t.Errorf("ELEM_LIST: pids %#x was not handed out", ptr)
				return syscall.EFAULT
			}
			for used < space && used < len(c.elems) {
				c.putID(ids[used*64:], used)
				used++
			}
		}
		binary.NativeEndian.PutUint32(arg[8:], uint32(used))
		binary.NativeEndian.PutUint32(arg[12:], uint32(len(c.elems)))
	case 0xC1105511: // ELEM_INFO
		e, i, err := c.elem(arg)
		if err != nil {
			return err
		}
		c.putID(arg, i)
		binary.NativeEndian.PutUint32(arg[64:], uint32(e.typ))
		binary.NativeEndian.PutUint32(arg[68:], e.access)
		binary.NativeEndian.PutUint32(arg[72:], uint32(len(e.values)))
		if e.typ == typeInteger {
			c.putLong(arg[80:], e.min)
			c.putLong(arg[80+c.long:], e.max)
			c.putLong(arg[80+2*c.long:], e.step)
		}
	case pick(0xC4C85512, 0xC2C85512): // ELEM_READ
		e, _, err := c.elem(arg)
		if err != nil {
			return err
		}
		if e.readErr != nil {
			return e.readErr
		}
		for i, v := range e.values {
			c.putLong(arg[72+i*c.long:], v)
		}
	case pick(0xC4C85513, 0xC2C85513): // ELEM_WRITE
		e, _, err := c.elem(arg)
		if err != nil {
			return err
		}
		if e.access&accessWrite == 0 {
			return syscall.EPERM
		}
		for i := range e.values {
			v := c.getLong(arg[72+i*c.long:])
			if e.typ == typeInteger && (v < e.min || v > e.max) || e.typ == typeBoolean && v != 0 && v != 1 {
				return syscall.EINVAL
			}
			e.values[i] = v
		}
		c.writes++
	default:
		c.t.Errorf("unexpected ioctl %#x for a %d-byte long", req, c.long)
		return syscall.ENOTTY
	}
	return nil
}
