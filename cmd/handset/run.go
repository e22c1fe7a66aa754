package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"handset/callcontrol"
	"handset/config"
	"handset/console"
	"handset/hal"
	"handset/hal/sim"
	"handset/provision"
)

// runFlags are the flags of "handset run".
type runFlags struct {
	config   string
	sim      bool
	mic      string
	speaker  string
	terminal string
	logLevel string
	cpuProf  string
	trace    string
}

func parseRunFlags(args []string, stderr io.Writer) (runFlags, error) {
	var f runFlags
	fs := flag.NewFlagSet("handset run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.config, "config", "/boot/handset.toml", "the provisioning file")
	fs.BoolVar(&f.sim, "sim", false, "run as a simulated phone: commands on stdin, events as JSON on stdout")
	fs.StringVar(&f.mic, "mic", "tone:1000", "simulated microphone: tone:HZ, silence, or a 16-bit WAV file")
	fs.StringVar(&f.speaker, "speaker", "", "simulated earpiece: record to this WAV file")
	fs.StringVar(&f.terminal, "terminal", "auto", "simulator keys: on (one key at a time), off (line commands), auto (on for a terminal)")
	fs.StringVar(&f.logLevel, "log-level", "", "override [log] level: debug, info, warn, error")
	cpuProfileFlag(fs, &f.cpuProf)
	fs.StringVar(&f.trace, "audio-trace", "", "simulator: write when each sound card period is heard and played to this file (for scripts/bench)")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() != 0 {
		return f, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return f, nil
}

// loadConfig reads the provisioning file. A missing file in the simulator
// means defaults; a broken file never stops the phone: it runs not ready,
// with every problem logged.
func loadConfig(path string, simulated bool, log *slog.Logger) (config.Config, string) {
	load := config.Load
	if !simulated {
		// On the phone the SD card's file lies over the provisioning
		// server's cached files, key by key.
		load = func(path string) (config.Config, error) {
			return provisionedFiles(path, provision.DefaultCacheDir, log).Load()
		}
	}
	cfg, err := load(path)
	var probs config.Problems
	switch {
	case err == nil:
		return cfg, ""
	case errors.Is(err, config.ErrNoConfig) && simulated:
		log.Info("no config file; using defaults (direct calls only)", "path", path)
		d := config.Default()
		d.Security.AllowDirectCalls = true
		return d, ""
	case errors.As(err, &probs):
		for _, p := range probs {
			log.Error("config", "problem", p.String())
		}
		return config.Default(), fmt.Sprintf("%s has %d problem(s); first: %s", path, len(probs), probs[0])
	}
	log.Error("config", "error", err)
	return config.Default(), err.Error()
}

func runCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, err := parseRunFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintln(stderr, "handset:", err)
		return exitUsage
	}
	level := new(slog.LevelVar)
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg, notReady := loadConfig(f.config, f.sim, log)
	if !f.sim && notReady != "" {
		cfg = fallbackBoard(cfg, log)
	}
	level.Set(cfg.Log.Level)
	if f.logLevel != "" {
		if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
			fmt.Fprintln(stderr, "handset: --log-level:", err)
			return exitUsage
		}
	}
	log.Info("handset starting", "version", version, "config", cfg)
	if f.cpuProf != "" {
		stop, err := startCPUProfile(f.cpuProf)
		if err != nil {
			fmt.Fprintln(stderr, "handset: --cpuprofile:", err)
			return exitUsage
		}
		defer stop()
	}
	run := func() error { return runSimulator(ctx, f, cfg, notReady, stdin, stdout, log) }
	if !f.sim && cfg.Board.Model != config.ModelSim {
		run = func() error { return runHardware(ctx, f.config, cfg, notReady, log) }
	}
	if err := run(); err != nil {
		if errors.Is(err, errQuit) {
			return exitOK
		}
		if errors.Is(err, errConfigChanged) {
			log.Info("restarting with the new configuration")
			return exitConfigChanged
		}
		log.Error("handset stopped", "error", err)
		return exitFailure
	}
	return exitOK
}

