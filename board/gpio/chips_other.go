//go:build !linux

package gpio

import (
	"fmt"

	"handset/config"
)

// Chips is the Source for the kernel's GPIO chips; it exists on Linux only.
type Chips struct{}

var _ Source = (*Chips)(nil)

// OpenChips reports ErrUnsupported: the GPIO character device is Linux's.
func OpenChips() (*Chips, error) { return nil, fmt.Errorf("gpio: %w", ErrUnsupported) }

// Describe lists the chips, for logs.
func (c *Chips) Describe() string { return "none" }

// Take implements Source; it always fails.
func (c *Chips) Take(p config.Pin) (Line, error) {
	return nil, fmt.Errorf("gpio: line %q: %w", p, ErrUnsupported)
}
