package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"handset/board"
	"handset/config"
	"handset/hal"
	"handset/internal/emu"
)

// The gpio-sim bank run.sh makes; its line names are the pins' names.
const simLabel = "pinctrl-emu"

// event is one thing the board reported, with when it arrived.
type event struct {
	at   time.Time
	hook *hal.HookEvent
	key  *hal.KeyEvent
}

func (e event) String() string {
	switch {
	case e.hook != nil:
		return fmt.Sprintf("hook offhook=%v flash=%v", e.hook.OffHook, e.hook.Flash)
	case e.key != nil:
		return fmt.Sprintf("key %q long=%v", rune(e.key.Key), e.key.Long)
	}
	return "nothing"
}

// gpioCommand opens the [board] section's hardware (model "none" with
// gpio-sim pins) through board.Open and works it from outside: the hook
// contact through the hook line's pull, keys through the patched
// gpio-sim's key, volume keys through their pulls. It checks the events
// board reports, and the ringer and LED levels it drives.
func gpioCommand(args []string, log *slog.Logger) (*emu.Report, common, error) {
	var c common
	fs := flag.NewFlagSet("gpio", flag.ContinueOnError)
	c.register(fs)
	cfg, err := parse(fs, &c, args)
	if err != nil {
		return nil, c, err
	}
	rep := newReport(c.name)
	sim, err := openSim(simLabel)
	if err != nil {
		return rep, c, err
	}
	start := time.Now()
	hw, err := board.Open(cfg.Board, log, hal.SystemClock{})
	if !rep.Add("open", err == nil, time.Since(start), "%v", err) {
		return rep, c, nil
	}
	t := &gpioTest{rep: rep, sim: sim, hw: hw, events: make(chan event, 64)}
	go func() {
		for ev := range hw.Hook.Events() {
			t.events <- event{at: time.Now(), hook: &ev}
		}
	}()
	go func() {
		for ev := range hw.Keypad.Keys() {
			t.events <- event{at: time.Now(), key: &ev}
		}
	}()
	err = t.run()
	cerr := hw.Close()
	rep.Add("close", cerr == nil, 0, "%v", cerr)
	if err == nil {
		t.checkReleased()
	}
	return rep, c, err
}

// gpioTest works one board from outside.
type gpioTest struct {
	rep    *emu.Report
	sim    *simChip
	hw     *board.Hardware
	events chan event
}

func (t *gpioTest) run() error {
	w := t.hw.Wiring
	if w.HookActive != config.ActiveLow || w.HookContact != config.ContactNO || w.FlashMin < 200*time.Millisecond {
		return fmt.Errorf("the check wants hook_active low, hook_contact no, flash_min ≥ 200 ms; got %s %s %v-%v",
			w.HookActive, w.HookContact, w.FlashMin, w.FlashMax)
	}
	if err := t.outputsAtOpen(); err != nil {
		return err
	}
	if err := t.hook(); err != nil {
		return err
	}
	if err := t.keys(); err != nil {
		return err
	}
	if err := t.hangUp(); err != nil {
		return err
	}
	if err := t.bell(); err != nil {
		return err
	}
	return t.lamps()
}

// The LEDs and the ringer, as named in the check's configuration.
var ledLines = map[hal.LED]string{
	hal.LEDRegistered: "LED_REG", hal.LEDInCall: "LED_CALL", hal.LEDMessage: "LED_MSG", hal.LEDError: "LED_ERR",
}

const ringerLine = "RINGER"

func (t *gpioTest) outputsAtOpen() error {
	lit := map[string]bool{}
	for _, name := range append([]string{ringerLine}, "LED_REG", "LED_CALL", "LED_MSG", "LED_ERR") {
		v, err := t.sim.value(name)
		if err != nil {
			return err
		}
		if v {
			lit[name] = true
		}
	}
	t.rep.Add("outputs off at open", len(lit) == 0, 0, "driven high: %v", lit)
	return nil
}

