package board

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"handset/board/gpio"
	"handset/board/watchdog"
	"handset/config"
	"handset/hal"
)

// The deadlines of the liveness sources board registers with the watchdog:
// the hook poll (every 5 ms) and the keypad scan (every 10 ms) must run at
// least this often.
const inputDeadline = 3 * time.Second

// Hardware is the phone's parts on one board. Every part is there even when
// the board has no line for it: a Bell without a ringer is silent, Lamps
// without LEDs show nothing, a Keypad without keys sends nothing.
type Hardware struct {
	Hook   *Hook
	Keypad *Keypad
	Bell   *Bell
	Lamps  *Lamps
	// Watchdog is nil when board.watchdog is "" or the device could not be
	// opened; a nil Watchdog's Register still works (and does nothing).
	Watchdog *watchdog.Watchdog
	// Wiring is the [board] section as used: the profile's defaults merged
	// with the configuration (see Resolve).
	Wiring config.Board

	lines []gpio.Line // every line taken, for release on failure
}

// Open builds the phone's parts for cfg.Model from the kernel's GPIO chips:
// the profile's default pins with cfg's overrides (Resolve), the hook
// switch (required), the keypad (required when it has pins), and the
// ringer, LEDs and volume keys, each optional: a part with no pin is
// logged and left out, and so is one whose line cannot be taken. It also
// opens the watchdog device, if one is configured, and registers the hook
// poll and the keypad scan with it as liveness sources.
//
// Model "sim" is ErrNoHardware: the caller runs hal/sim instead. Model
// "none" uses only the pins cfg sets, e.g. "pinctrl-emu:HOOK" for a
// gpio-sim chip.
//
// If Open fails, or panics, half way it releases every line it took. The
// caller owns the Hardware and should defer its Close, so that a panic
// unwinding main also switches the bell and LEDs off and frees the lines.
func Open(cfg config.Board, log *slog.Logger, clk hal.Clock) (*Hardware, error) {
	w, err := Resolve(cfg)
	if err != nil {
		return nil, err
	}
	chips, err := gpio.OpenChips()
	if err != nil {
		return nil, fmt.Errorf("board: %w", err)
	}
	log.Info("board: GPIO chips", "model", w.Model, "chips", chips.Describe())
	var wd *watchdog.Watchdog
	if w.Watchdog != "" {
		wd, err = watchdog.Open(w.Watchdog, log, clk)
		if err != nil {
			log.Error("board: running without the watchdog", "err", err)
			wd = nil
		}
	}
	hw, err := build(w, chips, wd, log, clk)
	if err != nil {
		return nil, errors.Join(err, wd.Close())
	}
	return hw, nil
}

// build takes the lines of the resolved wiring w from src and builds the
// parts. wd may be nil.
func build(w config.Board, src gpio.Source, wd *watchdog.Watchdog, log *slog.Logger, clk hal.Clock) (*Hardware, error) {
	hw := &Hardware{Wiring: w, Watchdog: wd}
	done := false
	defer func() {
		if !done { // an error or a panic: give everything back
			hw.release()
		}
	}()
	take := func(p config.Pin) (gpio.Line, error) {
		l, err := src.Take(p)
		if err == nil {
			hw.lines = append(hw.lines, l)
		}
		return l, err
	}
	// optional takes the line of an optional part; nil when there is none.
	optional := func(what string, p config.Pin) gpio.Line {
		if p.IsZero() {
			log.Info("board: no "+what+" pin", "model", w.Model)
			return nil
		}
		l, err := take(p)
		if err != nil {
			log.Warn("board: running without the "+what, "err", err)
			return nil
		}
		return l
	}

	if w.Hook.IsZero() {
		return nil, fmt.Errorf("%w: no hook switch pin: set board.hook", ErrWiring)
	}
	hookLine, err := take(w.Hook)
	if err != nil {
		return nil, fmt.Errorf("board: hook switch: %w", err)
	}
	hw.Hook, err = newHook(hookLine, hookSettings{active: w.HookActive, contact: w.HookContact,
		flashMin: w.FlashMin, flashMax: w.FlashMax}, wd.Register("hook poll", inputDeadline), log, clk)
	if err != nil {
		return nil, fmt.Errorf("board: hook switch: %w", err)
	}

	var rows, cols []gpio.Line
	for i, p := range w.KeypadRows {
		l, err := take(p)
		if err != nil {
			return nil, fmt.Errorf("board: keypad row %d: %w", i+1, err)
		}
		rows = append(rows, l)
	}
	for i, p := range w.KeypadCols {
		l, err := take(p)
		if err != nil {
			return nil, fmt.Errorf("board: keypad column %d: %w", i+1, err)
		}
		cols = append(cols, l)
	}
	if len(rows) == 0 {
		log.Info("board: no keypad pins", "model", w.Model)
	}
	var loose []looseKey
	if l := optional("volume up key", w.VolumeUp); l != nil {
		loose = append(loose, looseKey{l, hal.KeyVolumeUp})
	}
	if l := optional("volume down key", w.VolumeDown); l != nil {
		loose = append(loose, looseKey{l, hal.KeyVolumeDown})
	}
	var beat func()
	if len(rows)+len(loose) > 0 {
		beat = wd.Register("keypad scan", inputDeadline)
	}
	hw.Keypad, err = newKeypad(rows, cols, w.KeypadLayout, loose, beat, log, clk)
	if err != nil {
		return nil, fmt.Errorf("board: %w", err)
	}

	hw.Bell, err = newBell(optional("ringer", w.Ringer), w.RingerActive)
	if err != nil {
		return nil, fmt.Errorf("board: %w", err)
	}
	leds := make(map[hal.LED]gpio.Line)
	for _, l := range []struct {
		led hal.LED
		pin config.Pin
	}{
		{hal.LEDRegistered, w.LEDRegistered}, {hal.LEDInCall, w.LEDInCall},
		{hal.LEDMessage, w.LEDMessage}, {hal.LEDError, w.LEDError},
	} {
		if line := optional(string(l.led)+" LED", l.pin); line != nil {
			leds[l.led] = line
		}
	}
	hw.Lamps, err = newLamps(leds, log, clk)
	if err != nil {
		return nil, fmt.Errorf("board: %w", err)
	}
	log.Info("board: ready", "model", w.Model, "keys", len(hw.Keypad.keys), "leds", len(leds),
		"ringer", w.Ringer.String(), "hook", w.Hook.String())
	done = true
	return hw, nil
}

// Close switches the bell and LEDs off, stops the hook poll and the keypad
// scan, releases every line and closes the watchdog with its magic close.
func (hw *Hardware) Close() error {
	return errors.Join(hw.release(), hw.Watchdog.Close())
}

// release closes the parts built so far and every line taken.
func (hw *Hardware) release() error {
	var errs []error
	if hw.Lamps != nil {
		errs = append(errs, hw.Lamps.Close())
	}
	if hw.Bell != nil {
		errs = append(errs, hw.Bell.Close())
	}
	if hw.Keypad != nil {
		errs = append(errs, hw.Keypad.Close())
	}
	if hw.Hook != nil {
		errs = append(errs, hw.Hook.Close())
	}
	for _, l := range hw.lines { // closing twice is harmless
		errs = append(errs, l.Close())
	}
	return errors.Join(errs...)
}
