package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// keyParam is where (under /sys) the patched gpio-sim module
// (scripts/emu/prepare) takes the pressed key: "ROW,COL" line offsets, or
// "-1,-1".
const keyParam = "module/gpio_sim_emu/parameters/key"

// simChip is the outside world of one gpio-sim bank: what is wired to its
// lines. It finds the bank by label in configfs, where run.sh made it.
type simChip struct {
	dir   string         // the chip's sysfs folder, e.g. /sys/devices/platform/gpio-sim.0/gpiochip1
	key   string         // the key parameter's file
	lines map[string]int // line name → offset
}

// openSim finds the live gpio-sim bank labelled label.
func openSim(label string) (*simChip, error) { return openSimAt("/sys", label) }

// openSimAt is openSim with sysfs (and configfs in it) mounted at sys.
func openSimAt(sys, label string) (*simChip, error) {
	banks, _ := filepath.Glob(filepath.Join(sys, "kernel/config/gpio-sim/*/bank*"))
	for _, bank := range banks {
		if read(filepath.Join(bank, "label")) != label {
			continue
		}
		dev := read(filepath.Join(filepath.Dir(bank), "dev_name"))
		chip := read(filepath.Join(bank, "chip_name"))
		if dev == "" || chip == "" {
			return nil, fmt.Errorf("gpio-sim bank %s is not live", bank)
		}
		s := &simChip{dir: filepath.Join(sys, "devices/platform", dev, chip), key: filepath.Join(sys, keyParam),
			lines: make(map[string]int)}
		lines, _ := filepath.Glob(filepath.Join(bank, "line*"))
		for _, l := range lines {
			off, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(l), "line"))
			if name := read(filepath.Join(l, "name")); err == nil && name != "" {
				s.lines[name] = off
			}
		}
		return s, nil
	}
	return nil, fmt.Errorf("no gpio-sim bank labelled %q", label)
}

func read(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func (s *simChip) offset(name string) (int, error) {
	off, ok := s.lines[name]
	if !ok {
		return 0, fmt.Errorf("gpio-sim has no line %q", name)
	}
	return off, nil
}

// pull drives line name from outside: up or down, as a closed contact or
// the far end of a key would.
func (s *simChip) pull(name string, up bool) error {
	off, err := s.offset(name)
	if err != nil {
		return err
	}
	v := "pull-down"
	if up {
		v = "pull-up"
	}
	return os.WriteFile(filepath.Join(s.dir, fmt.Sprintf("sim_gpio%d", off), "pull"), []byte(v), 0)
}

// value reads the level of line name: what an output drives, or what an
// input reads.
func (s *simChip) value(name string) (bool, error) {
	off, err := s.offset(name)
	if err != nil {
		return false, err
	}
	b, err := os.ReadFile(filepath.Join(s.dir, fmt.Sprintf("sim_gpio%d", off), "value"))
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(b)) == "1", nil
}

// press closes the key between lines row and col.
func (s *simChip) press(row, col string) error {
	r, err := s.offset(row)
	if err != nil {
		return err
	}
	c, err := s.offset(col)
	if err != nil {
		return err
	}
	return os.WriteFile(s.key, []byte(fmt.Sprintf("%d,%d", r, c)), 0)
}

// release lets go of the key.
func (s *simChip) release() error {
	return os.WriteFile(s.key, []byte("-1,-1"), 0)
}
