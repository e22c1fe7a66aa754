package board

import (
	"os"
	"path/filepath"
	"testing"

	"handset/config"
)

func TestDetectModel(t *testing.T) {
	tests := []struct {
		dt   string
		want config.Model
		ok   bool
	}{
		{"Raspberry Pi Zero W Rev 1.1\x00", config.ModelPiZeroW, true},
		{"Raspberry Pi Zero 2 W Rev 1.0\x00", config.ModelPiZero2W, true},
		{"Raspberry Pi 3 Model B Plus Rev 1.3\x00", config.ModelPi3, true},
		{"Raspberry Pi 3 Model B Rev 1.2\x00", config.ModelPi3, true},
		{"Raspberry Pi 4 Model B Rev 1.5\x00", config.ModelPi4, true},
		{"Raspberry Pi 5 Model B Rev 1.0\x00", "", false},
		{"linux,dummy-virt\x00", "", false},
	}
	for i, tc := range tests {
		p := filepath.Join(t.TempDir(), "model")
		if err := os.WriteFile(p, []byte(tc.dt), 0o644); err != nil {
			t.Fatal(err)
		}
		got, ok := DetectModel(p)
		if got != tc.want || ok != tc.ok {
			t.Errorf("#%d %q: %q %v, want %q %v", i, tc.dt, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := DetectModel(filepath.Join(t.TempDir(), "none")); ok {
		t.Error("detected a board without a device tree")
	}
}
