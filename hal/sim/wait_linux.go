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
//
// Waits on a schedule (a period given) arm the timer once, as a periodic
// one whose first expiry is the first deadline; each later deadline on
// the same schedule then costs one read. A read returns how many expiries
// came since the last, and the waiter counts them, so one that came while
// nobody waited (the reader was late) never ends the wait for a later
// deadline early. A deadline off the schedule, or of its own, arms the
// timer afresh.
type kernelWaiter struct {
	f      *os.File
	rc     syscall.RawConn
	spec   [2]syscall.Timespec // itimerspec: interval, value
	count  uint64              // the expiries a read returns
	errno  syscall.Errno       // of the last arm or read
	armFn  func(fd uintptr)
	readFn func(fd uintptr) bool

	// The timer armed: expiry k (from 0) comes at first + k×period, a few
	// microseconds after it (the time the arming took) and never before;
	// period is 0 for a single expiry. fired counts the expiries read
	// since it was armed.
	first  time.Time
	period time.Duration
	fired  int64
	// arms counts the timer's arming: once per schedule.
	arms int
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
	w.armFn, w.readFn = w.setTime, w.read
	return w
}

func (w *kernelWaiter) wait(at time.Time, d, period time.Duration) bool {
	k, ok := w.expiry(at, period)
	if !ok {
		if !w.arm(at, d, period) {
			return false
		}
		k = 0
	}
	for w.fired <= k {
		if err := w.rc.Read(w.readFn); err != nil || w.errno != 0 {
			w.period = 0 // its count is lost: arm afresh next time
			return false
		}
		w.fired += int64(w.count)
	}
	return true
}

// expiry returns which expiry of the periodic timer armed comes at at,
// if it comes at all.
func (w *kernelWaiter) expiry(at time.Time, period time.Duration) (int64, bool) {
	if w.period == 0 || period != w.period || at.Before(w.first) {
		return 0, false
	}
	since := at.Sub(w.first)
	return int64(since / period), since%period == 0
}

// arm sets the timer to expire d from now, at the deadline at, and every
// period after (period 0: once). Setting it clears the expiries not read.
func (w *kernelWaiter) arm(at time.Time, d, period time.Duration) bool {
	w.spec[0] = syscall.NsecToTimespec(int64(max(period, 0)))
	w.spec[1] = syscall.NsecToTimespec(max(int64(d), 1)) // zero would disarm it
	w.arms++
	w.first, w.period, w.fired = at, 0, 0
	if err := w.rc.Control(w.armFn); err != nil || w.errno != 0 {
		return false
	}
	w.period = max(period, 0)
	return true
}

func (w *kernelWaiter) setTime(fd uintptr) {
	_, _, w.errno = syscall.RawSyscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&w.spec)), 0, 0, 0)
}

// read takes the expiries since the last read into w.count; it reports
// false (wait for the poller) when there are none yet.
func (w *kernelWaiter) read(fd uintptr) bool {
	w.count = 0
	_, _, w.errno = syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&w.count)), unsafe.Sizeof(w.count))
	switch w.errno {
	case syscall.EAGAIN, syscall.EINTR:
		w.errno = 0
		return false
	}
	return true
}

// close closes the timerfd, which ends a wait in progress.
func (w *kernelWaiter) close() { w.f.Close() }
