package board

import (
	"fmt"
	"strings"
	"time"

	"handset/config"
)

// Profile is the built-in wiring of one board model: which line of the GPIO
// chip behind the 40-pin header does which job.
type Profile struct {
	Model config.Model
	Name  string // e.g. "Raspberry Pi Zero W"
	// Chip is the label of the GPIO chip behind the header. Its line
	// offsets are the BCM GPIO numbers, so the default pins are written
	// "<chip>:<offset>" and do not depend on device-tree line names.
	Chip string

	gpios defaultGPIOs
}

// defaultGPIOs are a profile's default BCM GPIO numbers per job; -1 = none.
type defaultGPIOs struct {
	rows, cols                                     [4]int
	hook, ringer                                   int
	ledRegistered, ledInCall, ledMessage, ledError int
	volumeUp, volumeDown                           int
}

// header40 is the default wiring of every 40-pin Raspberry Pi. It keeps
// clear of the I2S pins (GPIO18-21) an audio HAT uses, of I2C1 (GPIO2/3)
// that its codec is set up through, of the UART (GPIO14/15) and of the HAT
// ID EEPROM (GPIO0/1). The keypad, hook switch and ringer also avoid SPI0
// (GPIO7-11); with 13 free lines left for 16 jobs, the error LED and the two
// volume keys take SPI0 lines, so they fail (and are skipped, with a
// warning) only when SPI is switched on.
func header40() defaultGPIOs {
	return defaultGPIOs{
		rows:          [4]int{5, 6, 13, 26},
		cols:          [4]int{12, 16, 4, 22},
		hook:          17,
		ringer:        27,
		ledRegistered: 23,
		ledInCall:     24,
		ledMessage:    25,
		ledError:      7,
		volumeUp:      8,
		volumeDown:    9,
	}
}

// Profiles returns the built-in board profiles.
func Profiles() []Profile {
	return []Profile{
		{Model: config.ModelPiZeroW, Name: "Raspberry Pi Zero W", Chip: "pinctrl-bcm2835", gpios: header40()},
		{Model: config.ModelPiZero2W, Name: "Raspberry Pi Zero 2 W", Chip: "pinctrl-bcm2835", gpios: header40()},
		{Model: config.ModelPi3, Name: "Raspberry Pi 3 Model B / B+", Chip: "pinctrl-bcm2835", gpios: header40()},
		{Model: config.ModelPi4, Name: "Raspberry Pi 4 Model B", Chip: "pinctrl-bcm2711", gpios: header40()},
	}
}

// ProfileFor returns the profile of model; ok is false for a model without
// one ("sim", "none", or an unknown name).
func ProfileFor(model config.Model) (p Profile, ok bool) {
	for _, p := range Profiles() {
		if p.Model == model {
			return p, true
		}
	}
	return Profile{}, false
}

// Defaults returns the profile's pins as a [board] section with four
// keypad columns and nothing else set.
func (p Profile) Defaults() config.Board {
	pin := func(gpio int) config.Pin {
		if gpio < 0 {
			return config.Pin{}
		}
		return config.Pin{Chip: p.Chip, Offset: gpio}
	}
	g := p.gpios
	b := config.Board{
		Model:         p.Model,
		Hook:          pin(g.hook),
		Ringer:        pin(g.ringer),
		LEDRegistered: pin(g.ledRegistered),
		LEDInCall:     pin(g.ledInCall),
		LEDMessage:    pin(g.ledMessage),
		LEDError:      pin(g.ledError),
		VolumeUp:      pin(g.volumeUp),
		VolumeDown:    pin(g.volumeDown),
	}
	for _, r := range g.rows {
		b.KeypadRows = append(b.KeypadRows, pin(r))
	}
	for _, c := range g.cols {
		b.KeypadCols = append(b.KeypadCols, pin(c))
	}
	return b
}

// The keypad layouts used when the configuration names none.
const (
	Layout4x3 = "123456789*0#"
	Layout4x4 = "123A456B789C*0#D"
)

// Resolve merges cfg over its model's profile: every zero pin (and every
// zero entry of a keypad pin list) takes the profile's default, the keypad
// layout and the hook and ringer settings get their defaults, and the
// result is checked. Model "none" has no defaults: only the pins cfg sets
// are used. A 12-key layout with the default columns uses the first three.
func Resolve(cfg config.Board) (config.Board, error) {
	var def config.Board
	switch cfg.Model {
	case config.ModelNone:
	case config.ModelSim, "":
		return config.Board{}, fmt.Errorf("%w: %q", ErrNoHardware, cfg.Model)
	default:
		p, ok := ProfileFor(cfg.Model)
		if !ok {
			return config.Board{}, fmt.Errorf("%w: unknown model %q", ErrWiring, cfg.Model)
		}
		def = p.Defaults()
	}
	b := cfg
	b.Hook = orDefault(cfg.Hook, def.Hook)
	b.Ringer = orDefault(cfg.Ringer, def.Ringer)
	b.LEDRegistered = orDefault(cfg.LEDRegistered, def.LEDRegistered)
	b.LEDInCall = orDefault(cfg.LEDInCall, def.LEDInCall)
	b.LEDMessage = orDefault(cfg.LEDMessage, def.LEDMessage)
	b.LEDError = orDefault(cfg.LEDError, def.LEDError)
	b.VolumeUp = orDefault(cfg.VolumeUp, def.VolumeUp)
	b.VolumeDown = orDefault(cfg.VolumeDown, def.VolumeDown)
	defCols := def.KeypadCols
	if len(cfg.KeypadLayout) == len(Layout4x3) && len(defCols) == 4 {
		defCols = defCols[:3]
	}
	b.KeypadRows = listOrDefault(cfg.KeypadRows, def.KeypadRows)
	b.KeypadCols = listOrDefault(cfg.KeypadCols, defCols)
	b.KeypadLayout = keypadLayout(b)
	if err := fillSettings(&b); err != nil {
		return config.Board{}, err
	}
	if err := checkKeypad(b); err != nil {
		return config.Board{}, err
	}
	if err := checkUnique(b); err != nil {
		return config.Board{}, err
	}
	return b, nil
}

