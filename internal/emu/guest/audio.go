package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"handset/board/alsa"
	"handset/config"
	"handset/hal"
	"handset/internal/emu"
	"handset/mediapath/detect"
	"handset/wav"
)

// audioFlags are the flags of "guest audio".
type audioFlags struct {
	common
	tone    float64
	seconds float64
	gap     time.Duration
	expect  float64
	rate    int
	ch      int
	busy    bool
	lead    time.Duration
}

// audioCommand opens the [audio] card through board/alsa asking for 8 kHz
// mono (or --rate/--channels), plays a --tone for --seconds while it
// captures, keeping a --lead queued in the card as the audio pump does,
// optionally stops all I/O for --gap half way to provoke an xrun and
// recovers, and records the capture to out/NAME-capture.wav. It checks
// what it can see from inside: the open, the unmuted mixer, the card's
// Delay, the xruns and their recovery, and (with --expect) the tone in the
// capture. Whether the played tone really left the card is judged by the
// host.
func audioCommand(args []string, log *slog.Logger) (*emu.Report, common, error) {
	var f audioFlags
	fs := flag.NewFlagSet("audio", flag.ContinueOnError)
	f.register(fs)
	fs.Float64Var(&f.tone, "tone", 1000, "the tone to play, Hz")
	fs.Float64Var(&f.seconds, "seconds", 2, "how long to play")
	fs.DurationVar(&f.gap, "gap", 0, "stop reading and writing this long half way (provokes an xrun)")
	fs.Float64Var(&f.expect, "expect", 0, "the tone the capture must hold, Hz (0: not checked)")
	fs.IntVar(&f.rate, "rate", 8000, "the rate to ask for")
	fs.IntVar(&f.ch, "channels", 1, "the channels to ask for")
	fs.BoolVar(&f.busy, "busy", false, "check that a second Open of the held card fails with ErrBusy")
	fs.DurationVar(&f.lead, "lead", 5*time.Millisecond, "the playback lead: what the card should still hold at each write")
	cfg, err := parse(fs, &f.common, args)
	if err != nil {
		return nil, f.common, err
	}
	rep := newReport(f.name)
	res := &emu.AudioResult{ToneHz: f.tone, Lead: f.lead}
	rep.Audio = res
	return rep, f.common, playAndCapture(rep, res, f, cfg.Audio, log)
}

