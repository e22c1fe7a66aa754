package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"sync/atomic"
	"time"

	"handset/callcontrol"
	"handset/config"
	"handset/dialplan"
	"handset/hal"
	"handset/mediapath"
	"handset/mediapath/tone"
	"handset/sipstack"
)

// parts is the hardware a phone runs with, real or simulated.
type parts struct {
	Hook  hal.HookSwitch
	Keys  hal.Keypad
	Bell  hal.Bell
	Lamps hal.Lamps
	Card  hal.SoundCard
}

// phoneOptions is everything runPhone wires together.
type phoneOptions struct {
	Config config.Config
	// NotReady, when set, says why the phone cannot make calls (a broken
	// config file): lifting the handset plays the error tone.
	NotReady string
	Parts    parts
	Clock    hal.Clock
	Log      *slog.Logger
	// Notify hears every call-control event, including dtmf-received for
	// every digit the far end sends (RFC 4733 or SIP INFO). OnDTMF, if set,
	// also hears the RFC 4733 ones, straight from the audio engine.
	Notify func(callcontrol.Event)
	OnDTMF func(hal.Key)
	// Liveness, if set, registers a part that must beat at least once
	// every within and returns its beat: the hardware watchdog is fed only
	// while every part beats.
	Liveness func(name string, within time.Duration) (beat func())
	// Restart, when closed, ends the phone with errConfigChanged as soon as
	// no call is up (the supervisor starts it again with the new file).
	Restart <-chan struct{}
	// Ready, if set, is called once the phone is listening.
	Ready func(sip netip.AddrPort)
}