// hook works the hook contact. With hook_active "low" and hook_contact
// "no", the resting handset closes the contact and pulls the line low;
// lifting it lets the line's pull-up win. gpio-sim applies the pull-up the
// board asks for at Open, so the line starts high: off-hook, until the
// check closes the contact.
func (t *gpioTest) hook() error {
	if err := t.sim.pull("HOOK", false); err != nil {
		return err
	}
	if _, ok := t.waitHook(3*time.Second, false, false); !ok && t.hw.Hook.OffHook() {
		t.rep.Add("on-hook at start", false, 0, "the hook still reads off-hook")
		return nil
	}
	t.drain(300 * time.Millisecond)

	at := time.Now()
	if err := t.sim.pull("HOOK", true); err != nil {
		return err
	}
	ev, ok := t.waitHook(2*time.Second, true, false)
	t.rep.Add("lift", ok, ev.Sub(at), "off-hook reported")

	// A 40 ms drop is contact bounce (shorter than flash_min): nothing to
	// report. The margins are wide: an emulated guest may oversleep.
	w := t.hw.Wiring
	if err := t.pulse("HOOK", false, 40*time.Millisecond); err != nil {
		return err
	}
	extra := t.drain(w.FlashMax + 500*time.Millisecond)
	t.rep.Add("bounce ignored", len(extra) == 0, 0, "events after a 40 ms on-hook: %v", extra)

	// Down for the middle of the flash window is a flash.
	down := (w.FlashMin + w.FlashMax) / 2
	if err := t.sim.pull("HOOK", false); err != nil {
		return err
	}
	time.Sleep(down)
	at = time.Now()
	if err := t.sim.pull("HOOK", true); err != nil {
		return err
	}
	ev, ok = t.waitHook(2*time.Second, true, true)
	t.rep.Add("flash", ok, ev.Sub(at), "flash reported after a %v on-hook (window %v-%v)", down, w.FlashMin, w.FlashMax)
	extra = t.drain(w.FlashMax + 200*time.Millisecond)
	t.rep.Add("flash only", len(extra) == 0 && t.hw.Hook.OffHook(), 0, "events after the flash: %v", extra)
	return nil
}

// pulse sets line's pull to level for d, then back.
func (t *gpioTest) pulse(line string, level bool, d time.Duration) error {
	if err := t.sim.pull(line, level); err != nil {
		return err
	}
	time.Sleep(d)
	return t.sim.pull(line, !level)
}

// keys presses every key of the matrix, one long press and the volume keys.
func (t *gpioTest) keys() error {
	w := t.hw.Wiring
	nc := len(w.KeypadCols)
	if nc == 0 {
		t.rep.Add("keypad", false, 0, "no keypad pins")
		return nil
	}
	var missed, wrong []string
	var worst time.Duration
	for i, k := range w.KeypadLayout {
		row, col := w.KeypadRows[i/nc].Name, w.KeypadCols[i%nc].Name
		if err := t.sim.press(row, col); err != nil {
			return err
		}
		time.Sleep(150 * time.Millisecond)
		at := time.Now()
		if err := t.sim.release(); err != nil {
			return err
		}
		ev, got := t.waitKey(2 * time.Second)
		switch {
		case !got:
			missed = append(missed, string(k))
		case ev.key.Key != hal.Key(k) || ev.key.Long:
			wrong = append(wrong, fmt.Sprintf("%c (%s×%s) came as %v", k, row, col, ev))
		default:
			worst = max(worst, ev.at.Sub(at))
		}
		if extra := t.drain(50 * time.Millisecond); len(extra) > 0 {
			wrong = append(wrong, fmt.Sprintf("after %c: %v", k, extra))
		}
	}
	t.rep.Add("matrix keys", len(missed) == 0 && len(wrong) == 0, worst,
		"%d keys of %q; missed %q; wrong %q (Took: slowest release-to-event)", len(w.KeypadLayout), w.KeypadLayout, missed, wrong)

	// A long press: held past 800 ms, reported once on release with Long.
	i := len(w.KeypadLayout) / 2
	k := rune(w.KeypadLayout[i])
	if err := t.sim.press(w.KeypadRows[i/nc].Name, w.KeypadCols[i%nc].Name); err != nil {
		return err
	}
	time.Sleep(1200 * time.Millisecond)
	if err := t.sim.release(); err != nil {
		return err
	}
	ev, got := t.waitKey(2 * time.Second)
	t.rep.Add("long press", got && ev.key.Key == hal.Key(k) && ev.key.Long, 0, "%c held 1.2 s came as %v", k, ev)

	for _, vk := range []struct {
		line string
		key  hal.Key
	}{{"VOL_UP", hal.KeyVolumeUp}, {"VOL_DOWN", hal.KeyVolumeDown}} {
		if err := t.pulse(vk.line, false, 150*time.Millisecond); err != nil {
			return err
		}
		ev, got := t.waitKey(2 * time.Second)
		t.rep.Add("volume key "+vk.line, got && ev.key.Key == vk.key && !ev.key.Long, 0, "came as %v", ev)
	}
	return nil
}

// hangUp puts the handset down: reported flash_max later.
func (t *gpioTest) hangUp() error {
	at := time.Now()
	if err := t.sim.pull("HOOK", false); err != nil {
		return err
	}
	flashMax := t.hw.Wiring.FlashMax
	ev, ok := t.waitHook(flashMax+2*time.Second, false, false)
	took := ev.Sub(at)
	t.rep.Add("hang up", ok && took >= flashMax-50*time.Millisecond, took, "on-hook reported (due flash_max, %v, after)", flashMax)
	return nil
}

