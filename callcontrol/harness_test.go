package callcontrol

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"handset/dialplan"
	"handset/hal"
	"handset/hal/haltest"
	"handset/sipstack"
)

// testPlan is the dial plan of most scenarios:
//
//	1xx        extensions, sent at once (Exact)
//	2xxx       short numbers, which 2xxxxxx may extend (Complete, 3 s)
//	*xx#       feature codes ending in '#'
//	9001!      barred
//	9xxx       other 9-numbers
//	<0:49>xxxx 0 becomes 49
const testPlan = "L:10,S:3,( 1xx | 2xxx | 2xxxxxx | *xx# | 9001! | 9xxx | <0:49>xxxx )"

// patience bounds every wait on the Run goroutine; it only matters when the
// phone is stuck.
const patience = 10 * time.Second

// harness runs a Phone on fakes and drives it step by step. Inputs go over
// unbuffered channels, and after each one the harness sends a no-op SIP
// event (a DTMF for an unknown call): once Run takes that, it has finished
// handling everything sent before. Timers fire inside clock.Advance, which
// returns only after Run has handled them.
type harness struct {
	t      *testing.T
	clock  *haltest.Clock
	start  time.Time
	sip    *fakeSIP
	media  *fakeMedia
	bell   *fakeBell
	lamps  *fakeLamps
	hook   chan hal.HookEvent
	keys   chan hal.KeyEvent
	events *eventLog
	logs   *syncWriter
	phone  *Phone
	stop   func() // cancels Run and waits for it; safe to call twice
}

// baseConfig is the config of most scenarios.
func baseConfig(t *testing.T) Config {
	t.Helper()
	return Config{
		DialPlan:       mustPlan(t, testPlan),
		OffHookTimeout: 5 * time.Second,
		RingCadence:    []time.Duration{2 * time.Second, 4 * time.Second},
	}
}

func mustPlan(t *testing.T, s string) *dialplan.Map {
	t.Helper()
	m, err := dialplan.Parse(s)
	if err != nil {
		t.Fatalf("dial plan %q: %v", s, err)
	}
	return m
}

// newHarness starts Run on cfg with fresh fakes; the test's cleanup stops
// it and checks that Run returned nil.
func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	return newHarnessOn(t, cfg, make(chan hal.HookEvent), make(chan hal.KeyEvent))
}

// newHarnessOn is newHarness with the hook and keypad channels given, so a
// test can have events waiting before the phone runs.
func newHarnessOn(t *testing.T, cfg Config, hook chan hal.HookEvent, keys chan hal.KeyEvent) *harness {
	t.Helper()
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := haltest.NewClock(start)
	h := &harness{
		t:      t,
		clock:  clock,
		start:  start,
		sip:    &fakeSIP{ch: make(chan sipstack.Event)},
		media:  &fakeMedia{},
		bell:   &fakeBell{clock: clock, start: start},
		lamps:  &fakeLamps{now: map[hal.LED]hal.LEDPattern{}},
		hook:   hook,
		keys:   keys,
		events: &eventLog{},
		logs:   &syncWriter{},
	}
	p, err := New(cfg, Deps{
		SIP: h.sip, Media: h.media, Hook: fakeHook{h.hook}, Keys: fakeKeypad{h.keys},
		Bell: h.bell, Lamps: h.lamps, Clock: clock,
		Log:    slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Notify: h.events.add,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.phone = p
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	var once sync.Once
	h.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(patience):
				t.Errorf("Run did not return after cancel")
			}
		})
	}
	t.Cleanup(h.stop)
	h.sync()
	return h
}

// send delivers v on ch to the Run goroutine.
func send[T any](h *harness, ch chan<- T, v T) {
	h.t.Helper()
	select {
	case ch <- v:
	case <-time.After(patience):
		h.t.Fatalf("phone stuck: could not deliver %v", v)
	}
}

// sync returns once Run has handled every input sent before.
func (h *harness) sync() {
	h.t.Helper()
	send(h, h.sip.ch, sipstack.Event(sipstack.DTMF{CallID: "sync"}))
}

func (h *harness) hookEvent(ev hal.HookEvent) {
	h.t.Helper()
	ev.At = h.clock.Now()
	send(h, h.hook, ev)
	h.sync()
}

func (h *harness) key(k hal.Key, long bool) {
	h.t.Helper()
	send(h, h.keys, hal.KeyEvent{Key: k, Long: long, At: h.clock.Now()})
	h.sync()
}

func (h *harness) sipEvent(ev sipstack.Event) {
	h.t.Helper()
	send(h, h.sip.ch, ev)
	h.sync()
}

// Actions for scenario steps.

func lift() func(*harness) { return func(h *harness) { h.hookEvent(hal.HookEvent{OffHook: true}) } }

func hangUp() func(*harness) { return func(h *harness) { h.hookEvent(hal.HookEvent{}) } }

func flash() func(*harness) {
	return func(h *harness) { h.hookEvent(hal.HookEvent{OffHook: true, Flash: true}) }
}

func press(keys string) func(*harness) {
	return func(h *harness) {
		for _, k := range keys {
			h.key(hal.Key(k), false)
		}
	}
}

func longPress(k hal.Key) func(*harness) { return func(h *harness) { h.key(k, true) } }

func sipEv(ev sipstack.Event) func(*harness) { return func(h *harness) { h.sipEvent(ev) } }

func advance(d time.Duration) func(*harness) { return func(h *harness) { h.clock.Advance(d) } }

// incoming is an inbound call with a usable offer.
func incoming(id string) sipstack.Incoming {
	return sipstack.Incoming{CallID: id, From: "sip:1001@pbx.test", FromUser: "1001", SDP: []byte("offer-" + id)}
}

// step is one input and what it must cause. sip, tones and bell list
// exactly what the step caused (nil: nothing); media, when non-nil, lists
// exactly the streams, attach/detach, key tones and DTMF it caused.
type step struct {
	act   func(*harness)
	state State
	sip   []string
	tones []string
	bell  []string
	media []string
	leds  map[hal.LED]hal.LEDPattern
	check func(t *testing.T, h *harness)
}

type scenario struct {
	name  string
	cfg   func(*Config)
	steps []step
}

func runScenarios(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			cfg := baseConfig(t)
			if sc.cfg != nil {
				sc.cfg(&cfg)
			}
			h := newHarness(t, cfg)
			for i, st := range sc.steps {
				st.act(h)
				h.expect(i, st)
			}
		})
	}
}

func (h *harness) expect(i int, st step) {
	t := h.t
	t.Helper()
	if got := h.phone.State(); got != st.state {
		t.Fatalf("#%d: state %v, want %v", i, got, st.state)
	}
	if got := h.sip.rec.take(); !slices.Equal(got, st.sip) {
		t.Fatalf("#%d: sip %q, want %q", i, got, st.sip)
	}
	if got := h.media.tones.take(); !slices.Equal(got, st.tones) {
		t.Fatalf("#%d: tones %q, want %q", i, got, st.tones)
	}
	if got := h.bell.rec.take(); !slices.Equal(got, st.bell) {
		t.Fatalf("#%d: bell %q, want %q", i, got, st.bell)
	}
	if got := h.media.rec.take(); st.media != nil && !slices.Equal(got, st.media) {
		t.Fatalf("#%d: media %q, want %q", i, got, st.media)
	}
	for led, want := range st.leds {
		if got := h.lamps.get(led); got != want {
			t.Fatalf("#%d: led %s %v, want %v", i, led, got, want)
		}
	}
	if st.check != nil {
		st.check(t, h)
	}
}
