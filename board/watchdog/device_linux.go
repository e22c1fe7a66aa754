//go:build linux

package watchdog

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// fileDevice is a Linux watchdog character device.
type fileDevice struct {
	fd   int
	path string
}

// openDevice opens path, which must be a character device. Opening a
// watchdog starts it.
func openDevice(path string) (device, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return nil, fmt.Errorf("watchdog: %s: %w", path, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFCHR {
		return nil, fmt.Errorf("%w: %s is not a character device", ErrNotWatchdog, path)
	}
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("watchdog: open %s: %w", path, err)
	}
	return &fileDevice{fd: fd, path: path}, nil
}

// SetTimeout implements device with WDIOC_SETTIMEOUT and WDIOC_GETTIMEOUT.
func (d *fileDevice) SetTimeout(seconds int) (int, error) {
	err := unix.IoctlSetPointerInt(d.fd, unix.WDIOC_SETTIMEOUT, seconds)
	// ENOTTY: not a watchdog. ENOSYS: an emulator (qemu-user) that does
	// not pass watchdog ioctls on.
	if errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.ENOSYS) {
		return 0, fmt.Errorf("%w: %s does not take watchdog ioctls", ErrNotWatchdog, d.path)
	}
	got, gerr := unix.IoctlGetInt(d.fd, unix.WDIOC_GETTIMEOUT)
	if gerr != nil {
		got = 0
	}
	if err != nil {
		return got, fmt.Errorf("watchdog: %s: set timeout: %w", d.path, err)
	}
	return got, nil
}

// Keepalive implements device with WDIOC_KEEPALIVE.
func (d *fileDevice) Keepalive() error { return unix.IoctlWatchdogKeepalive(d.fd) }

// Write implements device.
func (d *fileDevice) Write(p []byte) error {
	_, err := unix.Write(d.fd, p)
	return err
}

// Close implements device.
func (d *fileDevice) Close() error { return unix.Close(d.fd) }