// playAndCapture is the audio check: it lists the cards, mutes the card,
// opens it (which must unmute it), plays and captures, and judges what it
// can see from inside the guest.
func playAndCapture(rep *emu.Report, res *emu.AudioResult, f audioFlags, cfg config.Audio, log *slog.Logger) error {
	cards, err := alsa.Cards()
	if err != nil {
		return fmt.Errorf("list cards: %w", err)
	}
	res.Cards = alsa.Describe(cards)
	number, err := playbackCard(cfg)
	if err != nil {
		return err
	}
	_, res.ControlsBefore = controls(number, log)

	// Start muted, as a freshly booted card does: Open must unmute it.
	if err := mute(number, log); err != nil {
		return err
	}
	card, err := alsa.NewCard(cfg, log, hal.SystemClock{})
	if err != nil {
		return err
	}
	res.Asked = hal.PCMFormat{Rate: f.rate, Channels: f.ch, PeriodFrames: f.rate / 50, BufferFrames: 3 * f.rate / 50}
	pcm := openUnmuted(rep, res, card, cfg, number, log)
	if pcm == nil {
		return nil
	}
	res.Card = card.Name()
	res.Granted = pcm.Format()
	g := res.Granted
	rep.Add("format", g.Rate > 0 && g.Channels > 0 && g.PeriodFrames > 0 && g.BufferFrames >= 2*g.PeriodFrames,
		0, "granted %+v", g)

	first, derr := pcm.Delay()
	res.FirstDelay = first
	rep.Add("delay before the first write", derr == nil && first == 0, 0, "%d frames: %v", first, derr)

	start := time.Now()
	captured, ioErr := playTone(pcm, res, f, log)
	res.Elapsed = time.Since(start)
	var busy <-chan error
	if f.busy {
		busy = checkBusy(rep, cfg, res.Asked, log)
	}
	cerr := pcm.Close()
	if busy != nil {
		// The blocked Open goes on once the card is free.
		select {
		case <-busy:
		case <-time.After(10 * time.Second):
			rep.Add("blocked open returns", false, 0, "still blocked 10 s after the card was closed")
		}
	}
	res.CardXruns = card.Xruns()
	rep.Add("play", ioErr == nil && res.Periods > 0, res.Elapsed, "%d periods of %d Hz: %v", res.Periods, int(f.tone), ioErr)
	rep.Add("close", cerr == nil, 0, "%v", cerr)
	// Every xrun a read or write reported must be recovered. The card
	// counts those and also the times its playback ran dry and played on
	// (board/alsa then catches Delay up with silence; no error reaches the
	// writer), so it may count more.
	rep.Add("xruns recovered", res.Recovered == res.Xruns && uint64(res.Xruns) <= res.CardXruns, 0,
		"%d xruns seen, %d recovered, the card counted %d", res.Xruns, res.Recovered, res.CardXruns)
	if f.gap > 0 {
		rep.Add("xrun provoked", res.Xruns >= 1 || res.CardXruns >= 1, 0, "%v without I/O", f.gap)
	} else {
		// The guest's vCPU stalls now and then under TCG on a busy host,
		// for longer than the lead: a few underruns are the host's (the
		// count is reported). A lead not kept would underrun every few
		// periods: more than one period in 20 fails.
		rep.Add("few xruns", res.CardXruns <= uint64(res.Periods/20), 0, "the card counted %d xruns in %d periods with a lead of %v",
			res.CardXruns, res.Periods, f.lead)
	}
	ring := time.Duration(int64(g.BufferFrames) * int64(time.Second) / int64(g.Rate))
	rep.Add("delays", res.QueuedAfter.N > 0 && res.QueuedAfter.Max <= ring && res.QueuedBefore.Max <= ring, 0,
		"queued before each write %v, after it %v; the ring holds %v", res.QueuedBefore, res.QueuedAfter, ring)

	res.CaptureWAV = f.name + "-capture.wav"
	if err := writeWAV(filepath.Join(f.out, res.CaptureWAV), captured, g.Rate, g.Channels); err != nil {
		return err
	}
	if f.expect > 0 {
		mono := firstChannel(captured, g.Channels)
		segs := detect.Find(mono, g.Rate, f.expect, 200*time.Millisecond)
		var total time.Duration
		for _, s := range segs {
			total += s.End - s.Start
		}
		want := time.Duration(0.6 * f.seconds * float64(time.Second))
		rep.Add("capture", total >= want, total, "%v Hz in the capture for %v of %.1f s (want ≥ %v): %v",
			f.expect, total, f.seconds, want, segs)
	}
	return nil
}

// openUnmuted opens card and checks that Open unmuted it. If not, it goes
// on with the card unmuted the phone's other way (the volume keys' path)
// and opened again, so that the audio path is still checked. It returns
// nil when the card cannot be opened.
func openUnmuted(rep *emu.Report, res *emu.AudioResult, card *alsa.Card, cfg config.Audio, number int, log *slog.Logger) hal.PCM {
	pcm, err := card.Open(res.Asked)
	if !rep.Add("open", err == nil, 0, "asked %+v: %v", res.Asked, err) {
		return nil
	}
	after, lines := controls(number, log)
	res.ControlsAfter = lines
	if checkUnmuted(rep, "unmuted by Open", after) {
		return pcm
	}
	pcm.Close()
	err = errors.Join(card.SetPlaybackVolume(cfg.PlaybackVolume), card.SetCaptureVolume(cfg.CaptureVolume))
	after, lines = controls(number, log)
	res.ControlsAfter = lines
	if !checkUnmuted(rep, "unmuted by SetPlaybackVolume", after) {
		rep.Add("set volume", false, 0, "%v", err)
	}
	pcm, err = card.Open(res.Asked)
	if !rep.Add("open again", err == nil, 0, "%v", err) {
		return nil
	}
	return pcm
}