func orDefault(set, def config.Pin) config.Pin {
	if set.IsZero() {
		return def
	}
	return set
}

func listOrDefault(set, def []config.Pin) []config.Pin {
	if set == nil {
		return append([]config.Pin(nil), def...)
	}
	out := make([]config.Pin, len(set))
	for i, p := range set {
		if p.IsZero() && i < len(def) {
			p = def[i]
		}
		out[i] = p
	}
	return out
}

// fillSettings gives the hook and ringer settings left empty their
// defaults (as config.Default has them) and checks them.
func fillSettings(b *config.Board) error {
	if b.HookActive == "" {
		b.HookActive = config.ActiveLow
	}
	if b.HookContact == "" {
		b.HookContact = config.ContactNO
	}
	if b.RingerActive == "" {
		b.RingerActive = config.ActiveHigh
	}
	if b.FlashMin == 0 && b.FlashMax == 0 {
		b.FlashMin, b.FlashMax = 100*time.Millisecond, 800*time.Millisecond
	}
	switch {
	case b.HookActive != config.ActiveLow && b.HookActive != config.ActiveHigh:
		return fmt.Errorf("%w: hook_active %q: want \"low\" or \"high\"", ErrWiring, b.HookActive)
	case b.RingerActive != config.ActiveLow && b.RingerActive != config.ActiveHigh:
		return fmt.Errorf("%w: ringer_active %q: want \"low\" or \"high\"", ErrWiring, b.RingerActive)
	case b.HookContact != config.ContactNO && b.HookContact != config.ContactNC:
		return fmt.Errorf("%w: hook_contact %q: want \"no\" or \"nc\"", ErrWiring, b.HookContact)
	case b.FlashMin <= 0 || b.FlashMax <= b.FlashMin:
		return fmt.Errorf("%w: flash window %v to %v: want 0 < flash_min < flash_max", ErrWiring, b.FlashMin, b.FlashMax)
	}
	return nil
}

// checkKeypad fills the default layout and checks that it fits the matrix.
func checkKeypad(b config.Board) error {
	rows, cols := len(b.KeypadRows), len(b.KeypadCols)
	if (rows == 0) != (cols == 0) {
		return fmt.Errorf("%w: the keypad needs both row and column pins (have %d rows, %d columns)", ErrWiring, rows, cols)
	}
	if rows == 0 {
		if b.KeypadLayout != "" {
			return fmt.Errorf("%w: keypad layout %q given but no keypad pins", ErrWiring, b.KeypadLayout)
		}
		return nil
	}
	for _, p := range append(append([]config.Pin(nil), b.KeypadRows...), b.KeypadCols...) {
		if p.IsZero() {
			return fmt.Errorf("%w: a keypad pin is empty and the model has no default for it", ErrWiring)
		}
	}
	layout := b.KeypadLayout
	if len(layout) != rows*cols {
		return fmt.Errorf("%w: keypad layout %q has %d keys, the matrix %dx%d has %d", ErrWiring, layout, len(layout), rows, cols, rows*cols)
	}
	for i, r := range layout {
		if !strings.ContainsRune("0123456789*#ABCD", r) || strings.ContainsRune(layout[:i], r) {
			return fmt.Errorf("%w: keypad layout %q: key %q is not a keypad key or appears twice", ErrWiring, layout, r)
		}
	}
	return nil
}

// keypadLayout returns b's keypad layout, or the standard one for its
// number of columns when it names none.
func keypadLayout(b config.Board) string {
	switch {
	case b.KeypadLayout != "":
		return b.KeypadLayout
	case len(b.KeypadCols) == 4:
		return Layout4x4
	case len(b.KeypadCols) == 3:
		return Layout4x3
	}
	return ""
}

// checkUnique rejects a pin given two jobs.
func checkUnique(b config.Board) error {
	first := make(map[config.Pin]string)
	for _, j := range jobs(b) {
		if other, dup := first[j.pin]; dup {
			return fmt.Errorf("%w: pin %q is both the %s and the %s", ErrWiring, j.pin, other, j.name)
		}
		first[j.pin] = j.name
	}
	return nil
}

// job is one thing a GPIO line does on the phone.
type job struct {
	name string // e.g. "keypad row 1"
	pin  config.Pin
}

// jobs lists b's pins that are set, with their jobs, in a fixed order.
func jobs(b config.Board) []job {
	var js []job
	add := func(name string, p config.Pin) {
		if !p.IsZero() {
			js = append(js, job{name, p})
		}
	}
	for i, p := range b.KeypadRows {
		add(fmt.Sprintf("keypad row %d", i+1), p)
	}
	for i, p := range b.KeypadCols {
		add(fmt.Sprintf("keypad column %d", i+1), p)
	}
	add("hook switch", b.Hook)
	add("ringer", b.Ringer)
	add("registered LED", b.LEDRegistered)
	add("in-call LED", b.LEDInCall)
	add("message LED", b.LEDMessage)
	add("error LED", b.LEDError)
	add("volume up key", b.VolumeUp)
	add("volume down key", b.VolumeDown)
	return js
}
