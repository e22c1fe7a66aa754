package main

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeSys lays out the configfs and sysfs files of one live gpio-sim bank
// under a temporary /sys and returns its root.
func fakeSys(t *testing.T, label, devName string) string {
	t.Helper()
	sys := t.TempDir()
	files := map[string]string{
		"kernel/config/gpio-sim/phone/dev_name":                 devName + "\n",
		"kernel/config/gpio-sim/phone/bank0/label":              label + "\n",
		"kernel/config/gpio-sim/phone/bank0/chip_name":          "gpiochip1\n",
		"kernel/config/gpio-sim/phone/bank0/line0/name":         "HOOK\n",
		"kernel/config/gpio-sim/phone/bank0/line3/name":         "ROW0\n",
		"kernel/config/gpio-sim/phone/bank0/line12/name":        "COL0\n",
		"kernel/config/gpio-sim/phone/bank0/line4/name":         "\n", // unnamed
		"devices/platform/gpio-sim.0/gpiochip1/sim_gpio0/pull":  "pull-down\n",
		"devices/platform/gpio-sim.0/gpiochip1/sim_gpio0/value": "1\n",
		"devices/platform/gpio-sim.0/gpiochip1/sim_gpio3/value": "0\n",
		"module/gpio_sim_emu/parameters/key":                    "-1,-1\n",
	}
	for name, body := range files {
		path := filepath.Join(sys, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return sys
}

func readBack(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSimChip(t *testing.T) {
	sys := fakeSys(t, "pinctrl-emu", "gpio-sim.0")
	s, err := openSimAt(sys, "pinctrl-emu")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.lines) != 3 || s.lines["HOOK"] != 0 || s.lines["ROW0"] != 3 || s.lines["COL0"] != 12 {
		t.Errorf("lines = %v", s.lines)
	}
	line := func(n, f string) string { return filepath.Join(sys, "devices/platform/gpio-sim.0/gpiochip1", n, f) }

	for _, c := range []struct {
		up   bool
		want string
	}{{true, "pull-up"}, {false, "pull-down"}} {
		if err := s.pull("HOOK", c.up); err != nil {
			t.Fatal(err)
		}
		if got := readBack(t, line("sim_gpio0", "pull")); got != c.want {
			t.Errorf("pull(HOOK, %v) wrote %q, want %q", c.up, got, c.want)
		}
	}
	for name, want := range map[string]bool{"HOOK": true, "ROW0": false} {
		if got, err := s.value(name); err != nil || got != want {
			t.Errorf("value(%s) = %v, %v; want %v", name, got, err, want)
		}
	}
	key := filepath.Join(sys, keyParam)
	if err := s.press("ROW0", "COL0"); err != nil {
		t.Fatal(err)
	}
	if got := readBack(t, key); got != "3,12" {
		t.Errorf("press wrote %q, want 3,12", got)
	}
	if err := s.release(); err != nil {
		t.Fatal(err)
	}
	if got := readBack(t, key); got != "-1,-1" {
		t.Errorf("release wrote %q, want -1,-1", got)
	}

	// Names the bank does not have.
	if err := s.pull("RINGER", true); err == nil {
		t.Error("pull of an unknown line: no error")
	}
	if _, err := s.value("RINGER"); err == nil {
		t.Error("value of an unknown line: no error")
	}
	if err := s.press("ROW0", "COL9"); err == nil {
		t.Error("press on an unknown column: no error")
	}
}

func TestOpenSimRejects(t *testing.T) {
	for _, c := range []struct {
		name, label, dev, want string
	}{
		{"other label", "gpio-sim.0-bank0", "gpio-sim.0", "pinctrl-emu"},
		{"not live", "pinctrl-emu", "", "pinctrl-emu"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sys := fakeSys(t, c.label, c.dev)
			if s, err := openSimAt(sys, c.want); err == nil {
				t.Errorf("got %+v, want an error", s)
			}
		})
	}
}