func (t *gpioTest) bell() error {
	var got []bool
	for _, on := range []bool{true, false, true, false} {
		if err := t.hw.Bell.SetBell(on); err != nil {
			t.rep.Add("ringer", false, 0, "SetBell(%v): %v", on, err)
			return nil
		}
		v, err := t.sim.value(ringerLine)
		if err != nil {
			return err
		}
		got = append(got, v)
	}
	t.rep.Add("ringer", fmt.Sprint(got) == "[true false true false]", 0,
		"levels after on, off, on, off: %v (ringer_active high)", got)
	return nil
}

// lamps switches each LED on and off, then runs both blink patterns at
// once and counts the toggles the lines show.
func (t *gpioTest) lamps() error {
	for led, line := range ledLines {
		var got []bool
		for _, p := range []hal.LEDPattern{hal.LEDOn, hal.LEDOff} {
			if err := t.hw.Lamps.SetLED(led, p); err != nil {
				t.rep.Add("LED "+string(led), false, 0, "SetLED(%v): %v", p, err)
				return nil
			}
			v, err := t.sim.value(line)
			if err != nil {
				return err
			}
			got = append(got, v)
		}
		t.rep.Add("LED "+string(led), fmt.Sprint(got) == "[true false]", 0, "%s after on, off: %v", line, got)
	}

	if err := errors.Join(t.hw.Lamps.SetLED(hal.LEDMessage, hal.LEDBlinkSlow),
		t.hw.Lamps.SetLED(hal.LEDError, hal.LEDBlinkFast)); err != nil {
		t.rep.Add("blink", false, 0, "%v", err)
		return nil
	}
	const watch = 2200 * time.Millisecond
	toggles := map[string]int{}
	last := map[string]bool{"LED_MSG": true, "LED_ERR": true} // a blink starts lit
	for end := time.Now().Add(watch); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		for line := range last {
			v, err := t.sim.value(line)
			if err != nil {
				return err
			}
			if v != last[line] {
				toggles[line]++
				last[line] = v
			}
		}
	}
	// Slow: a toggle every 500 ms, 4 in 2.2 s; fast: every 125 ms, 17.
	slow, fast := toggles["LED_MSG"], toggles["LED_ERR"]
	t.rep.Add("blink slow", slow >= 3 && slow <= 5, 0, "LED_MSG toggled %d times in %v (want 4)", slow, watch)
	t.rep.Add("blink fast", fast >= 13 && fast <= 19, 0, "LED_ERR toggled %d times in %v (want 17)", fast, watch)
	for led := range ledLines {
		if err := t.hw.Lamps.SetLED(led, hal.LEDOff); err != nil {
			return err
		}
	}
	return nil
}

// checkReleased checks the outputs after Close: the board switched them
// off and gave the lines back.
func (t *gpioTest) checkReleased() {
	var high []string
	for _, name := range []string{ringerLine, "LED_REG", "LED_CALL", "LED_MSG", "LED_ERR"} {
		if v, err := t.sim.value(name); err != nil || v {
			high = append(high, name)
		}
	}
	t.rep.Add("outputs off after close", len(high) == 0, 0, "high or unreadable: %v", high)
}

// waitHook waits for a hook event with the given state and reports it.
// Other events are failures of their own.
func (t *gpioTest) waitHook(timeout time.Duration, offHook, flash bool) (event, bool) {
	ev, ok := t.wait(timeout)
	if !ok {
		return event{}, false
	}
	if ev.hook == nil || ev.hook.OffHook != offHook || ev.hook.Flash != flash {
		t.rep.Add("unexpected event", false, 0, "%v while waiting for hook offhook=%v flash=%v", ev, offHook, flash)
		return ev, false
	}
	return ev, true
}

// waitKey waits for the next key event.
func (t *gpioTest) waitKey(timeout time.Duration) (event, bool) {
	ev, ok := t.wait(timeout)
	if ok && ev.key == nil {
		t.rep.Add("unexpected event", false, 0, "%v while waiting for a key", ev)
		return ev, false
	}
	return ev, ok
}

func (t *gpioTest) wait(timeout time.Duration) (event, bool) {
	select {
	case ev := <-t.events:
		return ev, true
	case <-time.After(timeout):
		return event{}, false
	}
}

// drain returns the events that arrive within d.
func (t *gpioTest) drain(d time.Duration) []event {
	var got []event
	end := time.After(d)
	for {
		select {
		case ev := <-t.events:
			got = append(got, ev)
		case <-end:
			return got
		}
	}
}

// Sub returns how long after at the event arrived (0 for no event).
func (e event) Sub(at time.Time) time.Duration {
	if e.at.IsZero() {
		return 0
	}
	return e.at.Sub(at)
}
