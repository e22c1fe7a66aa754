package board

import (
	"errors"
	"strings"
	"testing"
	"time"

	"handset/config"
)

func TestProfileDefaultsKeepClear(t *testing.T) {
	forbidden := map[int]string{0: "HAT EEPROM", 1: "HAT EEPROM", 2: "I2C", 3: "I2C",
		14: "UART", 15: "UART", 18: "I2S", 19: "I2S", 20: "I2S", 21: "I2S"}
	optional := map[string]bool{"error LED": true, "volume up key": true, "volume down key": true}
	models := map[config.Model]bool{}
	for _, p := range Profiles() {
		models[p.Model] = true
		used := map[int]string{}
		js := jobs(p.Defaults())
		if len(js) != 16 {
			t.Errorf("%s: %d jobs, want 16", p.Model, len(js))
		}
		for _, j := range js {
			g := j.pin.Offset
			if j.pin.Chip != p.Chip || j.pin.Name != "" {
				t.Errorf("%s: %s is %q, want %s:<offset>", p.Model, j.name, j.pin, p.Chip)
			}
			if why, bad := forbidden[g]; bad {
				t.Errorf("%s: %s on GPIO%d, a %s pin", p.Model, j.name, g, why)
			}
			if spi0(g) && !optional[j.name] {
				t.Errorf("%s: %s on GPIO%d, an SPI0 pin", p.Model, j.name, g)
			}
			if headerPin(g) == 0 {
				t.Errorf("%s: %s on GPIO%d, which the header does not carry", p.Model, j.name, g)
			}
			if other, dup := used[g]; dup {
				t.Errorf("%s: GPIO%d is both %s and %s", p.Model, g, other, j.name)
			}
			used[g] = j.name
		}
	}
	for _, m := range []config.Model{config.ModelPiZeroW, config.ModelPiZero2W, config.ModelPi3, config.ModelPi4} {
		if !models[m] {
			t.Errorf("no profile for %s", m)
		}
	}
}

func TestHeaderPins(t *testing.T) {
	seen := map[int]bool{}
	for g := range 28 {
		h := headerPin(g)
		if h < 3 || h > 40 || seen[h] {
			t.Fatalf("GPIO%d on header pin %d", g, h)
		}
		seen[h] = true
	}
	for _, tc := range [][2]int{{17, 11}, {18, 12}, {27, 13}, {4, 7}, {26, 37}, {21, 40}, {28, 0}, {-1, 0}} {
		if got := headerPin(tc[0]); got != tc[1] {
			t.Errorf("GPIO%d: header pin %d, want %d", tc[0], got, tc[1])
		}
	}
}

func pi(off int) config.Pin { return config.Pin{Chip: "pinctrl-bcm2835", Offset: off} }

