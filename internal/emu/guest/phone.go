package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"handset/board"
	"handset/board/alsa"
	"handset/config"
	"handset/internal/emu"
)

// phoneFlags are the flags of "guest phone".
type phoneFlags struct {
	common
	near      string // the hardware phone's binary; --config is its file
	far       string // the simulated phone's binary
	farConfig string
	farTone   float64
	dial      string // what the near phone dials to reach the far one
	farDial   string // what the far phone dials to reach the near one
	talk      time.Duration
}

// phoneCommand runs a whole phone on the guest's real hardware ("near":
// `handset run --config F`, board on gpio-sim, board/alsa on the HDA card)
// and a simulated phone beside it ("far": `handset run --sim` on
// 127.0.0.1). It lifts the near phone's handset and dials on its keypad
// through gpio-sim, has the far phone answer, lets them talk, hangs up;
// then the far phone calls and the near one must ring its bell and answer
// when lifted. The far phone's earpiece recording goes to out/ for the
// host, which also records the near phone's earpiece (the HDA card) and
// feeds its microphone.
func phoneCommand(args []string, log *slog.Logger) (*emu.Report, common, error) {
	var f phoneFlags
	fs := flag.NewFlagSet("phone", flag.ContinueOnError)
	f.register(fs)
	fs.StringVar(&f.near, "near", "", "the hardware phone's handset binary")
	fs.StringVar(&f.far, "far", "", "the simulated phone's handset binary")
	fs.StringVar(&f.farConfig, "far-config", "", "the simulated phone's configuration")
	fs.Float64Var(&f.farTone, "far-tone", 1000, "the simulated phone's microphone tone, Hz")
	fs.StringVar(&f.dial, "dial", "1002#", "the keys the near phone dials")
	fs.StringVar(&f.farDial, "far-dial", "1001#", "the keys the far phone dials")
	fs.DurationVar(&f.talk, "talk", 4*time.Second, "how long the first call lasts")
	cfg, err := parse(fs, &f.common, args)
	if err != nil {
		return nil, f.common, err
	}
	if f.near == "" || f.far == "" || f.farConfig == "" {
		return nil, f.common, fmt.Errorf("phone: --near, --far and --far-config are required")
	}
	rep := newReport(f.name)
	rep.Phone = &emu.PhoneResult{FarSpeakerWAV: f.name + "-far-speaker.wav"}
	w, err := board.Resolve(cfg.Board)
	if err != nil {
		return rep, f.common, err
	}
	sim, err := openSim(simLabel)
	if err != nil {
		return rep, f.common, err
	}
	t := &phoneTest{f: f, rep: rep, sim: sim, cfg: cfg, wiring: w, log: log}
	defer t.stop()
	return rep, f.common, t.run()
}

// phoneTest is one run of the two phones.
type phoneTest struct {
	f      phoneFlags
	rep    *emu.Report
	sim    *simChip
	cfg    config.Config
	wiring config.Board // cfg.Board resolved
	log    *slog.Logger

	near, far *process
	farIn     io.WriteCloser
}

// process is a running phone and the states it reported, in order (and,
// for the far phone, "dtmf:K" for each DTMF key it received).
type process struct {
	name   string
	cmd    *exec.Cmd
	states chan string // each state the phone entered
	ready  chan struct{}
	exited chan error

	mu     sync.Mutex
	events []string
}

func (p *process) note(s string) {
	p.mu.Lock()
	p.events = append(p.events, p.name+": "+s)
	p.mu.Unlock()
}

// The near phone logs its events (it has no console): slog's text lines
// with msg=phone event=state detail="{From:idle To:dial-tone …}".
var (
	nearState = regexp.MustCompile(`msg=phone event=state detail="?\{From:([a-z-]+) To:([a-z-]+)`)
	nearReady = regexp.MustCompile(`msg="phone ready"`)
	// The card opens (and is unmuted) just after the phone is ready.
	nearCard = regexp.MustCompile(`msg="sound card opened"`)
)

func (t *phoneTest) run() error {
	if err := t.startFar(); err != nil {
		return err
	}
	if err := t.hook(false); err != nil {
		return err
	}
	if err := t.startNear(); err != nil {
		return err
	}
	// gpio-sim applies the bias the board asks for; put the handset back
	// on the cradle, as the contact would hold it.
	if err := t.hook(false); err != nil {
		return err
	}
	if err := t.checkMixer(); err != nil {
		return err
	}
	if err := t.callOut(); err != nil {
		return err
	}
	return t.callIn()
}

