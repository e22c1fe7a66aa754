package board

import (
	"fmt"
	"testing"
	"time"

	"handset/board/gpio"
	"handset/board/gpio/gpiotest"
	"handset/config"
	"handset/hal"
	"handset/hal/haltest"
)

// testHook is a hook switch on a fake line with a contact that a test opens
// and closes.
type testHook struct {
	h       *Hook
	line    *gpiotest.Line
	clk     *haltest.Clock
	active  config.Active
	contact config.Contact
	beats   int
}

// setContact closes the contact (the line is driven to the active level) or
// opens it (the line reads its bias).
func (th *testHook) setContact(closed bool) {
	if closed {
		th.line.Drive(th.active == config.ActiveHigh)
	} else {
		th.line.Float()
	}
}

// setHandset puts the handset up or down, as the contact type has it.
func (th *testHook) setHandset(up bool) {
	th.setContact(up == (th.contact == config.ContactNC))
}

func newTestHook(t *testing.T, active config.Active, contact config.Contact, up bool) *testHook {
	t.Helper()
	th := &testHook{line: gpiotest.NewLine("HOOK"), clk: newClock(), active: active, contact: contact}
	// The bias is set by newHook; until then the contact is what decides.
	if err := th.line.Input(map[bool]gpio.Bias{true: gpio.PullDown, false: gpio.PullUp}[active == config.ActiveHigh]); err != nil {
		t.Fatal(err)
	}
	th.setHandset(up)
	log, _ := newLog()
	var err error
	th.h, err = newHook(th.line, hookSettings{active: active, contact: contact,
		flashMin: 100 * time.Millisecond, flashMax: 800 * time.Millisecond}, func() { th.beats++ }, log, th.clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { th.h.Close() })
	return th
}

func hookString(evs []hal.HookEvent) string {
	s := ""
	for _, ev := range evs {
		switch {
		case ev.Flash:
			s += "flash "
		case ev.OffHook:
			s += "up "
		default:
			s += "down "
		}
	}
	return s
}

func TestHookPolarity(t *testing.T) {
	for _, active := range []config.Active{config.ActiveLow, config.ActiveHigh} {
		for _, contact := range []config.Contact{config.ContactNO, config.ContactNC} {
			name := fmt.Sprintf("active %s, contact %s", active, contact)
			th := newTestHook(t, active, contact, false)
			wantBias := gpio.PullUp
			if active == config.ActiveHigh {
				wantBias = gpio.PullDown
			}
			if th.line.Bias() != wantBias {
				t.Errorf("%s: bias %v, want %v", name, th.line.Bias(), wantBias)
			}
			if th.h.OffHook() {
				t.Errorf("%s: starts off-hook with the handset down", name)
			}
			th.setHandset(true)
			th.clk.Advance(50 * time.Millisecond)
			if got := hookString(hookEventsOf(t, th.h.Events())); got != "up " || !th.h.OffHook() {
				t.Errorf("%s: lift gave %q, OffHook %v", name, got, th.h.OffHook())
			}
			th.setHandset(false)
			th.clk.Advance(time.Second)
			if got := hookString(hookEventsOf(t, th.h.Events())); got != "down " || th.h.OffHook() {
				t.Errorf("%s: hang-up gave %q, OffHook %v", name, got, th.h.OffHook())
			}
			// The contact itself: on a NO switch the resting handset closes it.
			th.setContact(contact == config.ContactNO)
			th.clk.Advance(time.Second)
			if got := hookEventsOf(t, th.h.Events()); len(got) != 0 {
				t.Errorf("%s: contact in the on-hook position gave %q", name, hookString(got))
			}
		}
	}
}

func TestHookStartsOffHook(t *testing.T) {
	th := newTestHook(t, config.ActiveLow, config.ContactNO, true)
	th.clk.Advance(100 * time.Millisecond)
	if !th.h.OffHook() || len(hookEventsOf(t, th.h.Events())) != 0 {
		t.Fatal("a handset already up at start must read off-hook, without an event")
	}
}

