package alsa

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// ctlFile is an open control device (/dev/snd/controlC<N>). The real one
// issues ioctl(2); tests stand in for the kernel behind it.
type ctlFile interface {
	// ioctl issues request req on the device with arg as its argument.
	ioctl(req uintptr, arg []byte) error
	// addr is the address to store in a struct for the kernel to reach b
	// (ELEM_LIST's pids). b must be heap memory the caller keeps alive
	// until the ioctl returns.
	addr(b []byte) uintptr
	Close() error
}

// osCtlFile is a control device opened from /dev/snd.
type osCtlFile struct{ f *os.File }

// openCtlFile opens the control device of card.
func openCtlFile(card int) (*osCtlFile, error) {
	f, err := os.OpenFile(fmt.Sprintf("/dev/snd/controlC%d", card), os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	return &osCtlFile{f: f}, nil
}

func (c *osCtlFile) ioctl(req uintptr, arg []byte) error {
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, c.f.Fd(), req, uintptr(unsafe.Pointer(&arg[0])))
	if e != 0 {
		return e
	}
	return nil
}

func (c *osCtlFile) addr(b []byte) uintptr { return uintptr(unsafe.Pointer(&b[0])) }

func (c *osCtlFile) Close() error { return c.f.Close() }