// runPhone runs one phone until ctx ends or a part fails. On the way out call
// control hangs up first, then the SIP side un-registers.
func runPhone(ctx context.Context, o phoneOptions) error {
	cfg := o.Config
	log := o.Log
	plan, err := tone.PlanFor(string(cfg.Tones.Country))
	if err != nil {
		return fmt.Errorf("tones: %w", err)
	}
	ccfg, notReady := callConfig(cfg, plan)
	if o.NotReady != "" {
		notReady = o.NotReady
	}

	// The SIP side failing to start (bad account, port busy) leaves the
	// phone up but not ready, so a lifted handset says so with a tone.
	var sip callcontrol.SIP = offlineSIP{}
	sipAddr := netip.AddrPortFrom(netip.IPv4Unspecified(), 0)
	rtpIP := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	sipDone := make(chan error, 1)
	var sipWatch <-chan error // nil while SIP is offline: nothing to watch
	sipCtx, stopSIP := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSIP()
	ua, err := sipstack.New(sipConfig(cfg), log.With("part", "sip"), o.Clock)
	if err == nil {
		go func() { sipDone <- ua.Run(sipCtx) }()
		select {
		case <-ua.Ready():
			sip, sipAddr, rtpIP = ua, ua.LocalAddr(), ua.AdvertisedIP()
			sipWatch = sipDone
		case err = <-sipDone:
		case <-ctx.Done():
			stopSIP()
			<-sipDone
			return nil
		}
	}
	if err != nil {
		sipDone <- nil // nothing runs; the shutdown below reads this
		if notReady == "" {
			notReady = fmt.Sprintf("sip: %v", err)
		}
		log.Error("SIP not running", "error", err)
	}
	if notReady != "" {
		log.Error("phone not ready: lifting the handset plays the error tone", "reason", notReady)
		o.Parts.Lamps.SetLED(hal.LEDError, hal.LEDOn)
	}
	ccfg.NotReady = notReady

	// Digits the engine receives go to call control, which is made after
	// it; until then there is no call to receive them.
	var cc atomic.Pointer[callcontrol.Phone]
	onDTMF := func(k hal.Key) {
		if p := cc.Load(); p != nil {
			p.PeerDTMF(k)
		}
		if o.OnDTMF != nil {
			o.OnDTMF(k)
		}
	}
	liveness := o.Liveness
	if liveness == nil {
		liveness = func(string, time.Duration) func() { return nil }
	}
	eng, err := mediapath.NewEngine(mediapath.Config{
		Beat:            liveness("audio pump", pumpDeadline),
		Card:            o.Parts.Card,
		Plan:            plan,
		Codecs:          codecNames(cfg.Media.Codecs),
		LocalAddr:       rtpIP,
		PortMin:         cfg.Media.RTPPortMin,
		PortMax:         cfg.Media.RTPPortMax,
		DTMFPayloadType: uint8(cfg.Media.DTMFPayloadType),
		JitterMax:       cfg.Media.Jitter,
		ComfortNoise:    true,
		EchoSuppressor:  cfg.Media.EchoSuppressor,
		OnDTMF:          onDTMF,
	}, log.With("part", "media"), o.Clock)
	if err != nil {
		stopSIP()
		<-sipDone
		return fmt.Errorf("media: %w", err)
	}
	bell := o.Parts.Bell
	if cfg.Audio.Ringtone {
		bell = &ringtoneBell{bell: bell, media: eng}
	}
	phone, err := callcontrol.New(ccfg, callcontrol.Deps{
		SIP:    sip,
		Media:  mediaAdapter{eng},
		Hook:   o.Parts.Hook,
		Keys:   o.Parts.Keys,
		Bell:   bell,
		Lamps:  o.Parts.Lamps,
		Clock:  o.Clock,
		Log:    log.With("part", "call"),
		Notify: o.Notify,
	})
	if err != nil {
		stopSIP()
		<-sipDone
		return fmt.Errorf("call control: %w", err)
	}
	cc.Store(phone)

	phoneCtx, stopPhone := context.WithCancel(ctx)
	defer stopPhone()
	mediaDone := make(chan error, 1)
	callDone := make(chan error, 1)
	go func() { mediaDone <- eng.Run(phoneCtx) }()
	if sipWatch != nil {
		if beat := liveness("sip", sipDeadline); beat != nil {
			go probeSIP(phoneCtx, ua, o.Clock, beat, log)
		}
	}
	go func() { callDone <- phone.Run(phoneCtx) }()
	if o.Ready != nil {
		o.Ready(sipAddr)
	}
	log.Info("phone running", "sip", sipAddr.String(), "user", cfg.Account.User,
		"registrar", cfg.Account.Registrar)

	var first error
	select {
	case <-ctx.Done():
	case <-whenIdle(phoneCtx, o.Restart, phone, o.Clock):
		first = errConfigChanged
	case err := <-sipWatch:
		first = fmt.Errorf("sip: %w", err)
		sipDone <- nil
	case err := <-mediaDone:
		first = fmt.Errorf("media: %w", err)
		mediaDone <- nil
	case err := <-callDone:
		first = fmt.Errorf("call control: %w", err)
		callDone <- nil
	}
	stopPhone()
	<-callDone
	<-mediaDone
	stopSIP()
	if err := <-sipDone; err != nil && first == nil && !errors.Is(err, context.Canceled) {
		first = fmt.Errorf("sip: %w", err)
	}
	return first
}

// callConfig maps the [dialing] section onto call control. A digit map that
// does not parse leaves the phone not ready, with the reason.
func callConfig(cfg config.Config, plan tone.Plan) (callcontrol.Config, string) {
	d := cfg.Dialing
	cc := callcontrol.Config{
		Hotline:        d.Hotline,
		WarmLine:       d.WarmLine,
		WarmLineDelay:  d.WarmLineDelay,
		OffHookTimeout: d.OffhookTimer,
		RingCadence:    plan.Ring,
		CallWaiting:    d.CallWaiting,
		SpeedDial:      make(map[hal.Key]string, len(cfg.SpeedDial)),
	}
	for k, v := range cfg.SpeedDial {
		cc.SpeedDial[hal.Key(k)] = v
	}
	dm, err := dialplan.Parse(withTimers(d))
	if err != nil {
		return cc, fmt.Sprintf("dialing.digit_map: %v", err)
	}
	cc.DialPlan = dm
	return cc, ""
}

// withTimers puts the config's short and long timers in front of the digit
// map unless the map sets its own.
func withTimers(d config.Dialing) string {
	m := d.DigitMap
	if !hasTimerPrefix(m, 'S') {
		m = "S:" + seconds(d.ShortTimer) + "," + m
	}
	if !hasTimerPrefix(m, 'L') {
		m = "L:" + seconds(d.LongTimer) + "," + m
	}
	return m
}

