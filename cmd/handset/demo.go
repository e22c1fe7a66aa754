package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"handset/callcontrol"
	"handset/config"
	"handset/hal"
	"handset/hal/sim"
	"handset/mediapath"
	"handset/mediapath/detect"
	"handset/wav"
)

// The demo's two phones, and the tone each one's microphone hears.
const (
	demoToneA = 1000.0 // Hz, A's mouthpiece
	demoToneB = 600.0  // Hz, B's mouthpiece
	demoTalk  = 3 * time.Second
)

// demoCommand runs two simulated phones on loopback, with no PBX: A lifts
// and dials B, B rings and answers, a tone goes each way, A hangs up, then B.
// It prints what happened and exits 0 only if all of it did.
func demoCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("handset demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log what the phones do")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	rep, err := runDemo(ctx, log)
	rep.print(stdout)
	if err != nil {
		fmt.Fprintf(stdout, "FAIL: %v\n", err)
		return exitFailure
	}
	fmt.Fprintln(stdout, "PASS: both phones rang, talked and hung up")
	return exitOK
}

// demoPhone is one in-process simulated phone.
type demoPhone struct {
	name    string
	user    string
	parts   *simParts
	speaker *memFile
	events  chan callcontrol.Event
	sip     netip.AddrPort
	done    chan error
	ended   callcontrol.CallEnded
	setup   time.Duration
}

func startDemoPhone(ctx context.Context, name, user, domain string, tone float64, log *slog.Logger) (*demoPhone, error) {
	clk := hal.SystemClock{}
	p := &demoPhone{
		name:    name,
		user:    user,
		speaker: &memFile{},
		events:  make(chan callcontrol.Event, 256),
		done:    make(chan error, 1),
	}
	p.parts = newSimParts(clk, sim.NewToneSource(8000, tone, 0.3), 8000, p.speaker, nil)
	cfg := config.Default()
	cfg.Account.User = user
	cfg.Account.AuthUser = user
	cfg.Account.Domain = domain  // dialled digits go to sip:DIGITS@domain
	cfg.Account.Register = false // no PBX: nothing to register with
	cfg.Account.Registrar = ""
	cfg.Account.LocalIP = netip.MustParseAddr("127.0.0.1")
	cfg.Account.LocalPort = 0
	cfg.Security.AllowDirectCalls = true
	ready := make(chan netip.AddrPort, 1)
	go func() {
		p.done <- runPhone(ctx, phoneOptions{
			Config: cfg,
			Parts:  p.parts.parts(),
			Clock:  clk,
			Log:    log.With("phone", name),
			Notify: func(ev callcontrol.Event) {
				select {
				case p.events <- ev:
				default:
				}
			},
			Ready: func(a netip.AddrPort) { ready <- a },
		})
	}()
	select {
	case p.sip = <-ready:
		return p, nil
	case err := <-p.done:
		return nil, fmt.Errorf("phone %s: %w", name, err)
	case <-ctx.Done():
		return nil, fmt.Errorf("phone %s did not start: %w", name, ctx.Err())
	}
}

// waitState waits until the phone reports state want.
func (p *demoPhone) waitState(ctx context.Context, want callcontrol.State) error {
	for {
		select {
		case ev := <-p.events:
			switch e := ev.(type) {
			case callcontrol.StateChanged:
				if e.To == want {
					return nil
				}
			case callcontrol.CallConnected:
				p.setup = e.SetupTime
			case callcontrol.CallEnded:
				p.ended = e
			}
		case err := <-p.done:
			return fmt.Errorf("phone %s stopped waiting for %s: %v", p.name, want, err)
		case <-ctx.Done():
			return fmt.Errorf("phone %s never reached %s", p.name, want)
		}
	}
}

// drain collects what is still queued (the end-of-call stats).
func (p *demoPhone) drain() {
	for {
		select {
		case ev := <-p.events:
			if e, ok := ev.(callcontrol.CallEnded); ok {
				p.ended = e
			}
		default:
			return
		}
	}
}

// heard reports how long the phone's earpiece played freq.
func (p *demoPhone) heard(freq float64) (time.Duration, error) {
	samples, rate, _, err := wav.Read(bytes.NewReader(p.speaker.buf))
	if err != nil {
		return 0, fmt.Errorf("phone %s speaker: %w", p.name, err)
	}
	var total time.Duration
	for _, s := range detect.Find(samples, rate, freq, 200*time.Millisecond) {
		total += s.End - s.Start
	}
	return total, nil
}

type demoReport struct {
	a, b       *demoPhone
	steps      []string
	heardByB   time.Duration // A's tone in B's earpiece
	heardByA   time.Duration
	statsA     mediapath.Stats
	statsB     mediapath.Stats
	setup      time.Duration
	firstAudio time.Duration
}

func (r *demoReport) step(format string, args ...any) {
	r.steps = append(r.steps, fmt.Sprintf(format, args...))
}

