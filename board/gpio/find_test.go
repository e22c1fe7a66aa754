package gpio

import (
	"errors"
	"strings"
	"testing"

	"handset/config"
)

func TestFind(t *testing.T) {
	chips := []chipInfo{
		{name: "gpiochip0", label: "pinctrl-bcm2835", lines: []string{"ID_SDA", "ID_SCL", "SDA1", "GPIO17", "SHARED"}},
		{name: "gpiochip1", label: "raspberrypi-exp-gpio", lines: []string{"BT_ON", "", "gpiochip1-SHARED", "GPIO17x"}},
		{name: "gpiochip2", label: "pinctrl-emu", lines: []string{"HOOK", "ROW0"}},
	}
	tests := []struct {
		pin          config.Pin
		chip, offset int
		err          error
		msg          string // part of the error text
	}{
		{pin: config.Pin{Name: "GPIO17"}, chip: 0, offset: 3},
		{pin: config.Pin{Name: "HOOK"}, chip: 2, offset: 0},
		{pin: config.Pin{Chip: "pinctrl-emu", Name: "ROW0"}, chip: 2, offset: 1},
		{pin: config.Pin{Chip: "gpiochip2", Name: "ROW0"}, chip: 2, offset: 1},
		{pin: config.Pin{Chip: "pinctrl-bcm2835", Offset: 4}, chip: 0, offset: 4},
		{pin: config.Pin{Chip: "gpiochip1", Offset: 0}, chip: 1, offset: 0},
		// periph renamed the second SHARED; asking the chip for it still works.
		{pin: config.Pin{Chip: "gpiochip1", Name: "SHARED"}, chip: 1, offset: 2},
		{pin: config.Pin{Name: "SHARED"}, err: ErrAmbiguous, msg: `"chip:SHARED"`},
		{pin: config.Pin{Name: "NOPE"}, err: ErrNoLine, msg: "gpiochip2 (pinctrl-emu)"},
		{pin: config.Pin{Chip: "pinctrl-emu", Name: "COL9"}, err: ErrNoLine, msg: `no line named "COL9"`},
		{pin: config.Pin{Chip: "pinctrl-emu", Offset: 2}, err: ErrNoLine, msg: "lines 0 to 1"},
		{pin: config.Pin{Chip: "pinctrl-emu", Offset: -1}, err: ErrNoLine},
		{pin: config.Pin{Chip: "gpiochip7", Offset: 1}, err: ErrNoLine, msg: `no chip "gpiochip7"`},
		{pin: config.Pin{}, err: ErrNoLine},
	}
	for i, tc := range tests {
		chip, off, err := find(chips, tc.pin)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("#%d %q: err %v, want %v", i, tc.pin, err, tc.err)
			} else if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("#%d %q: error %q does not say %q", i, tc.pin, err, tc.msg)
			}
			continue
		}
		if err != nil || chip != tc.chip || off != tc.offset {
			t.Errorf("#%d %q: got chip %d offset %d err %v, want %d %d", i, tc.pin, chip, off, err, tc.chip, tc.offset)
		}
	}
}

func TestFindNoChips(t *testing.T) {
	_, _, err := find(nil, config.Pin{Name: "HOOK"})
	if !errors.Is(err, ErrNoLine) || !strings.Contains(err.Error(), "chips: none") {
		t.Fatalf("err %v", err)
	}
}
