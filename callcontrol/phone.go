package callcontrol

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"handset/dialplan"
	"handset/hal"
	"handset/mediapath/tone"
	"handset/sipstack"
)

// Defaults for zero Config fields.
const (
	// DefaultOffHookTimeout is how long dial tone waits for a first digit.
	DefaultOffHookTimeout = 5 * time.Second
	// callWaitingRepeat is how often the call-waiting tone repeats.
	callWaitingRepeat = 10 * time.Second
	// maxDigits caps the digits collected for one number.
	maxDigits = 64
)

// defaultRingCadence is used when Config.RingCadence is empty: 2 s on, 4 s
// off (US).
var defaultRingCadence = []time.Duration{2 * time.Second, 4 * time.Second}

// Config is how the phone behaves.
type Config struct {
	// DialPlan judges the digits dialled. Required unless NotReady is set.
	DialPlan *dialplan.Map
	// SpeedDial maps a key to a number: a long press of the key at dial
	// tone, before any digit, dials it.
	SpeedDial map[hal.Key]string
	// Hotline is dialled as soon as the handset is lifted. It wins over
	// WarmLine and over the dial plan's off-hook rule.
	Hotline string
	// WarmLine is dialled when no key is pressed within WarmLineDelay of
	// lifting the handset (a zero delay makes it a hotline). It wins over
	// the dial plan's off-hook rule.
	WarmLine      string
	WarmLineDelay time.Duration
	// OffHookTimeout: no first digit for this long gives congestion tone
	// (unless there is a warm line). Zero means DefaultOffHookTimeout.
	OffHookTimeout time.Duration
	// RingCadence is the bell's on/off cadence: on, off, on, off…; an even
	// number of positive durations. Empty means 2 s on, 4 s off.
	RingCadence []time.Duration
	// CallWaiting lets a second call in during a call (tone, then hook
	// flash to switch); false rejects it with 486.
	CallWaiting bool
	// NotReady, when non-empty, says why the phone is not usable (e.g. a
	// bad config): lifting plays the error tone, the error lamp lights and
	// nothing is dialled or answered.
	NotReady string
}

// Deps are the parts the phone drives. All are required except Notify.
type Deps struct {
	SIP   SIP
	Media Media
	Hook  hal.HookSwitch
	Keys  hal.Keypad
	Bell  hal.Bell
	Lamps hal.Lamps
	Clock hal.Clock
	Log   *slog.Logger
	// Notify receives every Event, from the Run goroutine; it must not
	// block long.
	Notify func(Event)
}

// Phone is the state machine of one line. Build it with New, drive it with
// Run.
type Phone struct {
	cfg       Config
	d         Deps
	log       *slog.Logger
	plan      *dialplan.Map
	hotline   string
	warmLine  string
	warmDelay time.Duration
	offHook   time.Duration
	cadence   []time.Duration

	state   atomic.Int32
	running atomic.Bool
	mwi     atomic.Bool
	mwiCh   chan struct{}
	dtmfCh  chan hal.Key
	timerCh chan timerMsg
	stopped chan struct{}

	// Owned by the Run goroutine.
	timers     [numSlots]hal.Timer
	gens       [numSlots]uint64
	curTone    tone.Kind
	active     *call // the call in progress (outgoing, ringing or connected)
	waiting    *call // a second incoming call, announced by the call-waiting tone
	digits     string
	pending    string // number sent when the short timer expires
	dialWait   waitKind
	lastDialed string
	ring       ringState
}

// New checks cfg and d and builds a Phone. It touches no hardware.
func New(cfg Config, d Deps) (*Phone, error) {
	for _, dep := range []struct {
		name    string
		missing bool
	}{
		{"SIP", d.SIP == nil}, {"Media", d.Media == nil}, {"Hook", d.Hook == nil},
		{"Keys", d.Keys == nil}, {"Bell", d.Bell == nil}, {"Lamps", d.Lamps == nil},
		{"Clock", d.Clock == nil}, {"Log", d.Log == nil},
	} {
		if dep.missing {
			return nil, fmt.Errorf("%w: %s", ErrMissingDep, dep.name)
		}
	}
	if d.Notify == nil {
		d.Notify = func(Event) {}
	}
	p := &Phone{
		cfg:       cfg,
		d:         d,
		log:       d.Log,
		plan:      cfg.DialPlan,
		hotline:   cfg.Hotline,
		warmLine:  cfg.WarmLine,
		warmDelay: cfg.WarmLineDelay,
		offHook:   cfg.OffHookTimeout,
		cadence:   cfg.RingCadence,
		mwiCh:     make(chan struct{}, 1),
		dtmfCh:    make(chan hal.Key, 16),
		timerCh:   make(chan timerMsg),
		stopped:   make(chan struct{}),
	}
	if err := p.checkConfig(); err != nil {
		return nil, err
	}
	return p, nil
}