// checkMixer checks that the near phone, which opened its card at start,
// unmuted it. If not, it unmutes the card itself, so that the audio path
// is still checked: the failed check tells.
func (t *phoneTest) checkMixer() error {
	number, err := playbackCard(t.cfg.Audio)
	if err != nil {
		return err
	}
	cs, _ := controls(number, t.log)
	if checkUnmuted(t.rep, "near phone unmuted its card", cs) {
		return nil
	}
	m, err := alsa.OpenMixer(number, t.log)
	if err != nil {
		return err
	}
	defer m.Close()
	_, perr := m.SetVolume(alsa.Playback, t.cfg.Audio.PlaybackVolume)
	_, cerr := m.SetVolume(alsa.Capture, t.cfg.Audio.CaptureVolume)
	t.rep.Add("card unmuted by the check", perr == nil && cerr == nil, 0, "playback: %v; capture: %v", perr, cerr)
	return nil
}

// callOut: the near phone lifts, dials on its keypad and talks to the far
// phone, then hangs up.
func (t *phoneTest) callOut() error {
	at := time.Now()
	if err := t.hook(true); err != nil {
		return err
	}
	if !t.expect(t.near, "dial-tone", 5*time.Second, at) {
		return nil
	}
	for _, k := range t.f.dial {
		if err := t.press(k); err != nil {
			return err
		}
	}
	if !t.expect(t.near, "calling", 10*time.Second, at) || !t.expect(t.far, "ringing", 10*time.Second, at) {
		return nil
	}
	if _, err := io.WriteString(t.farIn, "offhook\n"); err != nil {
		return err
	}
	if !t.expect(t.far, "connected", 10*time.Second, at) || !t.expect(t.near, "connected", 10*time.Second, at) {
		return nil
	}
	time.Sleep(500 * time.Millisecond)
	lit, err := t.sim.value("LED_CALL")
	if err != nil {
		return err
	}
	t.rep.Add("in-call LED", lit, 0, "LED_CALL lit while connected: %v", lit)
	if err := t.keysInCall(); err != nil {
		return err
	}
	time.Sleep(t.f.talk)

	at = time.Now()
	if err := t.hook(false); err != nil {
		return err
	}
	if !t.expect(t.near, "idle", 10*time.Second, at) || !t.expect(t.far, "disconnected", 10*time.Second, at) {
		return nil
	}
	if _, err := io.WriteString(t.farIn, "onhook\n"); err != nil {
		return err
	}
	t.expect(t.far, "idle", 10*time.Second, at)
	lit, err = t.sim.value("LED_CALL")
	if err != nil {
		return err
	}
	t.rep.Add("in-call LED off", !lit, 0, "LED_CALL lit after the call: %v", lit)
	return nil
}

// keysInCall presses the volume-down key, which must turn the card's
// playback volume down, then a digit, which must reach the far phone as
// DTMF: the keypad still works after a volume key.
func (t *phoneTest) keysInCall() error {
	number, err := playbackCard(t.cfg.Audio)
	if err != nil {
		return err
	}
	before, ok := playbackVolume(number, t.log)
	if !ok {
		t.rep.Add("volume key", false, 0, "no playback volume control on card %d", number)
		return nil
	}
	if err := t.sim.pull(t.wiring.VolumeDown.Name, false); err != nil {
		return err
	}
	time.Sleep(150 * time.Millisecond)
	at := time.Now()
	if err := t.sim.pull(t.wiring.VolumeDown.Name, true); err != nil {
		return err
	}
	after := before
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && after >= before; time.Sleep(50 * time.Millisecond) {
		after, _ = playbackVolume(number, t.log)
	}
	t.rep.Add("volume key", after < before, time.Since(at), "playback volume %d before volume-down, %d after", before, after)

	at = time.Now()
	if err := t.press('5'); err != nil {
		return err
	}
	t.expect(t.far, "dtmf:5", 5*time.Second, at)
	return nil
}