func TestResolve(t *testing.T) {
	base := config.Board{Model: config.ModelPiZeroW, HookActive: config.ActiveLow, HookContact: config.ContactNO,
		FlashMin: 100 * time.Millisecond, FlashMax: 800 * time.Millisecond, RingerActive: config.ActiveHigh}
	with := func(f func(b *config.Board)) config.Board {
		b := base
		f(&b)
		return b
	}
	tests := []struct {
		name  string
		cfg   config.Board
		check func(b config.Board) string // "" when fine
		err   error
	}{
		{name: "defaults", cfg: base, check: func(b config.Board) string {
			if b.Hook != pi(17) || b.Ringer != pi(27) || len(b.KeypadRows) != 4 || len(b.KeypadCols) != 4 ||
				b.KeypadLayout != Layout4x4 || b.LEDError != pi(7) {
				return "not the profile's defaults"
			}
			return ""
		}},
		{name: "hook override by name", cfg: with(func(b *config.Board) { b.Hook = config.Pin{Name: "GPIO22x"} }),
			check: func(b config.Board) string {
				if b.Hook != (config.Pin{Name: "GPIO22x"}) || b.Ringer != pi(27) {
					return "override lost"
				}
				return ""
			}},
		{name: "one keypad row overridden", cfg: with(func(b *config.Board) {
			b.KeypadRows = []config.Pin{{}, {Chip: "gpiochip0", Offset: 24}, {}, {}}
			b.LEDInCall = pi(11)
		}), check: func(b config.Board) string {
			if b.KeypadRows[0] != pi(5) || b.KeypadRows[1] != (config.Pin{Chip: "gpiochip0", Offset: 24}) || b.KeypadRows[3] != pi(26) {
				return "rows " + pinList(b.KeypadRows)
			}
			return ""
		}},
		{name: "12-key layout takes 3 default columns", cfg: with(func(b *config.Board) { b.KeypadLayout = "123456789*0#" }),
			check: func(b config.Board) string {
				if len(b.KeypadCols) != 3 || b.KeypadCols[2] != pi(4) {
					return "cols " + pinList(b.KeypadCols)
				}
				return ""
			}},
		{name: "3 columns get the 4x3 layout", cfg: with(func(b *config.Board) { b.KeypadCols = []config.Pin{pi(12), pi(16), pi(4)} }),
			check: func(b config.Board) string {
				if b.KeypadLayout != Layout4x3 {
					return "layout " + b.KeypadLayout
				}
				return ""
			}},
		{name: "empty settings get defaults", cfg: config.Board{Model: config.ModelPi4}, check: func(b config.Board) string {
			if b.HookActive != config.ActiveLow || b.HookContact != config.ContactNO || b.RingerActive != config.ActiveHigh ||
				b.FlashMin != 100*time.Millisecond || b.FlashMax != 800*time.Millisecond || b.Hook.Chip != "pinctrl-bcm2711" {
				return "settings not filled"
			}
			return ""
		}},
		{name: "model none uses only what is set", cfg: config.Board{Model: config.ModelNone,
			Hook: config.Pin{Chip: "pinctrl-emu", Name: "HOOK"}}, check: func(b config.Board) string {
			if len(jobs(b)) != 1 || b.KeypadRows != nil || b.KeypadLayout != "" {
				return "defaults crept in: " + pinList(b.KeypadRows)
			}
			return ""
		}},
		{name: "override clashes with a default", cfg: with(func(b *config.Board) { b.Hook = pi(23) }), err: ErrWiring},
		{name: "layout does not fit", cfg: with(func(b *config.Board) {
			b.KeypadCols = []config.Pin{pi(12), pi(16), pi(4)}
			b.KeypadLayout = Layout4x4
		}), err: ErrWiring},
		{name: "layout key twice", cfg: with(func(b *config.Board) { b.KeypadLayout = "123456789*00" }), err: ErrWiring},
		{name: "rows without columns", cfg: config.Board{Model: config.ModelNone, Hook: config.Pin{Name: "HOOK"},
			KeypadRows: []config.Pin{{Name: "ROW0"}}}, err: ErrWiring},
		{name: "layout without a keypad", cfg: config.Board{Model: config.ModelNone, Hook: config.Pin{Name: "HOOK"},
			KeypadLayout: Layout4x3}, err: ErrWiring},
		{name: "bad hook_active", cfg: with(func(b *config.Board) { b.HookActive = "sideways" }), err: ErrWiring},
		{name: "bad flash window", cfg: with(func(b *config.Board) { b.FlashMax = b.FlashMin }), err: ErrWiring},
		{name: "unknown model", cfg: config.Board{Model: "pi-7"}, err: ErrWiring},
		{name: "sim", cfg: config.Board{Model: config.ModelSim}, err: ErrNoHardware},
	}
	for _, tc := range tests {
		b, err := Resolve(tc.cfg)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: err %v, want %v", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if msg := tc.check(b); msg != "" {
			t.Errorf("%s: %s", tc.name, msg)
		}
	}
}

func TestResolveNamesTheClash(t *testing.T) {
	_, err := Resolve(config.Board{Model: config.ModelPi3, Ringer: pi(17)})
	if err == nil || !strings.Contains(err.Error(), "hook switch") || !strings.Contains(err.Error(), "ringer") {
		t.Fatalf("err %v: want it to name the hook switch and the ringer", err)
	}
}

func TestResolveDoesNotShareLists(t *testing.T) {
	a, _ := Resolve(config.Board{Model: config.ModelPi3})
	a.KeypadRows[0] = config.Pin{Name: "X"}
	b, _ := Resolve(config.Board{Model: config.ModelPi3})
	if b.KeypadRows[0] != pi(5) {
		t.Fatal("a resolved wiring shares its lists with the next one")
	}
}

func pinList(ps []config.Pin) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}
