package board

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"handset/board/gpio"
	"handset/board/gpio/gpiotest"
	"handset/config"
	"handset/hal"
)

// emu names a line on the gpio-sim chip the QEMU tests set up.
func emu(name string) config.Pin { return config.Pin{Chip: "pinctrl-emu", Name: name} }

// emuBoard is a model "none" board wired to pinctrl-emu lines.
func emuBoard() config.Board {
	b := config.Board{Model: config.ModelNone, Hook: emu("HOOK"), Ringer: emu("RINGER"),
		LEDRegistered: emu("LED_REG"), LEDInCall: emu("LED_CALL"), LEDMessage: emu("LED_MSG"), LEDError: emu("LED_ERR")}
	for i := range 4 {
		b.KeypadRows = append(b.KeypadRows, emu(fmt.Sprintf("ROW%d", i)))
		b.KeypadCols = append(b.KeypadCols, emu(fmt.Sprintf("COL%d", i)))
	}
	return b
}

// bankFor returns a fake bank holding every pin of w except those left out.
func bankFor(w config.Board, leaveOut ...config.Pin) *gpiotest.Bank {
	b := gpiotest.NewBank()
	skip := map[config.Pin]bool{}
	for _, p := range leaveOut {
		skip[p] = true
	}
	for _, j := range jobs(w) {
		if !skip[j.pin] {
			b.Add(j.pin)
		}
	}
	return b
}

func buildTest(t *testing.T, cfg config.Board, bank *gpiotest.Bank) (*Hardware, *logBuf, error) {
	t.Helper()
	w, err := Resolve(cfg)
	if err != nil {
		t.Fatal(err)
	}
	log, buf := newLog()
	hw, err := build(w, bank, nil, log, newClock())
	return hw, buf, err
}

func TestBuildEmuBoard(t *testing.T) {
	cfg := emuBoard()
	w, _ := Resolve(cfg)
	bank := bankFor(w)
	bank.Line(emu("HOOK")).Drive(false) // the resting handset closes the contact to ground
	clk := newClock()
	log, _ := newLog()
	hw, err := build(w, bank, nil, log, clk)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]*gpiotest.Line, 4)
	cols := make([]*gpiotest.Line, 4)
	for i := range 4 {
		rows[i], cols[i] = bank.Line(w.KeypadRows[i]), bank.Line(w.KeypadCols[i])
	}
	m := gpiotest.NewMatrix(rows, cols)

	if hw.Hook.OffHook() {
		t.Fatal("off-hook at start")
	}
	bank.Line(emu("HOOK")).Float() // lifted: the contact opens, the pull-up wins
	clk.Advance(100 * time.Millisecond)
	m.Press(3, 3)
	clk.Advance(100 * time.Millisecond)
	m.Release(3, 3)
	clk.Advance(100 * time.Millisecond)
	if got := keyString(keysOf(t, hw.Keypad.Keys())); got != "D " {
		t.Errorf("keys %q, want D", got)
	}
	if got := hookString(hookEventsOf(t, hw.Hook.Events())); got != "up " {
		t.Errorf("hook %q, want up", got)
	}
	if err := hw.Bell.SetBell(true); err != nil || !bank.Line(emu("RINGER")).Level() {
		t.Errorf("bell: %v, ringing %v", err, bank.Line(emu("RINGER")).Level())
	}
	if err := hw.Lamps.SetLED(hal.LEDInCall, hal.LEDOn); err != nil || !bank.Line(emu("LED_CALL")).Level() {
		t.Errorf("in-call LED: %v", err)
	}
	if err := hw.Close(); err != nil {
		t.Fatal(err)
	}
	if held := bank.Held(); len(held) != 0 {
		t.Fatalf("lines still held after Close: %v", held)
	}
	if clk.Pending() != 0 {
		t.Fatalf("%d timers left after Close", clk.Pending())
	}
}

func TestBuildPiProfile(t *testing.T) {
	cfg := config.Board{Model: config.ModelPiZero2W, KeypadLayout: Layout4x3}
	w, _ := Resolve(cfg)
	bank := bankFor(w)
	hw, _, err := buildTest(t, cfg, bank)
	if err != nil {
		t.Fatal(err)
	}
	defer hw.Close()
	if len(hw.Keypad.keys) != 12+2 {
		t.Fatalf("%d keys, want 12 and two volume keys", len(hw.Keypad.keys))
	}
	if l := bank.Line(pi(17)); l.Bias() != gpio.PullUp {
		t.Fatal("hook line without its pull-up")
	}
	if l := bank.Line(pi(22)); l != nil {
		t.Fatal("a 12-key keypad took the fourth column")
	}
}

