package board

import (
	"errors"
	"testing"
	"time"

	"handset/board/gpio"
	"handset/board/gpio/gpiotest"
	"handset/hal"
	"handset/hal/haltest"
)

func newTestLamps(t *testing.T) (*Lamps, map[hal.LED]*gpiotest.Line, *haltest.Clock) {
	t.Helper()
	fakes := map[hal.LED]*gpiotest.Line{
		hal.LEDRegistered: gpiotest.NewLine("LED_REG"),
		hal.LEDMessage:    gpiotest.NewLine("LED_MSG"),
		hal.LEDError:      gpiotest.NewLine("LED_ERR"),
	} // no in-call LED fitted
	lines := make(map[hal.LED]gpio.Line)
	for led, l := range fakes {
		lines[led] = l
	}
	clk := newClock()
	log, _ := newLog()
	l, err := newLamps(lines, log, clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, fakes, clk
}

// trace samples line every step for n steps, starting now.
func trace(clk *haltest.Clock, line *gpiotest.Line, step time.Duration, n int) string {
	s := ""
	for range n {
		if line.Level() {
			s += "#"
		} else {
			s += "."
		}
		clk.Advance(step)
	}
	return s
}

func TestLampsBlinkTiming(t *testing.T) {
	tests := []struct {
		p    hal.LEDPattern
		want string // sampled every 62.5 ms
	}{
		{hal.LEDOn, "################"},
		{hal.LEDOff, "................"},
		{hal.LEDBlinkFast, "##..##..##..##.."},         // 250 ms period
		{hal.LEDBlinkSlow, "########........########"}, // 1 s period
	}
	for _, tc := range tests {
		l, fakes, clk := newTestLamps(t)
		if err := l.SetLED(hal.LEDMessage, tc.p); err != nil {
			t.Fatal(err)
		}
		if got := trace(clk, fakes[hal.LEDMessage], 62500*time.Microsecond, len(tc.want)); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.p, got, tc.want)
		}
	}
}

func TestLampsEdges(t *testing.T) {
	l, fakes, clk := newTestLamps(t)
	led := fakes[hal.LEDError]
	l.SetLED(hal.LEDError, hal.LEDBlinkFast)
	clk.Advance(124 * time.Millisecond)
	if !led.Level() {
		t.Fatal("dark before 125 ms")
	}
	clk.Advance(time.Millisecond)
	if led.Level() {
		t.Fatal("still lit at 125 ms")
	}
	// Setting the same pattern again does not restart the blink.
	l.SetLED(hal.LEDError, hal.LEDBlinkFast)
	if led.Level() {
		t.Fatal("re-setting the pattern restarted the blink")
	}
}

func TestLampsSeveralAtOnce(t *testing.T) {
	l, fakes, clk := newTestLamps(t)
	l.SetLED(hal.LEDRegistered, hal.LEDOn)
	l.SetLED(hal.LEDMessage, hal.LEDBlinkSlow)
	clk.Advance(250 * time.Millisecond)
	l.SetLED(hal.LEDError, hal.LEDBlinkFast)
	var reg, msg, errLED string
	for range 16 {
		for led, s := range map[hal.LED]*string{hal.LEDRegistered: &reg, hal.LEDMessage: &msg, hal.LEDError: &errLED} {
			if fakes[led].Level() {
				*s += "#"
			} else {
				*s += "."
			}
		}
		clk.Advance(62500 * time.Microsecond)
	}
	if reg != "################" || msg != "####........####" || errLED != "##..##..##..##.." {
		t.Fatalf("registered %s\nmessage    %s\nerror      %s", reg, msg, errLED)
	}
}

func TestLampsTimerStopsWhenNothingBlinks(t *testing.T) {
	l, fakes, clk := newTestLamps(t)
	l.SetLED(hal.LEDMessage, hal.LEDBlinkSlow)
	if clk.Pending() != 1 {
		t.Fatalf("%d timers while blinking, want 1", clk.Pending())
	}
	l.SetLED(hal.LEDError, hal.LEDBlinkFast)
	if clk.Pending() != 1 {
		t.Fatalf("%d timers with two LEDs blinking, want 1", clk.Pending())
	}
	l.SetLED(hal.LEDMessage, hal.LEDOff)
	l.SetLED(hal.LEDError, hal.LEDOn)
	if clk.Pending() != 0 {
		t.Fatalf("%d timers with nothing blinking", clk.Pending())
	}
	clk.Advance(2 * time.Second)
	if fakes[hal.LEDMessage].Level() || !fakes[hal.LEDError].Level() {
		t.Fatal("LEDs changed after the blink stopped")
	}
}

func TestLampsBadInput(t *testing.T) {
	l, _, _ := newTestLamps(t)
	if err := l.SetLED("disco", hal.LEDOn); !errors.Is(err, ErrUnknownLED) {
		t.Fatalf("unknown LED: %v", err)
	}
	if err := l.SetLED(hal.LEDError, hal.LEDPattern(42)); !errors.Is(err, ErrBadPattern) {
		t.Fatalf("bad pattern: %v", err)
	}
	if err := l.SetLED(hal.LEDInCall, hal.LEDBlinkFast); err != nil {
		t.Fatalf("LED without a line: %v, want nil", err)
	}
}

func TestLampsWriteFailure(t *testing.T) {
	l, fakes, _ := newTestLamps(t)
	boom := errors.New("boom")
	fakes[hal.LEDRegistered].Fail(boom)
	if err := l.SetLED(hal.LEDRegistered, hal.LEDOn); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	fakes[hal.LEDRegistered].Fail(nil)
	if err := l.SetLED(hal.LEDRegistered, hal.LEDOn); err != nil || !fakes[hal.LEDRegistered].Level() {
		t.Fatalf("retry: %v, lit %v", err, fakes[hal.LEDRegistered].Level())
	}
}

func TestLampsClose(t *testing.T) {
	l, fakes, clk := newTestLamps(t)
	l.SetLED(hal.LEDRegistered, hal.LEDOn)
	l.SetLED(hal.LEDMessage, hal.LEDBlinkSlow)
	lit := fakes[hal.LEDRegistered].Writes()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if fakes[hal.LEDRegistered].Writes() != lit+1 {
		t.Fatal("Close did not switch the LED off")
	}
	for led, f := range fakes {
		if !f.Closed() {
			t.Errorf("%s not released", led)
		}
	}
	if clk.Pending() != 0 {
		t.Fatalf("%d timers left", clk.Pending())
	}
	if err := l.SetLED(hal.LEDRegistered, hal.LEDOn); !errors.Is(err, ErrClosed) {
		t.Fatalf("SetLED after Close: %v", err)
	}
}
