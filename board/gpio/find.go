package gpio

import (
	"fmt"
	"strings"

	"handset/config"
)

// chipInfo is what find needs to know about one GPIO chip.
type chipInfo struct {
	name  string   // device name, e.g. "gpiochip0"
	label string   // e.g. "pinctrl-bcm2835"
	lines []string // line names by offset ("" for unnamed lines)
}

// find locates p among chips and returns the chip's index and the line's
// offset on it.
func find(chips []chipInfo, p config.Pin) (chip, offset int, err error) {
	if p.IsZero() {
		return 0, 0, fmt.Errorf("gpio: no line given: %w", ErrNoLine)
	}
	if p.Chip == "" {
		return findBare(chips, p.Name)
	}
	chip = -1
	for i, c := range chips {
		if c.name == p.Chip || c.label == p.Chip {
			chip = i
			break
		}
	}
	if chip < 0 {
		return 0, 0, fmt.Errorf("gpio: line %q: %w: no chip %q (chips: %s)", p, ErrNoLine, p.Chip, chipList(chips))
	}
	c := chips[chip]
	if p.Name == "" {
		if p.Offset < 0 || p.Offset >= len(c.lines) {
			return 0, 0, fmt.Errorf("gpio: line %q: %w: chip %s has lines 0 to %d", p, ErrNoLine, c.describe(), len(c.lines)-1)
		}
		return chip, p.Offset, nil
	}
	if off := c.lineNamed(p.Name); off >= 0 {
		return chip, off, nil
	}
	return 0, 0, fmt.Errorf("gpio: line %q: %w: chip %s has no line named %q", p, ErrNoLine, c.describe(), p.Name)
}

// findBare searches every chip for a line called name; it must be on
// exactly one.
func findBare(chips []chipInfo, name string) (chip, offset int, err error) {
	chip, offset = -1, -1
	var on []string
	for i, c := range chips {
		if off := c.lineNamed(name); off >= 0 {
			if chip < 0 {
				chip, offset = i, off
			}
			on = append(on, c.describe())
		}
	}
	switch len(on) {
	case 0:
		return 0, 0, fmt.Errorf("gpio: line %q: %w: no chip has a line of that name (chips: %s)", name, ErrNoLine, chipList(chips))
	case 1:
		return chip, offset, nil
	}
	return 0, 0, fmt.Errorf("gpio: line %q: %w (%s): write the chip too, as \"chip:%s\"", name, ErrAmbiguous, strings.Join(on, ", "), name)
}

// lineNamed returns the offset of the line called name, or -1. periph
// renames a line whose name another chip already registered to
// "<chip>-<name>", so that form matches too.
func (c chipInfo) lineNamed(name string) int {
	for off, n := range c.lines {
		if n != "" && (n == name || n == c.name+"-"+name) {
			return off
		}
	}
	return -1
}

func (c chipInfo) describe() string {
	if c.label == c.name || c.label == "" {
		return c.name
	}
	return c.name + " (" + c.label + ")"
}

func chipList(chips []chipInfo) string {
	if len(chips) == 0 {
		return "none"
	}
	s := make([]string, len(chips))
	for i, c := range chips {
		s[i] = c.describe()
	}
	return strings.Join(s, ", ")
}