func hasTimerPrefix(m string, c byte) bool {
	for len(m) > 2 && (m[0] == 'S' || m[0] == 'L') && m[1] == ':' {
		if m[0] == c {
			return true
		}
		i := 2
		for i < len(m) && m[i] != ',' {
			i++
		}
		if i == len(m) {
			return false
		}
		m = m[i+1:]
	}
	return false
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// sipConfig maps the [account] and [security] sections onto the SIP stack.
func sipConfig(cfg config.Config) sipstack.Config {
	a := cfg.Account
	ip := "0.0.0.0"
	if a.LocalIP.IsValid() {
		ip = a.LocalIP.String()
	}
	ua := a.UserAgent
	if ua == "" {
		ua = "handset/" + version
	}
	user := a.User
	if user == "" {
		user = "handset" // no account: direct calls reach sip:handset@this-phone
	}
	return sipstack.Config{
		User:             user,
		AuthUser:         a.AuthUser,
		Password:         string(a.Password),
		DisplayName:      a.DisplayName,
		Domain:           a.Domain,
		Registrar:        a.Registrar,
		OutboundProxy:    a.OutboundProxy,
		ListenAddr:       net.JoinHostPort(ip, strconv.Itoa(a.LocalPort)),
		Expiry:           a.Expiry,
		UserAgent:        ua,
		AllowDirectCalls: cfg.Security.AllowDirectCalls,
	}
}

func codecNames(cs []config.Codec) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// mediaAdapter lets the engine's concrete streams pass through call
// control's Stream interface.
type mediaAdapter struct{ *mediapath.Engine }

var _ callcontrol.Media = mediaAdapter{}

// NewStream implements callcontrol.Media.
func (m mediaAdapter) NewStream() (callcontrol.Stream, error) { return m.Engine.NewStream() }

// Attach implements callcontrol.Media.
func (m mediaAdapter) Attach(s callcontrol.Stream) error {
	ms, ok := s.(*mediapath.Stream)
	if !ok {
		return fmt.Errorf("attach: stream %T is not the engine's", s)
	}
	return m.Engine.Attach(ms)
}

// offlineSIP stands in for the SIP side when it could not start: the phone
// is then not ready, and every verb says why.
type offlineSIP struct{}

var errSIPOffline = errors.New("sip: not running")

func (offlineSIP) Dial(string, []byte) (string, error) { return "", errSIPOffline }
func (offlineSIP) Ring(string) error                   { return errSIPOffline }
func (offlineSIP) Answer(string, []byte) error         { return errSIPOffline }
func (offlineSIP) Reject(string, int) error            { return errSIPOffline }
func (offlineSIP) Hangup(string) error                 { return errSIPOffline }
func (offlineSIP) Events() <-chan sipstack.Event       { return nil }

// How often the SIP side is probed, and how long the pump and the SIP side
// may go without a beat before the watchdog lets the board reset.
const (
	sipProbeEvery = 5 * time.Second
	sipDeadline   = 30 * time.Second
	pumpDeadline  = 2 * time.Second
)

// probeSIP sends the UA an OPTIONS through its own socket every few seconds
// and beats while it answers.
func probeSIP(ctx context.Context, ua *sipstack.UA, clk hal.Clock, beat func(), log *slog.Logger) {
	t := clk.NewTicker(sipProbeEvery)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C():
		}
		pctx, cancel := context.WithTimeout(ctx, sipProbeEvery)
		err := ua.Probe(pctx)
		cancel()
		switch {
		case err == nil:
			beat()
			if failing {
				log.Info("SIP side answers its probe again")
			}
			failing = false
		case ctx.Err() == nil && !failing:
			log.Warn("SIP side does not answer its probe", "err", err)
			failing = true
		}
	}
}

// whenIdle closes the returned channel once restart is closed and the phone
// is idle, checking every second: a new configuration never cuts a call.
func whenIdle(ctx context.Context, restart <-chan struct{}, phone *callcontrol.Phone, clk hal.Clock) <-chan struct{} {
	idle := make(chan struct{})
	if restart == nil {
		return idle
	}
	go func() {
		select {
		case <-restart:
		case <-ctx.Done():
			return
		}
		t := clk.NewTicker(time.Second)
		defer t.Stop()
		for phone.State() != callcontrol.Idle {
			select {
			case <-t.C():
			case <-ctx.Done():
				return
			}
		}
		close(idle)
	}()
	return idle
}
