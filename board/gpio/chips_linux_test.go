//go:build linux

package gpio

import (
	"errors"
	"testing"

	"handset/config"
)

// TestOpenChips runs against whatever the machine has: usually no GPIO
// chips at all (a clear ErrNoChip), else a line name no chip has.
func TestOpenChips(t *testing.T) {
	c, err := OpenChips()
	if err != nil {
		if !errors.Is(err, ErrNoChip) {
			t.Fatalf("OpenChips: %v, want ErrNoChip", err)
		}
		return
	}
	t.Logf("chips: %s", c.Describe())
	if _, err := c.Take(config.Pin{Name: "HANDSET_NO_SUCH_LINE"}); !errors.Is(err, ErrNoLine) {
		t.Fatalf("Take of a missing line: %v, want ErrNoLine", err)
	}
}