func TestBuildMissingHook(t *testing.T) {
	w, _ := Resolve(emuBoard())
	bank := bankFor(w, emu("HOOK"))
	_, _, err := buildTest(t, emuBoard(), bank)
	if !errors.Is(err, gpio.ErrNoLine) || !strings.Contains(err.Error(), "hook switch") || !strings.Contains(err.Error(), "pinctrl-emu:HOOK") {
		t.Fatalf("err %v: want ErrNoLine naming the hook switch and its line", err)
	}
	if held := bank.Held(); len(held) != 0 {
		t.Fatalf("lines held after failure: %v", held)
	}
}

func TestBuildNoHookPin(t *testing.T) {
	cfg := emuBoard()
	cfg.Hook = config.Pin{}
	_, _, err := buildTest(t, cfg, bankFor(emuBoard()))
	if !errors.Is(err, ErrWiring) || !strings.Contains(err.Error(), "board.hook") {
		t.Fatalf("err %v", err)
	}
}

func TestBuildBusyKeypadLine(t *testing.T) {
	w, _ := Resolve(emuBoard())
	bank := bankFor(w)
	if _, err := bank.Take(emu("COL2")); err != nil { // someone else holds it
		t.Fatal(err)
	}
	_, _, err := buildTest(t, emuBoard(), bank)
	if !errors.Is(err, gpio.ErrBusy) || !strings.Contains(err.Error(), "keypad column 3") {
		t.Fatalf("err %v: want ErrBusy naming keypad column 3", err)
	}
	if held := bank.Held(); len(held) != 1 || held[0] != "pinctrl-emu:COL2" {
		t.Fatalf("lines held after failure: %v, want only the other holder's", held)
	}
}

func TestBuildOptionalPartsMissing(t *testing.T) {
	w, _ := Resolve(emuBoard())
	bank := bankFor(w, emu("RINGER"), emu("LED_MSG"))
	hw, log, err := buildTest(t, emuBoard(), bank)
	if err != nil {
		t.Fatal(err)
	}
	defer hw.Close()
	if err := hw.Bell.SetBell(true); err != nil {
		t.Fatalf("bell without a ringer: %v", err)
	}
	if err := hw.Lamps.SetLED(hal.LEDMessage, hal.LEDBlinkSlow); err != nil {
		t.Fatalf("missing LED: %v", err)
	}
	for _, want := range []string{"running without the ringer", "running without the message LED", "no volume up key pin"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log does not say %q:\n%s", want, log)
		}
	}
}

func TestBuildHookOnly(t *testing.T) {
	cfg := config.Board{Model: config.ModelNone, Hook: emu("HOOK")}
	hw, _, err := buildTest(t, cfg, gpiotest.NewBank(emu("HOOK")))
	if err != nil {
		t.Fatal(err)
	}
	if err := hw.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-hw.Keypad.Keys(); ok {
		t.Fatal("keypad channel open after Close")
	}
}

// panicky is a Source that panics on its n-th Take.
type panicky struct {
	*gpiotest.Bank
	n int
}

func (p *panicky) Take(pin config.Pin) (gpio.Line, error) {
	p.n--
	if p.n == 0 {
		panic("boom")
	}
	return p.Bank.Take(pin)
}

func TestBuildReleasesLinesOnPanic(t *testing.T) {
	w, _ := Resolve(emuBoard())
	bank := bankFor(w)
	log, _ := newLog()
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("no panic")
			}
		}()
		build(w, &panicky{Bank: bank, n: 6}, nil, log, newClock())
	}()
	if held := bank.Held(); len(held) != 0 {
		t.Fatalf("lines held after a panic: %v", held)
	}
}

func TestOpenSim(t *testing.T) {
	log, _ := newLog()
	if _, err := Open(config.Board{Model: config.ModelSim}, log, newClock()); !errors.Is(err, ErrNoHardware) {
		t.Fatalf("err %v, want ErrNoHardware", err)
	}
	if _, err := Open(config.Board{Model: config.ModelPi4, KeypadLayout: "12"}, log, newClock()); !errors.Is(err, ErrWiring) {
		t.Fatalf("err %v, want ErrWiring", err)
	}
}
