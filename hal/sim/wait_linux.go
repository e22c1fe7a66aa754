//go:build linux && (amd64 || arm || arm64)

package sim

import (
	"os"
	"syscall"
	"time"
	"unsafe"
)

// kernelWaiter waits on a Linux timerfd in Go's network poller: the
// kernel wakes the waiting goroutine at the deadline, as a sound card's
// period interrupt wakes a pump blocked on its device. A runtime timer
// costs twice as many thread wake-ups (the poller sleeps in whole
// milliseconds, so it wakes early and sleeps again) and wakes the
// runtime's monitor thread as well; scripts/bench measured the card's
// clock at half the CPU this way. Its system calls are raw, non-blocking
// ones, which do not go through the scheduler.
type kernelWaiter struct {
	f      *os.File
	rc     syscall.RawConn
	spec   [2]syscall.Timespec // itimerspec: interval, value
	buf    [8]byte             // the expiry count a read returns
	setErr syscall.Errno
	armFn  func(fd uintptr)
	readFn func(fd uintptr) bool
}

// newKernelWaiter makes a timerfd, or returns nil if it cannot.
func newKernelWaiter() *kernelWaiter {
	const clockMonotonic = 1
	fd, _, e := syscall.RawSyscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if e != 0 {
		return nil
	}
	f := os.NewFile(fd, "sim-card-clock")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil
	}
	w := &kernelWaiter{f: f, rc: rc}
	w.armFn, w.readFn = w.arm, w.read
	return w
}

func (w *kernelWaiter) wait(d time.Duration) bool {
	w.spec[1] = syscall.NsecToTimespec(max(int64(d), 1)) // zero would disarm it
	if err := w.rc.Control(w.armFn); err != nil || w.setErr != 0 {
		return false
	}
	return w.rc.Read(w.readFn) == nil
}

func (w *kernelWaiter) arm(fd uintptr) {
	_, _, w.setErr = syscall.RawSyscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&w.spec)), 0, 0, 0)
}

func (w *kernelWaiter) read(fd uintptr) bool {
	_, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&w.buf[0])), uintptr(len(w.buf)))
	return e != syscall.EAGAIN && e != syscall.EINTR
}

// close closes the timerfd, which ends a wait in progress.
func (w *kernelWaiter) close() { w.f.Close() }
