package callcontrol

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/haltest"
	"handset/sipstack"
)

func TestNewRejects(t *testing.T) {
	plan := mustPlan(t, testPlan)
	good := func() (Config, Deps) {
		clock := haltest.NewClock(time.Unix(0, 0))
		return Config{DialPlan: plan}, Deps{
			SIP: &fakeSIP{}, Media: &fakeMedia{}, Hook: fakeHook{}, Keys: fakeKeypad{},
			Bell: &fakeBell{clock: clock}, Lamps: &fakeLamps{}, Clock: clock,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		}
	}
	tests := []struct {
		name  string
		edit  func(*Config, *Deps)
		want  error
		match string
	}{
		{"no SIP", func(_ *Config, d *Deps) { d.SIP = nil }, ErrMissingDep, "SIP"},
		{"no Media", func(_ *Config, d *Deps) { d.Media = nil }, ErrMissingDep, "Media"},
		{"no Hook", func(_ *Config, d *Deps) { d.Hook = nil }, ErrMissingDep, "Hook"},
		{"no Keys", func(_ *Config, d *Deps) { d.Keys = nil }, ErrMissingDep, "Keys"},
		{"no Bell", func(_ *Config, d *Deps) { d.Bell = nil }, ErrMissingDep, "Bell"},
		{"no Lamps", func(_ *Config, d *Deps) { d.Lamps = nil }, ErrMissingDep, "Lamps"},
		{"no Clock", func(_ *Config, d *Deps) { d.Clock = nil }, ErrMissingDep, "Clock"},
		{"no Log", func(_ *Config, d *Deps) { d.Log = nil }, ErrMissingDep, "Log"},
		{"no dial plan", func(c *Config, _ *Deps) { c.DialPlan = nil }, ErrBadConfig, "dial plan"},
		{"odd cadence", func(c *Config, _ *Deps) { c.RingCadence = []time.Duration{time.Second} }, ErrBadConfig, "pairs"},
		{"zero cadence step", func(c *Config, _ *Deps) { c.RingCadence = []time.Duration{time.Second, 0} }, ErrBadConfig, "non-positive"},
		{"negative off-hook timeout", func(c *Config, _ *Deps) { c.OffHookTimeout = -time.Second }, ErrBadConfig, "negative"},
		{"negative warm line delay", func(c *Config, _ *Deps) { c.WarmLineDelay = -time.Second }, ErrBadConfig, "negative"},
		{"empty speed dial", func(c *Config, _ *Deps) { c.SpeedDial = map[hal.Key]string{'1': ""} }, ErrBadConfig, "speed dial"},
	}
	for i, tc := range tests {
		cfg, d := good()
		tc.edit(&cfg, &d)
		p, err := New(cfg, d)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.match) || p != nil {
			t.Errorf("#%d %s: New = %v, %v; want %v mentioning %q", i, tc.name, p, err, tc.want, tc.match)
		}
	}
	cfg, d := good()
	cfg.DialPlan = nil
	cfg.NotReady = "config: line 3: unknown key"
	if _, err := New(cfg, d); err != nil {
		t.Errorf("New without dial plan but NotReady: %v", err)
	}
}

func TestRunTwice(t *testing.T) {
	h := newHarness(t, baseConfig(t))
	if err := h.phone.Run(context.Background()); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("second Run = %v, want ErrAlreadyRunning", err)
	}
}

func TestNotReady(t *testing.T) {
	errLED := map[hal.LED]hal.LEDPattern{hal.LEDError: hal.LEDOn}
	runScenarios(t, []scenario{{name: "not ready", cfg: func(c *Config) {
		c.DialPlan = nil
		c.NotReady = "config: line 3: unknown key"
	}, steps: []step{
		{act: func(*harness) {}, state: Idle, leds: errLED},
		{act: lift(), state: Failed, tones: []string{"error"}, leds: errLED,
			check: func(t *testing.T, h *harness) {
				got := eventsOf[StateChanged](h)
				want := StateChanged{From: Idle, To: Failed, Reason: "not ready: config: line 3: unknown key"}
				if len(got) != 1 || got[0] != want {
					t.Fatalf("state events %+v, want %+v", got, want)
				}
			}},
		{act: press("123#" + string(hal.KeyRedial)), state: Failed, media: []string{}},
		{act: sipEv(incoming("in-1")), state: Failed, sip: []string{"reject in-1 480"}},
		{act: hangUp(), state: Idle, tones: []string{"none"}, leds: errLED},
		{act: sipEv(incoming("in-2")), state: Idle, sip: []string{"reject in-2 480"}, bell: nil},
	}}})
}

