//go:build linux

package watchdog

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"handset/hal/haltest"
)

// TestOpenRealDevices runs the real ioctl layer against files that are not
// watchdogs: nothing may be written to them.
func TestOpenRealDevices(t *testing.T) {
	clk := haltest.NewClock(time.Unix(0, 0))
	plain := filepath.Join(t.TempDir(), "watchdog")
	if err := os.WriteFile(plain, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(plain, quiet(), clk); !errors.Is(err, ErrNotWatchdog) {
		t.Fatalf("regular file: %v, want ErrNotWatchdog", err)
	}
	if b, _ := os.ReadFile(plain); string(b) != "keep" {
		t.Fatalf("regular file changed to %q", b)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none"), quiet(), clk); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing device: %v, want ErrNotExist", err)
	}
	if _, err := os.Stat("/dev/null"); err == nil {
		if _, err := Open("/dev/null", quiet(), clk); !errors.Is(err, ErrNotWatchdog) {
			t.Fatalf("/dev/null: %v, want ErrNotWatchdog", err)
		}
	}
}
