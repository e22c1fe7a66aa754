package board

import (
	"log/slog"
	"sync"
	"time"

	"handset/board/gpio"
	"handset/config"
	"handset/hal"
)

// Hook switch timing.
const (
	hookPoll     = 5 * time.Millisecond  // the line is read 200 times a second
	hookDebounce = 20 * time.Millisecond // a new level must hold this long
)

// Hook reads the hook switch and implements hal.HookSwitch.
//
// The line is polled every 5 ms; a change counts once the new level has
// held for 20 ms. Which level means what comes from the configuration:
// hook_active is the level the line reads while the contact is closed
// (the line gets a pull-up when that is "low", a pull-down when "high"),
// and hook_contact says whether the resting handset closes the contact
// ("no") or opens it ("nc").
//
// Putting the handset down is not reported at once. An on-hook shorter than
// flash_min is contact bounce and is ignored; one between flash_min and
// flash_max is a hook flash, reported when the handset comes up again as
// one HookEvent{OffHook: true, Flash: true}; one that lasts flash_max is a
// hang-up. So a hang-up is reported flash_max (800 ms by default) after the
// handset went down, and OffHook stays true until then.
type Hook struct {
	log         *slog.Logger
	clk         hal.Clock
	line        gpio.Line
	closedLevel bool // the line's level while the contact is closed
	contactNO   bool // a closed contact means on-hook
	flashMin    time.Duration
	flashMax    time.Duration
	beat        func()

	mu        sync.Mutex
	closed    bool
	timer     hal.Timer
	ch        chan hal.HookEvent
	stable    bool      // debounced: the handset is up
	candidate bool      // the line reads the other state…
	candSince time.Time // …since then
	offHook   bool      // what was reported
	pendingOn bool      // the handset is down but that is not reported yet
	onSince   time.Time // when it went down
}

var _ hal.HookSwitch = (*Hook)(nil)

// hookSettings are the hook switch's settings from the [board] section.
type hookSettings struct {
	active             config.Active
	contact            config.Contact
	flashMin, flashMax time.Duration
}

// newHook sets the line up, takes its state as the starting state (no
// event) and starts polling. beat, if not nil, is called after every poll.
// The hook owns the line from then on.
func newHook(line gpio.Line, s hookSettings, beat func(), log *slog.Logger, clk hal.Clock) (*Hook, error) {
	h := &Hook{log: log, clk: clk, line: line, beat: beat,
		closedLevel: s.active == config.ActiveHigh,
		contactNO:   s.contact == config.ContactNO,
		flashMin:    s.flashMin, flashMax: s.flashMax,
		ch: make(chan hal.HookEvent, 16)}
	bias := gpio.PullUp
	if h.closedLevel {
		bias = gpio.PullDown
	}
	if err := line.Input(bias); err != nil {
		return nil, err
	}
	h.stable = h.read()
	h.offHook = h.stable
	h.mu.Lock()
	h.timer = clk.AfterFunc(hookPoll, h.tick)
	h.mu.Unlock()
	return h, nil
}

// Events implements hal.HookSwitch.
func (h *Hook) Events() <-chan hal.HookEvent { return h.ch }

// OffHook implements hal.HookSwitch: the state last reported.
func (h *Hook) OffHook() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.offHook
}

// Close implements hal.HookSwitch: it stops polling, closes the channel
// and releases the line.
func (h *Hook) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	h.timer.Stop()
	close(h.ch)
	return h.line.Close()
}

// read reports whether the line says the handset is up.
func (h *Hook) read() bool {
	contactClosed := h.line.Read() == h.closedLevel
	onHook := contactClosed == h.contactNO
	return !onHook
}

func (h *Hook) tick() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.timer.Reset(hookPoll)
	h.poll(h.clk.Now())
}

// poll reads the line once, debounces it and reports what is due.
func (h *Hook) poll(now time.Time) {
	if h.pendingOn && now.Sub(h.onSince) >= h.flashMax {
		h.pendingOn = false
		h.report(hal.HookEvent{OffHook: false, At: now})
	}
	up := h.read()
	switch {
	case up == h.stable:
		h.candidate = false
	case !h.candidate:
		h.candidate, h.candSince = true, now
	}
	if h.candidate && now.Sub(h.candSince) >= hookDebounce {
		h.candidate = false
		h.stable = up
		h.changed(up, now)
	}
	if h.beat != nil {
		h.beat()
	}
}

// changed handles one debounced change of the switch.
func (h *Hook) changed(up bool, now time.Time) {
	switch {
	case !up:
		h.pendingOn, h.onSince = true, now
	case h.pendingOn:
		h.pendingOn = false
		if now.Sub(h.onSince) >= h.flashMin {
			h.report(hal.HookEvent{OffHook: true, Flash: true, At: now})
		}
		// else: a bounce shorter than flash_min; the handset never went down
	default:
		h.report(hal.HookEvent{OffHook: true, At: now})
	}
}

func (h *Hook) report(ev hal.HookEvent) {
	h.offHook = ev.OffHook
	select {
	case h.ch <- ev:
	default:
		h.log.Warn("hook: event dropped: nobody reads the hook switch", "offhook", ev.OffHook, "flash", ev.Flash)
	}
}