// checkConfig validates the config and resolves hotline, warm line and
// defaults.
func (p *Phone) checkConfig() error {
	cfg := p.cfg
	if cfg.DialPlan == nil && cfg.NotReady == "" {
		return fmt.Errorf("%w: no dial plan", ErrBadConfig)
	}
	if cfg.OffHookTimeout < 0 || cfg.WarmLineDelay < 0 {
		return fmt.Errorf("%w: negative timeout", ErrBadConfig)
	}
	if p.offHook == 0 {
		p.offHook = DefaultOffHookTimeout
	}
	if len(p.cadence) == 0 {
		p.cadence = defaultRingCadence
	}
	if len(p.cadence)%2 != 0 {
		return fmt.Errorf("%w: ring cadence %v: want on/off pairs", ErrBadConfig, p.cadence)
	}
	for _, d := range p.cadence {
		if d <= 0 {
			return fmt.Errorf("%w: ring cadence %v: non-positive step", ErrBadConfig, p.cadence)
		}
	}
	for k, n := range cfg.SpeedDial {
		if n == "" {
			return fmt.Errorf("%w: speed dial %q: empty number", ErrBadConfig, k)
		}
	}
	if p.hotline == "" && p.warmLine == "" && p.plan != nil {
		if n, d, ok := p.plan.OffHook(); ok {
			p.warmLine, p.warmDelay = n, d
		}
	}
	if p.hotline == "" && p.warmLine != "" && p.warmDelay == 0 {
		p.hotline, p.warmLine = p.warmLine, ""
	}
	return nil
}

// State reports the phone's state; safe from any goroutine.
func (p *Phone) State() State { return State(p.state.Load()) }

// SetMessageWaiting sets the message-waiting flag (from MWI): dial tone
// becomes stutter dial tone and the message lamp blinks. Safe from any
// goroutine.
func (p *Phone) SetMessageWaiting(on bool) {
	p.mwi.Store(on)
	select {
	case p.mwiCh <- struct{}{}:
	default: // a wake-up is already pending; it reads the flag
	}
}

// Run drives the phone until ctx ends; then it hangs up any call, stops the
// bell and returns nil. Run may be called once.
func (p *Phone) Run(ctx context.Context) error {
	if !p.running.CompareAndSwap(false, true) {
		return ErrAlreadyRunning
	}
	defer close(p.stopped)
	hookCh, keyCh, sipCh := p.d.Hook.Events(), p.d.Keys.Keys(), p.d.SIP.Events()
	if p.cfg.NotReady != "" {
		p.log.Warn("phone not ready", "reason", p.cfg.NotReady)
		p.lamp(hal.LEDError, hal.LEDOn)
	}
	if p.d.Hook.OffHook() {
		p.lifted()
	}
	for {
		select {
		case <-ctx.Done():
			p.shutdown()
			return nil
		case ev, ok := <-hookCh:
			if !ok {
				p.log.Warn("hook switch closed")
				hookCh = nil
				continue
			}
			p.onHook(ev)
		case ev, ok := <-keyCh:
			if !ok {
				p.log.Warn("keypad closed")
				keyCh = nil
				continue
			}
			p.hookFirst(hookCh)
			p.onKey(ev)
		case ev, ok := <-sipCh:
			if !ok {
				p.log.Warn("sip events closed")
				sipCh = nil
				continue
			}
			p.onSIP(ev)
		case m := <-p.timerCh:
			p.onTimer(m)
			close(m.done)
		case <-p.mwiCh:
			p.onMessageWaiting()
		case k := <-p.dtmfCh:
			p.peerDTMF("", k, "rfc4733")
		}
	}
}

// hookFirst handles the hook changes already waiting when a key comes:
// select picks among ready channels at random, and a key pressed right
// after a lift (a simulator's "offhook" then "dial") would otherwise reach
// a phone still idle and be lost.
func (p *Phone) hookFirst(hookCh <-chan hal.HookEvent) {
	for {
		select {
		case ev, ok := <-hookCh:
			if !ok {
				return // the main loop notices and says so
			}
			p.onHook(ev)
		default:
			return
		}
	}
}

// onHook dispatches a hook switch change.
func (p *Phone) onHook(ev hal.HookEvent) {
	p.log.Debug("hook", "off_hook", ev.OffHook, "flash", ev.Flash, "state", p.State().String())
	switch {
	case ev.Flash:
		p.onFlash()
	case ev.OffHook:
		switch p.State() {
		case Idle:
			p.lifted()
		case Ringing:
			p.answer()
		}
	default:
		p.onHangUp()
	}
}

// onHangUp handles the handset going down.
func (p *Phone) onHangUp() {
	switch p.State() {
	case DialTone, Dialing:
		p.resetDialing()
		p.stopTone()
		p.setState(Idle, "on-hook")
	case Calling, Connected:
		p.hangup(p.active, "local-hangup")
		p.afterCall()
	case Failed, Disconnected:
		p.stopTone()
		p.afterCall()
	}
}

// afterCall leaves a call on hook: the phone rings for a waiting call, or
// goes idle.
func (p *Phone) afterCall() {
	p.stopTone()
	if p.waiting != nil {
		p.ringWaiting()
		return
	}
	p.setState(Idle, "on-hook")
}