// playTone plays f.tone for f.seconds on pcm as the audio pump does: a
// period read, the card's Delay, then what brings the card's queue to
// f.lead plus a period: lead and period at a start, about a period later
// on (at least half of one). It records the Delay right after each write
// and before each but the first after a start (the lead left), and
// recovers from xruns. With f.gap it stops all I/O that long half way. It
// returns what it captured.
func playTone(pcm hal.PCM, res *emu.AudioResult, f audioFlags, log *slog.Logger) ([]int16, error) {
	g := pcm.Format()
	lead := int(f.lead.Seconds() * float64(g.Rate))
	most := g.PeriodFrames + lead
	if lead < 0 || most > g.BufferFrames {
		return nil, fmt.Errorf("a lead of %v and a period do not fit the card's ring of %d frames", f.lead, g.BufferFrames)
	}
	in := make([]int16, g.PeriodSamples())
	out := make([]int16, most*g.Channels)
	periods := int(f.seconds * float64(g.Rate) / float64(g.PeriodFrames))
	captured := make([]int16, 0, periods*len(in))
	before, after := make([]int, 0, periods), make([]int, 0, periods)
	defer func() {
		res.QueuedBefore, res.QueuedAfter = emu.NewSpread(before, g.Rate), emu.NewSpread(after, g.Rate)
		log.Info("card delays", "lead", f.lead, "before each write", res.QueuedBefore.String(), "after it", res.QueuedAfter.String())
	}()
	phase, step := 0.0, 2*math.Pi*f.tone/float64(g.Rate)
	started := false // written to since the last start: Delay is the lead left
	for n := 0; n < periods; n++ {
		if f.gap > 0 && n == periods/2 {
			log.Info("stopping I/O to provoke an xrun", "gap", f.gap)
			time.Sleep(f.gap)
		}
		var queued, frames int
		err := pcm.Read(in)
		if err == nil {
			captured = append(captured, in...)
			queued, err = pcm.Delay()
		}
		if err == nil {
			frames = max(most-queued, g.PeriodFrames/2)
			for i := range frames {
				v := int16(0.5 * 32767 * math.Sin(phase))
				phase = math.Mod(phase+step, 2*math.Pi)
				for c := range g.Channels {
					out[i*g.Channels+c] = v
				}
			}
			err = pcm.Write(out[:frames*g.Channels])
		}
		var queuedAfter int
		if err == nil {
			queuedAfter, err = pcm.Delay()
		}
		if err == nil {
			if started {
				before = append(before, queued)
			}
			after, started = append(after, queuedAfter), true
			res.Periods++
			continue
		}
		started = false
		if !errors.Is(err, hal.ErrXrun) {
			return captured, err
		}
		res.Xruns++
		log.Info("xrun", "period", n, "queued before the write", queued, "frames", frames, "err", err)
		if rerr := pcm.Recover(); rerr != nil {
			return captured, fmt.Errorf("recover: %w", rerr)
		}
		res.Recovered++
	}
	return captured, nil
}

// checkBusy opens the card a second time while the stream holds it: that
// must fail at once with ErrBusy. If the Open blocks instead, the returned
// channel delivers its result once the card is free; otherwise it is nil.
func checkBusy(rep *emu.Report, cfg config.Audio, want hal.PCMFormat, log *slog.Logger) <-chan error {
	other, err := alsa.NewCard(cfg, log, hal.SystemClock{})
	if err != nil {
		rep.Add("busy card refused", false, 0, "%v", err)
		return nil
	}
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		pcm, err := other.Open(want)
		if err == nil {
			pcm.Close()
			err = errors.New("the second Open succeeded")
		}
		done <- err
	}()
	const patience = 3 * time.Second
	select {
	case err := <-done:
		rep.Add("busy card refused", errors.Is(err, alsa.ErrBusy), time.Since(start), "second Open while the card is held: %v", err)
		return nil
	case <-time.After(patience):
		rep.Add("busy card refused", false, patience,
			"a second Open still blocks after %v while the card is held (a blocking open(2) of a busy PCM waits)", patience)
		return done
	}
}

