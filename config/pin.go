package config

import (
	"errors"
	"strconv"
	"strings"
)

// Pin names one GPIO line in one of three ways:
//
//	"GPIO17"                  a line name, looked up on every chip
//	"gpiochip0:17"            a chip and a line offset on it
//	"pinctrl-bcm2835:GPIO17"  a chip and a line name on it
//
// A chip is named by its device name (gpiochip0) or its label. The zero Pin
// means "not set".
type Pin struct {
	Chip   string // "" = any chip
	Name   string // the line name; "" when Offset is used
	Offset int    // the line offset on Chip, used when Name is ""
}

// IsZero reports whether the pin is unset.
func (p Pin) IsZero() bool { return p.Chip == "" && p.Name == "" }

// String returns the pin as the configuration file writes it.
func (p Pin) String() string {
	switch {
	case p.IsZero():
		return ""
	case p.Chip == "":
		return p.Name
	case p.Name == "":
		return p.Chip + ":" + strconv.Itoa(p.Offset)
	}
	return p.Chip + ":" + p.Name
}

// maxLineOffset bounds line offsets; real chips have a few hundred lines.
const maxLineOffset = 9999

// parsePin reads a pin as written in the file; "" is the zero Pin.
func parsePin(s string) (Pin, error) {
	if s == "" {
		return Pin{}, nil
	}
	chip, line, hasChip := strings.Cut(s, ":")
	if !hasChip {
		if isDigits(s) {
			return Pin{}, errors.New(`a bare number is ambiguous: write a line name such as "GPIO17", or a chip and offset such as "gpiochip0:17"`)
		}
		if !isPinName(s) {
			return Pin{}, errors.New(`want a line name such as "GPIO17", or "chip:offset" / "chip:name" such as "gpiochip0:17"`)
		}
		return Pin{Name: s}, nil
	}
	if !isPinName(chip) {
		return Pin{}, errors.New(`the chip before ":" must be a name such as "gpiochip0" or "pinctrl-bcm2835"`)
	}
	if isDigits(line) {
		off, err := strconv.Atoi(line)
		if err != nil || off > maxLineOffset {
			return Pin{}, errors.New("the line offset is out of range")
		}
		return Pin{Chip: chip, Offset: off}, nil
	}
	if !isPinName(line) {
		return Pin{}, errors.New(`after "chip:" write a line offset such as "17" or a line name such as "GPIO17"`)
	}
	return Pin{Chip: chip, Name: line}, nil
}

// isPinName reports whether s can be a chip or line name: letters, digits,
// "_", "-" and ".", not starting with "-" or ".".
func isPinName(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' || s[0] == '.' {
		return false
	}
	for i := range len(s) {
		if !isBareKeyChar(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}