// playbackVolume reads the first playback volume of card's mixer.
func playbackVolume(card int, log *slog.Logger) (int64, bool) {
	cs, _ := controls(card, log)
	for _, c := range cs {
		if strings.Contains(c.Name, "Playback Volume") && len(c.Values) > 0 {
			return c.Values[0], true
		}
	}
	return 0, false
}

// callIn: the far phone calls, the near phone's bell rings, lifting the
// handset answers, the far phone hangs up.
func (t *phoneTest) callIn() error {
	at := time.Now()
	if _, err := io.WriteString(t.farIn, "offhook\ndial "+t.f.farDial+"\n"); err != nil {
		return err
	}
	if !t.expect(t.near, "ringing", 15*time.Second, at) {
		return nil
	}
	// The bell rings in a cadence (e.g. 2 s on, 4 s off): watch for it.
	rang := false
	for end := time.Now().Add(8 * time.Second); time.Now().Before(end) && !rang; time.Sleep(10 * time.Millisecond) {
		v, err := t.sim.value(ringerLine)
		if err != nil {
			return err
		}
		rang = v
	}
	t.rep.Add("bell rings", rang, 0, "RINGER went high while ringing: %v", rang)

	at = time.Now()
	if err := t.hook(true); err != nil {
		return err
	}
	if !t.expect(t.near, "connected", 10*time.Second, at) || !t.expect(t.far, "connected", 10*time.Second, at) {
		return nil
	}
	bell, err := t.sim.value(ringerLine)
	if err != nil {
		return err
	}
	t.rep.Add("bell stops", !bell, 0, "RINGER high after answering: %v", bell)
	time.Sleep(time.Second)

	at = time.Now()
	if _, err := io.WriteString(t.farIn, "onhook\n"); err != nil {
		return err
	}
	if !t.expect(t.near, "disconnected", 10*time.Second, at) {
		return nil
	}
	if err := t.hook(false); err != nil {
		return err
	}
	t.expect(t.near, "idle", 10*time.Second, at)
	return nil
}

// hook puts the near phone's handset up or down.
func (t *phoneTest) hook(up bool) error {
	return t.sim.pull(t.wiring.Hook.Name, hookLevel(t.wiring, up))
}

// hookLevel is the level the hook line reads with the handset up or down:
// a normally open contact is closed on the cradle, a normally closed one
// while lifted, and a closed contact pulls the line to hook_active.
func hookLevel(w config.Board, up bool) bool {
	closed := up == (w.HookContact == config.ContactNC)
	return closed == (w.HookActive == config.ActiveHigh)
}

// press presses key k on the near phone's keypad for 150 ms.
func (t *phoneTest) press(k rune) error {
	i := strings.IndexRune(t.wiring.KeypadLayout, k)
	if i < 0 {
		return fmt.Errorf("key %q is not on the keypad %q", k, t.wiring.KeypadLayout)
	}
	nc := len(t.wiring.KeypadCols)
	if err := t.sim.press(t.wiring.KeypadRows[i/nc].Name, t.wiring.KeypadCols[i%nc].Name); err != nil {
		return err
	}
	time.Sleep(150 * time.Millisecond)
	if err := t.sim.release(); err != nil {
		return err
	}
	time.Sleep(150 * time.Millisecond)
	return nil
}

// expect waits for p to enter state and records the verdict.
func (t *phoneTest) expect(p *process, state string, timeout time.Duration, since time.Time) bool {
	deadline := time.After(timeout)
	var seen []string
	for {
		select {
		case s := <-p.states:
			seen = append(seen, s)
			if s == state {
				return t.rep.Add(p.name+" "+state, true, time.Since(since), "after %v", seen)
			}
		case err := <-p.exited:
			p.exited <- err
			return t.rep.Add(p.name+" "+state, false, 0, "the phone exited (%v); states seen: %v", err, seen)
		case <-deadline:
			return t.rep.Add(p.name+" "+state, false, 0, "not within %v; states seen: %v", timeout, seen)
		}
	}
}

