//go:build !linux

package bench

import (
	"fmt"

	"handset/hal"
)

// Capture records the UDP datagrams that cross the loopback interface;
// only on Linux.
type Capture struct{}

// StartCapture fails: the capture needs Linux's AF_PACKET sockets.
func StartCapture(hal.Clock) (*Capture, error) {
	return nil, fmt.Errorf("%w: needs Linux", ErrCapture)
}

// Stop returns nothing.
func (c *Capture) Stop() ([]Packet, error) { return nil, nil }

// Snapshot returns nothing.
func (c *Capture) Snapshot() []Packet { return nil }
