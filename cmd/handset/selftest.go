package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"time"

	"handset/config"
	"handset/hal"
)

// selftestParts is what the bring-up test exercises.
type selftestParts struct {
	Board  string // what was found, for the first line
	Card   hal.SoundCard
	Hook   hal.HookSwitch
	Keys   hal.Keypad
	Bell   hal.Bell
	Lamps  hal.Lamps
	Layout string // the keys the keypad should have, e.g. "123456789*0#"
}

// selftest runs the maker's bring-up checks and prints a PASS/FAIL line for
// each; it reports whether all passed. inputFor bounds the keys-and-hook
// step.
func selftest(ctx context.Context, p selftestParts, out io.Writer, clk hal.Clock, inputFor time.Duration) bool {
	ok := true
	line := func(pass bool, what, detail string) {
		word := "PASS"
		if !pass {
			word, ok = "FAIL", false
		}
		fmt.Fprintf(out, "%s  %-10s %s\n", word, what, detail)
	}
	fmt.Fprintf(out, "handset selftest: %s, sound card %s\n", p.Board, p.Card.Name())

	pcm, err := p.Card.Open(hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160})
	if err != nil {
		line(false, "sound", err.Error())
	} else {
		f := pcm.Format()
		line(true, "sound", fmt.Sprintf("opened at %d Hz, %d channel(s), %d-frame periods", f.Rate, f.Channels, f.PeriodFrames))
		audioChecks(pcm, out, line)
		pcm.Close()
	}

	for _, led := range []hal.LED{hal.LEDRegistered, hal.LEDInCall, hal.LEDMessage, hal.LEDError} {
		err := p.Lamps.SetLED(led, hal.LEDOn)
		sleep(ctx, clk, 500*time.Millisecond)
		p.Lamps.SetLED(led, hal.LEDOff)
		line(err == nil, "led", fmt.Sprintf("%s lit for 0.5 s (look at it)%s", led, errText(err)))
	}
	err = p.Bell.SetBell(true)
	sleep(ctx, clk, time.Second)
	p.Bell.SetBell(false)
	line(err == nil, "bell", "rang once for 1 s (listen)"+errText(err))

	inputChecks(ctx, p, out, clk, inputFor, line)
	if ok {
		fmt.Fprintln(out, "all checks passed")
	} else {
		fmt.Fprintln(out, "some checks failed: see the FAIL lines")
	}
	return ok
}

// audioChecks plays a tone into the earpiece, records the mouthpiece for 2 s
// and plays the recording back.
func audioChecks(pcm hal.PCM, out io.Writer, line func(bool, string, string)) {
	f := pcm.Format()
	periods := 2 * f.Rate / f.PeriodFrames // 2 s
	buf := make([]int16, f.PeriodSamples())
	var phase float64
	var err error
	for i := 0; i < periods && err == nil; i++ {
		for j := 0; j < f.PeriodFrames; j++ {
			s := int16(8000 * math.Sin(phase))
			phase += 2 * math.Pi * 1000 / float64(f.Rate)
			for c := 0; c < f.Channels; c++ {
				buf[j*f.Channels+c] = s
			}
		}
		err = pcm.Write(buf)
	}
	line(err == nil, "earpiece", "played 2 s of 1 kHz (listen)"+errText(err))

	rec := make([]int16, 0, periods*f.PeriodSamples())
	clear(buf)
	for i := 0; i < periods && err == nil; i++ {
		if err = pcm.Read(buf); err == nil {
			rec = append(rec, buf...)
			err = pcm.Write(buf[:f.PeriodSamples()]) // keep the playback clock running
		}
	}
	if err != nil {
		line(false, "mouthpiece", err.Error())
		return
	}
	level := dBFS(rec)
	line(level > -60, "mouthpiece", fmt.Sprintf("recorded 2 s at %.0f dBFS (silence is below -60)", level))
	for i := 0; i+f.PeriodSamples() <= len(rec) && err == nil; i += f.PeriodSamples() {
		err = pcm.Write(rec[i : i+f.PeriodSamples()])
	}
	line(err == nil, "playback", "played the recording back (listen)"+errText(err))
}

// inputChecks reports every key and hook change for up to d and passes when
// each key of the layout and both hook directions were seen.
func inputChecks(ctx context.Context, p selftestParts, out io.Writer, clk hal.Clock, d time.Duration, line func(bool, string, string)) {
	fmt.Fprintf(out, "....  input      press every key once, lift and hang up the handset (%v)\n", d)
	want := map[rune]bool{}
	for _, k := range p.Layout {
		want[k] = true
	}
	lifted, hung := false, false
	timer := clk.NewTimer(d)
	defer timer.Stop()
	for len(want) > 0 || !lifted || !hung {
		select {
		case ev, open := <-p.Keys.Keys():
			if !open {
				line(false, "keypad", "closed")
				return
			}
			delete(want, rune(ev.Key))
			fmt.Fprintf(out, "      key %c%s\n", ev.Key, map[bool]string{true: " (long)"}[ev.Long])
		case ev, open := <-p.Hook.Events():
			if !open {
				line(false, "hook", "closed")
				return
			}
			switch {
			case ev.Flash:
				fmt.Fprintln(out, "      hook flash")
			case ev.OffHook:
				lifted = true
				fmt.Fprintln(out, "      handset lifted")
			default:
				hung = true
				fmt.Fprintln(out, "      handset down")
			}
		case <-timer.C():
			missing := make([]string, 0, len(want))
			for _, k := range p.Layout {
				if want[k] {
					missing = append(missing, string(k))
				}
			}
			line(len(missing) == 0, "keypad", "keys never seen: "+strings.Join(missing, " "))
			line(lifted && hung, "hook", fmt.Sprintf("lifted: %v, hung up: %v", lifted, hung))
			return
		case <-ctx.Done():
			line(false, "input", "interrupted")
			return
		}
	}
	line(true, "keypad", "every key seen")
	line(true, "hook", "lifted and hung up")
}

func dBFS(s []int16) float64 {
	if len(s) == 0 {
		return math.Inf(-1)
	}
	var sum float64
	for _, v := range s {
		sum += float64(v) * float64(v)
	}
	return 10 * math.Log10(sum/float64(len(s))/(32768*32768))
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}

func sleep(ctx context.Context, clk hal.Clock, d time.Duration) {
	t := clk.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
	case <-ctx.Done():
	}
}

// selftestCommand is "handset selftest": bring-up checks on the device.
func selftestCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("handset selftest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", config.DefaultPath, "the provisioning file")
	inputFor := fs.Duration("input-time", 60*time.Second, "how long to wait for key presses and hook changes")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintf(stdout, "FAIL  config     %v\n", err)
		return exitFailure
	}
	clk := hal.SystemClock{}
	hw, card, err := openHardware(cfg, log, clk)
	if err != nil {
		fmt.Fprintf(stdout, "FAIL  board      %v\n", err)
		return exitFailure
	}
	defer hw.Close()
	p := selftestParts{
		Board: fmt.Sprintf("board %s (hook %s)", hw.Wiring.Model, hw.Wiring.Hook),
		Card:  card, Hook: hw.Hook, Keys: hw.Keypad, Bell: hw.Bell, Lamps: hw.Lamps,
		Layout: hw.Wiring.KeypadLayout,
	}
	if !selftest(ctx, p, stdout, clk, *inputFor) {
		return exitFailure
	}
	return exitOK
}