// startFar starts the simulated phone and waits until it is ready.
func (t *phoneTest) startFar() error {
	p := newProcess("far")
	p.cmd = exec.Command(t.f.far, "run", "--sim", "--config", t.f.farConfig, "--terminal", "off",
		"--mic", fmt.Sprintf("tone:%g", t.f.farTone),
		"--speaker", filepath.Join(t.f.out, t.rep.Phone.FarSpeakerWAV))
	logFile, err := os.Create(filepath.Join(t.f.out, t.f.name+"-far.log"))
	if err != nil {
		return err
	}
	p.cmd.Stderr = logFile
	if t.farIn, err = p.cmd.StdinPipe(); err != nil {
		return err
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := p.start(); err != nil {
		return err
	}
	t.far = p
	go func() {
		defer logFile.Close()
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var ev struct {
				Event string `json:"event"`
				To    string `json:"to"`
				Key   string `json:"key"`
			}
			if json.Unmarshal(sc.Bytes(), &ev) != nil {
				continue
			}
			switch ev.Event {
			case "ready":
				p.note("ready")
				close(p.ready)
			case "state":
				p.note("state " + ev.To)
				p.states <- ev.To
			case "dtmf-received":
				p.note("dtmf " + ev.Key)
				p.states <- "dtmf:" + ev.Key
			case "call-connected", "call-ended", "error":
				p.note(sc.Text())
			}
		}
		p.wait()
	}()
	return p.waitReady(20 * time.Second)
}

// startNear starts the hardware phone and waits until it is ready.
func (t *phoneTest) startNear() error {
	p := newProcess("near")
	p.cmd = exec.Command(t.f.near, "run", "--config", t.f.config, "--log-level", "debug")
	logFile, err := os.Create(filepath.Join(t.f.out, t.f.name+"-near.log"))
	if err != nil {
		return err
	}
	p.cmd.Stdout = logFile
	errOut, err := p.cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := p.start(); err != nil {
		return err
	}
	t.near = p
	go func() {
		defer logFile.Close()
		sc := bufio.NewScanner(errOut)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sipReady, cardOpen := false, false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logFile, line)
			wasReady := sipReady && cardOpen
			sipReady = sipReady || nearReady.MatchString(line)
			cardOpen = cardOpen || nearCard.MatchString(line)
			if !wasReady && sipReady && cardOpen {
				p.note("ready")
				close(p.ready)
			}
			if m := nearState.FindStringSubmatch(line); m != nil {
				p.note("state " + m[2])
				p.states <- m[2]
			}
		}
		p.wait()
	}()
	return p.waitReady(30 * time.Second)
}

func newProcess(name string) *process {
	// The states channel is large: a full one would stall the phone's log.
	return &process{name: name, states: make(chan string, 1024), ready: make(chan struct{}), exited: make(chan error, 1)}
}

func (p *process) start() error {
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("%s phone: %w", p.name, err)
	}
	return nil
}

// wait reaps the process once its output has ended.
func (p *process) wait() {
	err := p.cmd.Wait()
	p.note(fmt.Sprintf("exited: %v", err))
	p.exited <- err
}

func (p *process) waitReady(timeout time.Duration) error {
	select {
	case <-p.ready:
		return nil
	case err := <-p.exited:
		p.exited <- err
		return fmt.Errorf("%s phone exited before it was ready: %v", p.name, err)
	case <-time.After(timeout):
		return fmt.Errorf("%s phone not ready within %v", p.name, timeout)
	}
}

// stop ends both phones (the far one by "quit", which also finishes its
// speaker WAV; the near one by SIGTERM, as its supervisor would) and
// records their events.
func (t *phoneTest) stop() {
	if t.far != nil {
		io.WriteString(t.farIn, "quit\n")
		t.farIn.Close()
	}
	for _, p := range []*process{t.far, t.near} {
		if p == nil {
			continue
		}
		wait := 5 * time.Second // the far phone quits by itself
		if p == t.near {
			wait = 0
		}
		done, err := p.waitExit(wait)
		if !done {
			p.cmd.Process.Signal(syscall.SIGTERM)
			if done, err = p.waitExit(10 * time.Second); !done {
				p.cmd.Process.Kill()
				_, err = p.waitExit(time.Minute)
			}
		}
		t.rep.Add(p.name+" phone stops", err == nil, 0, "exit: %v", err)
		p.mu.Lock()
		t.rep.Phone.Events = append(t.rep.Phone.Events, p.events...)
		p.mu.Unlock()
	}
}

// waitExit waits up to d for the process to end and returns its exit
// error.
func (p *process) waitExit(d time.Duration) (done bool, err error) {
	select {
	case err := <-p.exited:
		p.exited <- err
		return true, err
	case <-time.After(d):
		return false, nil
	}
}
