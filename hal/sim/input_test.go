package sim

import (
	"errors"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/haltest"
)

func TestHookSequence(t *testing.T) {
	clk := haltest.NewClock(time.Unix(0, 0))
	h := NewHook(clk)
	if err := h.Flash(); err == nil {
		t.Fatal("flash on-hook accepted")
	}
	steps := []struct {
		do   func() error
		want *hal.HookEvent
	}{
		{h.Lift, &hal.HookEvent{OffHook: true}},
		{h.Lift, nil},
		{h.Flash, &hal.HookEvent{OffHook: true, Flash: true}},
		{h.Hang, &hal.HookEvent{OffHook: false}},
		{h.Hang, nil},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("#%d: %v", i, err)
		}
		select {
		case ev := <-h.Events():
			if s.want == nil || ev.OffHook != s.want.OffHook || ev.Flash != s.want.Flash {
				t.Fatalf("#%d: event %+v, want %+v", i, ev, s.want)
			}
		default:
			if s.want != nil {
				t.Fatalf("#%d: no event, want %+v", i, s.want)
			}
		}
	}
	h.Close()
	if err := h.Lift(); !errors.Is(err, errClosed) {
		t.Fatalf("lift after close: %v", err)
	}
	if _, ok := <-h.Events(); ok {
		t.Fatal("events channel open after Close")
	}
}

func TestKeypadPress(t *testing.T) {
	k := NewKeypad(haltest.NewClock(time.Unix(0, 0)))
	for _, tc := range []struct {
		key hal.Key
		ok  bool
	}{{'5', true}, {'#', true}, {'*', true}, {'D', true}, {'x', false}, {hal.KeyRedial, true}} {
		err := k.Press(tc.key, false)
		if (err == nil) != tc.ok {
			t.Fatalf("press %q: err %v, want ok=%v", rune(tc.key), err, tc.ok)
		}
		if tc.ok {
			if ev := <-k.Keys(); ev.Key != tc.key {
				t.Fatalf("got %q want %q", rune(ev.Key), rune(tc.key))
			}
		}
	}
}

func TestOutputsReportChanges(t *testing.T) {
	var bells []bool
	b := &Bell{OnChange: func(on bool) { bells = append(bells, on) }}
	b.SetBell(true)
	b.SetBell(true)
	b.SetBell(false)
	if len(bells) != 2 || !bells[0] || bells[1] {
		t.Fatalf("bell changes %v, want [true false]", bells)
	}
	n := 0
	l := &Lamps{OnChange: func(hal.LED, hal.LEDPattern) { n++ }}
	l.SetLED(hal.LEDRegistered, hal.LEDOn)
	l.SetLED(hal.LEDRegistered, hal.LEDOn)
	l.SetLED(hal.LEDError, hal.LEDBlinkFast)
	if n != 2 || l.Pattern(hal.LEDRegistered) != hal.LEDOn || l.Pattern(hal.LEDInCall) != hal.LEDOff {
		t.Fatalf("lamps: %d changes, registered=%v", n, l.Pattern(hal.LEDRegistered))
	}
}
