//go:build !linux

package watchdog

import "fmt"

// openDevice reports ErrUnsupported: the watchdog API is Linux's.
func openDevice(path string) (device, error) {
	return nil, fmt.Errorf("%w: %s", ErrUnsupported, path)
}