// runSimulator runs the phone with simulated parts: the hook and keypad are
// driven from stdin, events go to stdout as JSON lines.
func runSimulator(ctx context.Context, f runFlags, cfg config.Config, notReady string, stdin io.Reader, stdout io.Writer, log *slog.Logger) error {
	clk := hal.SystemClock{}
	out := console.NewPrinter(stdout, clk)
	mic, rate, err := micSource(f.mic, log)
	if err != nil {
		return err
	}
	if c, ok := mic.(io.Closer); ok {
		defer c.Close() // after the card's Close below: the pump no longer reads it
	}
	var speaker io.WriteSeeker // nil: the earpiece is not recorded
	if f.speaker != "" {
		file, err := os.Create(f.speaker)
		if err != nil {
			return fmt.Errorf("speaker: %w", err)
		}
		defer file.Close()
		speaker = file
	}
	card := sim.SoundConfig{Rates: []int{rate}, Channels: []int{1}, Mic: mic, Speaker: speaker, Realtime: true,
		BufferPeriods: cfg.Audio.BufferPeriods}
	if f.trace != "" {
		trace, err := newAudioTrace(f.trace)
		if err != nil {
			return err
		}
		defer func() {
			if err := trace.Close(); err != nil {
				log.Error("audio trace", "err", err)
			}
		}()
		card.OnCapture, card.OnPlay = trace.captured, trace.played
	}
	p := newSimPartsWith(clk, card, out)
	defer p.card.Close() // finishes the speaker WAV

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	inputDone := make(chan struct{})
	raw := useTerminal(f.terminal, stdin)
	go func() {
		defer close(inputDone)
		var err error
		if raw != nil {
			out.SetRaw(true)
			out.Print("help", map[string]string{"text": console.KeyHelp})
			err = console.ReadKeys(ctx, stdin, p, p.hook.OffHook, out)
		} else {
			err = console.ReadLines(ctx, stdin, p, out)
		}
		if errors.Is(err, console.ErrQuit) || err == nil {
			cancel(errQuit) // stdin closed or quit: stop the phone
			return
		}
		cancel(fmt.Errorf("stdin: %w", err))
	}()
	if raw != nil {
		defer raw()
	}
	err = runPhone(ctx, phoneOptions{
		Config:   cfg,
		NotReady: notReady,
		Parts:    p.parts(),
		Clock:    clk,
		Log:      log,
		Notify:   func(ev callcontrol.Event) { out.Print(ev.Kind(), ev) },
		Ready: func(sip netip.AddrPort) {
			out.Print("ready", map[string]string{"sip": sip.String(), "user": cfg.Account.User})
		},
	})
	if err != nil {
		return err
	}
	if c := context.Cause(ctx); c != nil && !errors.Is(c, errQuit) && !errors.Is(c, context.Canceled) {
		return c
	}
	out.Print("stopped", nil)
	return nil
}

// useTerminal puts stdin in raw mode for terminal mode and returns the
// function that restores it, or nil for line mode.
func useTerminal(mode string, stdin io.Reader) func() {
	fd, ok := stdin.(interface{ Fd() uintptr })
	if mode == "off" || !ok {
		return nil
	}
	if mode == "auto" && !term.IsTerminal(int(fd.Fd())) {
		return nil
	}
	old, err := term.MakeRaw(int(fd.Fd()))
	if err != nil {
		return nil
	}
	return func() { term.Restore(int(fd.Fd()), old) }
}

// micSource parses --mic and returns the source with the rate the simulated
// card runs at (a WAV file's own rate, else 8 kHz). A WAV file is read as
// it plays; the source is then an io.Closer, to close after the card.
func micSource(spec string, log *slog.Logger) (sim.Source, int, error) {
	const rate = 8000
	switch {
	case spec == "silence":
		return sim.Silence{}, rate, nil
	case strings.HasPrefix(spec, "tone:"):
		hz, err := strconv.ParseFloat(strings.TrimPrefix(spec, "tone:"), 64)
		if err != nil || hz <= 0 || hz >= rate/2 {
			return nil, 0, fmt.Errorf("--mic %q: want tone:HZ with 0 < HZ < %d", spec, rate/2)
		}
		return sim.NewToneSource(rate, hz, 0.3), rate, nil
	}
	src, err := sim.OpenWAVFile(spec, log)
	if err != nil {
		return nil, 0, fmt.Errorf("--mic: %w", err)
	}
	return src, src.Rate(), nil
}