func TestShutdown(t *testing.T) {
	tests := []struct {
		name  string
		cfg   func(*Config)
		steps []step
		sip   []string
		bell  []string
	}{
		{"connected", nil, connectedOut(), []string{"hangup out-1"}, nil},
		{"calling", nil, dialOut(), []string{"hangup out-1"}, nil},
		{"ringing", nil, []step{ringIn("in-1", "s1", "0s")}, []string{"reject in-1 480"}, []string{"off@0s"}},
		{"call waiting", callWaiting, append(connectedOut(), waitingIn("in-1", "s2")),
			[]string{"reject in-1 480", "hangup out-1"}, nil},
		{"dialing", nil, []step{{act: lift(), state: DialTone, tones: []string{"dial"}}}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig(t)
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			h := newHarness(t, cfg)
			for i, st := range tc.steps {
				st.act(h)
				h.expect(i, st)
			}
			h.stop()
			if got := h.sip.rec.take(); !equalStrings(got, tc.sip) {
				t.Fatalf("sip %q, want %q", got, tc.sip)
			}
			if got := h.bell.rec.take(); !equalStrings(got, tc.bell) {
				t.Fatalf("bell %q, want %q", got, tc.bell)
			}
			if h.phone.State() != Idle || h.lamps.get(hal.LEDInCall) != hal.LEDOff {
				t.Fatalf("after shutdown: state %v, in-call lamp %v", h.phone.State(), h.lamps.get(hal.LEDInCall))
			}
			if h.clock.Pending() != 0 {
				t.Fatalf("%d timers left armed", h.clock.Pending())
			}
			if tones := h.media.tones.take(); len(tones) > 0 && tones[len(tones)-1] != "none" {
				t.Fatalf("tones %q: still playing", tones)
			}
		})
	}
}

func TestTransitionsLogged(t *testing.T) {
	h := newHarness(t, baseConfig(t))
	lift()(h)
	press("5")(h)
	logs := h.logs.String()
	for _, want := range []string{
		`level=DEBUG msg=state from=idle to=dial-tone reason=off-hook`,
		`level=DEBUG msg=state from=dial-tone to=dialing reason=digit`,
		`level=DEBUG msg=state from=dialing to=failed reason="no match in dial plan"`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

// offHookHook is a hook switch that is already off hook when Run starts.
type offHookHook struct{ fakeHook }

func (offHookHook) OffHook() bool { return true }

// TestRealClock runs the phone on the system clock, where timers fire in
// their own goroutines: an off-hook timeout of a few milliseconds must
// still reach the Run loop.
func TestRealClock(t *testing.T) {
	cfg := baseConfig(t)
	cfg.OffHookTimeout = 5 * time.Millisecond
	events := make(chan Event, 16)
	p, err := New(cfg, Deps{
		SIP: &fakeSIP{ch: make(chan sipstack.Event)}, Media: &fakeMedia{}, Hook: offHookHook{},
		Keys: fakeKeypad{}, Bell: &fakeBell{clock: hal.SystemClock{}}, Lamps: &fakeLamps{now: map[hal.LED]hal.LEDPattern{}},
		Clock: hal.SystemClock{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Notify: func(e Event) {
			select {
			case events <- e:
			default:
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	var got []State
	deadline := time.After(patience)
	for {
		select {
		case e := <-events:
			if sc, ok := e.(StateChanged); ok {
				got = append(got, sc.To)
			}
			if len(got) == 2 {
				if got[0] != DialTone || got[1] != Failed {
					t.Fatalf("states %v, want [dial-tone failed]", got)
				}
				return
			}
		case <-deadline:
			t.Fatalf("states %v: off-hook timeout never fired", got)
		}
	}
}