func (r *demoReport) print(w io.Writer) {
	fmt.Fprintln(w, "handset demo: two simulated phones on loopback, no PBX")
	for _, s := range r.steps {
		fmt.Fprintln(w, "  "+s)
	}
	if r.a == nil || r.b == nil || r.statsA.Codec == "" {
		return
	}
	fmt.Fprintf(w, "  setup (dial sent to answer):   %v\n", r.setup.Round(time.Millisecond))
	fmt.Fprintf(w, "  codec %s; A sent %d / got %d packets, B sent %d / got %d\n",
		r.statsA.Codec, r.statsA.PacketsSent, r.statsA.PacketsReceived, r.statsB.PacketsSent, r.statsB.PacketsReceived)
	fmt.Fprintf(w, "  A→B: B's earpiece heard A's %.0f Hz for %v\n", demoToneA, r.heardByB.Round(10*time.Millisecond))
	fmt.Fprintf(w, "  B→A: A's earpiece heard B's %.0f Hz for %v\n", demoToneB, r.heardByA.Round(10*time.Millisecond))
}

func runDemo(ctx context.Context, log *slog.Logger) (*demoReport, error) {
	r := &demoReport{}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	b, err := startDemoPhone(ctx, "B", "1002", "", demoToneB, log)
	if err != nil {
		return r, err
	}
	a, err := startDemoPhone(ctx, "A", "1001", b.sip.String(), demoToneA, log)
	if err != nil {
		return r, err
	}
	r.a, r.b = a, b
	r.step("A is 1001 at %v, B is 1002 at %v", a.sip, b.sip)

	if err := a.parts.Lift(); err != nil {
		return r, err
	}
	if err := a.waitState(ctx, callcontrol.DialTone); err != nil {
		return r, err
	}
	r.step("A lifted the handset: dial tone")
	for _, k := range "1002#" {
		if err := a.parts.Press(hal.Key(k), false); err != nil {
			return r, err
		}
	}
	if err := a.waitState(ctx, callcontrol.Calling); err != nil {
		return r, err
	}
	r.step("A dialled 1002#: calling sip:1002@%v", b.sip)
	if err := b.waitState(ctx, callcontrol.Ringing); err != nil {
		return r, err
	}
	r.step("B is ringing (bell on: %v)", b.parts.bell.On())
	if err := b.parts.Lift(); err != nil {
		return r, err
	}
	if err := b.waitState(ctx, callcontrol.Connected); err != nil {
		return r, err
	}
	if err := a.waitState(ctx, callcontrol.Connected); err != nil {
		return r, err
	}
	r.setup = a.setup
	r.step("B answered: both connected; talking for %v", demoTalk)
	select {
	case <-time.After(demoTalk):
	case <-ctx.Done():
		return r, ctx.Err()
	}
	if err := a.parts.Hang(); err != nil {
		return r, err
	}
	if err := a.waitState(ctx, callcontrol.Idle); err != nil {
		return r, err
	}
	if err := b.waitState(ctx, callcontrol.Disconnected); err != nil {
		return r, err
	}
	r.step("A hung up; B heard the far end go")
	if err := b.parts.Hang(); err != nil {
		return r, err
	}
	if err := b.waitState(ctx, callcontrol.Idle); err != nil {
		return r, err
	}
	r.step("B hung up: both idle")

	stop()
	for _, p := range []*demoPhone{a, b} {
		if err := <-p.done; err != nil {
			return r, fmt.Errorf("phone %s: %w", p.name, err)
		}
		p.drain()
		if err := p.parts.card.Close(); err != nil {
			return r, fmt.Errorf("phone %s speaker: %w", p.name, err)
		}
	}
	r.statsA, r.statsB = a.ended.Stats, b.ended.Stats
	if r.heardByB, err = b.heard(demoToneA); err != nil {
		return r, err
	}
	if r.heardByA, err = a.heard(demoToneB); err != nil {
		return r, err
	}
	var problems []string
	if r.statsA.PacketsSent == 0 || r.statsB.PacketsSent == 0 || r.statsA.PacketsReceived == 0 || r.statsB.PacketsReceived == 0 {
		problems = append(problems, "no RTP one way or the other")
	}
	need := demoTalk / 2
	if r.heardByB < need {
		problems = append(problems, fmt.Sprintf("B heard A's tone for only %v", r.heardByB))
	}
	if r.heardByA < need {
		problems = append(problems, fmt.Sprintf("A heard B's tone for only %v", r.heardByA))
	}
	if len(problems) > 0 {
		return r, errors.New(strings.Join(problems, "; "))
	}
	return r, nil
}

// memFile is an in-memory io.WriteSeeker for the demo's speaker recordings.
type memFile struct {
	buf []byte
	off int
}

func (m *memFile) Write(p []byte) (int, error) {
	if need := m.off + len(p); need > len(m.buf) {
		m.buf = append(m.buf, make([]byte, need-len(m.buf))...)
	}
	copy(m.buf[m.off:], p)
	m.off += len(p)
	return len(p), nil
}

func (m *memFile) Seek(offset int64, whence int) (int64, error) {
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = int64(m.off)
	case io.SeekEnd:
		base = int64(len(m.buf))
	default:
		return 0, errors.New("memfile: bad whence")
	}
	n := base + offset
	if n < 0 {
		return 0, errors.New("memfile: negative position")
	}
	m.off = int(n)
	return n, nil
}