// onKey dispatches a key press.
func (p *Phone) onKey(ev hal.KeyEvent) {
	p.log.Debug("key", "key", string(ev.Key), "long", ev.Long, "state", p.State().String())
	switch p.State() {
	case DialTone, Dialing:
		p.collect(ev)
	case Connected:
		p.sendDTMF(ev.Key)
	case Calling:
		if p.active.attached { // early media: an IVR may listen
			p.sendDTMF(ev.Key)
		}
	}
}

// onSIP dispatches an event of the SIP stack.
func (p *Phone) onSIP(ev sipstack.Event) {
	switch e := ev.(type) {
	case sipstack.Registered, sipstack.RegistrationFailed, sipstack.Unregistered:
		p.onRegistration(e)
	case sipstack.Incoming:
		p.onIncoming(e)
	case sipstack.Progress:
		p.onProgress(e)
	case sipstack.Answered:
		p.onAnswered(e)
	case sipstack.Failed:
		p.onFailed(e)
	case sipstack.Ended:
		p.onEnded(e)
	case sipstack.Updated:
		p.onUpdated(e)
	case sipstack.DTMF:
		p.peerDTMF(e.CallID, hal.Key(e.Digit), "info")
	default:
		p.log.Warn("unknown sip event", "event", fmt.Sprintf("%T", ev))
	}
}

// onMessageWaiting applies a change of the message-waiting flag.
func (p *Phone) onMessageWaiting() {
	on := p.mwi.Load()
	p.log.Debug("message waiting", "on", on)
	if on {
		p.lamp(hal.LEDMessage, hal.LEDBlinkSlow)
	} else {
		p.lamp(hal.LEDMessage, hal.LEDOff)
	}
	if p.State() == DialTone {
		p.playTone(p.dialTone())
	}
}

// shutdown ends every call and silences the phone as Run returns.
func (p *Phone) shutdown() {
	p.resetDialing()
	p.stopRinging()
	if c := p.waiting; c != nil {
		p.reject(c.id, 480)
		p.finishCall(c, "shutdown")
	}
	if c := p.active; c != nil {
		if p.State() == Ringing {
			p.reject(c.id, 480)
			p.finishCall(c, "shutdown")
		} else {
			p.hangup(c, "shutdown")
		}
	}
	p.stopTone()
	for s := range p.timers {
		p.disarm(slot(s))
	}
	p.setState(Idle, "shutdown")
}

// setState moves to a new state, logs and reports it.
func (p *Phone) setState(to State, reason string) {
	from := p.State()
	if from == to {
		return
	}
	p.state.Store(int32(to))
	p.log.Debug("state", "from", from.String(), "to", to.String(), "reason", reason)
	p.d.Notify(StateChanged{From: from, To: to, Reason: reason})
}

// playTone starts a call-progress tone (tone.None stops) and reports it.
func (p *Phone) playTone(k tone.Kind) {
	p.curTone = k
	p.d.Media.PlayTone(k)
	p.log.Debug("tone", "tone", k.String())
	p.d.Notify(Tone{Tone: k.String()})
}

// stopTone stops the call-progress tone if one plays.
func (p *Phone) stopTone() {
	if p.curTone != tone.None {
		p.playTone(tone.None)
	}
}

// dialTone is the dial tone to play: stutter when a message waits.
func (p *Phone) dialTone() tone.Kind {
	if p.mwi.Load() {
		return tone.StutterDial
	}
	return tone.Dial
}

// lamp sets a status LED; a lamp failure is logged, never fatal.
func (p *Phone) lamp(led hal.LED, pat hal.LEDPattern) {
	if err := p.d.Lamps.SetLED(led, pat); err != nil {
		p.log.Warn("set lamp", "led", string(led), "pattern", pat.String(), "err", err)
	}
}

// PeerDTMF reports a digit the far end sent in the media (RFC 4733; the
// audio engine's OnDTMF). Safe from any goroutine and never blocks: when
// call control lags 16 digits behind, the digit is dropped with a warning.
func (p *Phone) PeerDTMF(k hal.Key) {
	select {
	case p.dtmfCh <- k:
	default:
		p.log.Warn("peer DTMF dropped: queue full", "key", string(k))
	}
}

// peerDTMF reports a digit from the far end of the call in progress (SIP
// INFO names its call; media events belong to the active one).
func (p *Phone) peerDTMF(callID string, k hal.Key, via string) {
	c := p.active
	if c == nil || (callID != "" && callID != c.id) {
		p.log.Debug("peer DTMF outside the call", "call", callID, "key", string(k), "via", via)
		return
	}
	p.log.Debug("peer DTMF", "call", c.id, "key", string(k), "via", via)
	p.d.Notify(DTMFReceived{CallID: c.id, Key: string(k), Via: via})
}

// sendDTMF sends a dialable key to the far end and plays its feedback.
func (p *Phone) sendDTMF(k hal.Key) {
	if !k.IsDTMF() {
		return
	}
	p.d.Media.PlayKeyTone(k)
	p.d.Media.SendDTMF(k)
}