func TestHookDebounce(t *testing.T) {
	th := newTestHook(t, config.ActiveLow, config.ContactNO, false)
	// Glitches shorter than 20 ms, and chatter, are not a lift.
	for range 10 {
		th.setHandset(true)
		th.clk.Advance(hookPoll)
		th.setHandset(false)
		th.clk.Advance(hookPoll)
	}
	th.setHandset(true)
	th.clk.Advance(15 * time.Millisecond)
	th.setHandset(false)
	th.clk.Advance(100 * time.Millisecond)
	if evs := hookEventsOf(t, th.h.Events()); len(evs) != 0 {
		t.Fatalf("glitches reported: %q", hookString(evs))
	}
	// A lift that chatters for a while is one lift.
	for range 4 {
		th.setHandset(true)
		th.clk.Advance(hookPoll)
		th.setHandset(false)
		th.clk.Advance(hookPoll)
	}
	th.setHandset(true)
	start := th.clk.Now()
	th.clk.Advance(100 * time.Millisecond)
	evs := hookEventsOf(t, th.h.Events())
	if hookString(evs) != "up " {
		t.Fatalf("chattering lift gave %q", hookString(evs))
	}
	if d := evs[0].At.Sub(start); d < hookDebounce || d > hookDebounce+2*hookPoll {
		t.Fatalf("lift reported %v after the contact settled, want about %v", d, hookDebounce)
	}
	if th.beats == 0 {
		t.Fatal("no liveness beats")
	}
}

func TestHookFlashWindow(t *testing.T) {
	tests := []struct {
		down time.Duration
		want string
	}{
		{hookDebounce - hookPoll, ""},        // never gets past the debounce
		{30 * time.Millisecond, ""},          // a bounce
		{95 * time.Millisecond, ""},          // just under flash_min: a bounce
		{100 * time.Millisecond, "flash "},   // flash_min: a flash
		{400 * time.Millisecond, "flash "},   // a flash
		{795 * time.Millisecond, "flash "},   // just under flash_max: a flash
		{800 * time.Millisecond, "down up "}, // flash_max: a hang-up, then a lift
		{3 * time.Second, "down up "},        // a hang-up
	}
	for i, tc := range tests {
		th := newTestHook(t, config.ActiveLow, config.ContactNO, true)
		th.clk.Advance(50 * time.Millisecond)
		th.setHandset(false)
		th.clk.Advance(tc.down)
		th.setHandset(true)
		th.clk.Advance(time.Second)
		evs := hookEventsOf(t, th.h.Events())
		if got := hookString(evs); got != tc.want {
			t.Errorf("#%d on-hook %v: %q, want %q", i, tc.down, got, tc.want)
		}
		if !th.h.OffHook() {
			t.Errorf("#%d: on-hook at the end", i)
		}
		for _, ev := range evs {
			if ev.Flash && !ev.OffHook {
				t.Errorf("#%d: flash with OffHook false", i)
			}
		}
	}
}

func TestHookHangUpLatency(t *testing.T) {
	th := newTestHook(t, config.ActiveLow, config.ContactNO, true)
	th.setHandset(false)
	down := th.clk.Now()
	th.clk.Advance(700 * time.Millisecond)
	if !th.h.OffHook() || len(hookEventsOf(t, th.h.Events())) != 0 {
		t.Fatal("hang-up reported before flash_max")
	}
	th.clk.Advance(200 * time.Millisecond)
	evs := hookEventsOf(t, th.h.Events())
	if hookString(evs) != "down " || th.h.OffHook() {
		t.Fatalf("after 900 ms down: %q, OffHook %v", hookString(evs), th.h.OffHook())
	}
	// Reported flash_max after the debounced on-hook.
	if d := evs[0].At.Sub(down); d < 800*time.Millisecond+hookDebounce || d > 800*time.Millisecond+hookDebounce+2*hookPoll {
		t.Fatalf("hang-up reported %v after the handset went down", d)
	}
}

func TestHookClose(t *testing.T) {
	th := newTestHook(t, config.ActiveLow, config.ContactNO, false)
	if err := th.h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-th.h.Events(); ok {
		t.Fatal("channel open after Close")
	}
	if !th.line.Closed() || th.clk.Pending() != 0 {
		t.Fatalf("line released %v, %d timers left", th.line.Closed(), th.clk.Pending())
	}
}