// playbackCard finds the number of the card playback goes to, for reading
// its mixer. It reads /proc/asound rather than probing the cards, which
// would open their PCM devices.
func playbackCard(cfg config.Audio) (int, error) {
	want := cfg.Card
	if !cfg.PlaybackDevice.IsZero() {
		want = cfg.PlaybackDevice.Card
	}
	if n, err := strconv.Atoi(want); err == nil {
		return n, nil
	}
	if want == "" {
		return 0, nil
	}
	dir, err := os.Readlink(filepath.Join("/proc/asound", want)) // "card0"
	if err != nil {
		return 0, fmt.Errorf("no sound card %q: %w", want, err)
	}
	n, err := strconv.Atoi(strings.TrimPrefix(dir, "card"))
	if err != nil {
		return 0, fmt.Errorf("sound card %q is %q in /proc/asound", want, dir)
	}
	return n, nil
}

// mute turns card's playback and capture down and off.
func mute(card int, log *slog.Logger) error {
	m, err := alsa.OpenMixer(card, log)
	if err != nil {
		return err
	}
	defer m.Close()
	_, perr := m.SetVolume(alsa.Playback, 0)
	_, cerr := m.SetVolume(alsa.Capture, 0)
	return errors.Join(perr, cerr)
}

// controls reads card's mixer controls; a failure comes back as the only
// line of the listing.
func controls(card int, log *slog.Logger) ([]alsa.Control, []string) {
	m, err := alsa.OpenMixer(card, log)
	if err != nil {
		return nil, []string{"error: " + err.Error()}
	}
	defer m.Close()
	cs, err := m.Controls()
	if err != nil {
		return nil, []string{"error: " + err.Error()}
	}
	var lines []string
	for _, c := range cs {
		lines = append(lines, c.String())
	}
	return cs, lines
}

// checkUnmuted checks that every writable playback and capture switch of
// the mixer is on and every such volume above its minimum. A card with no
// such controls (snd-aloop) passes.
func checkUnmuted(rep *emu.Report, name string, cs []alsa.Control) bool {
	const (
		ifaceMixer  = 2
		typeBoolean = 1
		typeInteger = 2
	)
	var bad []string
	n := 0
	for _, c := range cs {
		if c.Iface != ifaceMixer || !c.Writable || c.Inactive ||
			!(strings.Contains(c.Name, "Playback") || strings.Contains(c.Name, "Capture")) {
			continue
		}
		n++
		for _, v := range c.Values {
			if (c.Type == typeBoolean && v != 1) || (c.Type == typeInteger && v <= c.Min) {
				bad = append(bad, c.String())
				break
			}
		}
	}
	return rep.Add(name, len(bad) == 0, 0, "%d playback and capture controls; muted or at the minimum: %q", n, bad)
}

// firstChannel returns channel 0 of interleaved samples.
func firstChannel(s []int16, channels int) []int16 {
	if channels == 1 {
		return s
	}
	out := make([]int16, 0, len(s)/channels)
	for i := 0; i+channels <= len(s); i += channels {
		out = append(out, s[i])
	}
	return out
}

// writeWAV writes samples to a 16-bit WAV file.
func writeWAV(path string, samples []int16, rate, channels int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w, err := wav.NewWriter(f, rate, channels)
	if err == nil {
		err = w.Write(samples)
	}
	if err == nil {
		err = w.Close()
	}
	return errors.Join(err, f.Close())
}
