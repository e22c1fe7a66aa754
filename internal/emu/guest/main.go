package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"

	"handset/config"
	"handset/internal/emu"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// common are the flags of every subcommand.
type common struct {
	config string
	name   string
	out    string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "the phone's configuration file ([audio] and [board] are used)")
	fs.StringVar(&c.name, "name", "", "the check's name: out/NAME.json")
	fs.StringVar(&c.out, "out", "out", "where reports and recordings go")
}

func run(args []string, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: guest audio|gpio|phone [flags]")
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var (
		rep *emu.Report
		c   common
		err error
	)
	switch args[0] {
	case "audio":
		rep, c, err = audioCommand(args[1:], log)
	case "gpio":
		rep, c, err = gpioCommand(args[1:], log)
	case "phone":
		rep, c, err = phoneCommand(args[1:], log)
	default:
		fmt.Fprintf(stderr, "guest: unknown command %q\n", args[0])
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "guest:", err)
		if rep == nil {
			return 2
		}
		rep.Add("run", false, 0, "%v", err)
	}
	if werr := rep.WriteFile(filepath.Join(c.out, c.name+".json")); werr != nil {
		fmt.Fprintln(stderr, "guest:", werr)
		return 2
	}
	failed := rep.Failed()
	for _, ch := range rep.Checks {
		verdict := "ok  "
		if !ch.OK {
			verdict = "FAIL"
		}
		fmt.Fprintf(stderr, "%s %s %s: %s (%v)\n", verdict, rep.Name, ch.Name, ch.Detail, ch.Took)
	}
	if len(failed) > 0 {
		return 1
	}
	return 0
}

// parse parses a subcommand's flags and loads the configuration.
func parse(fs *flag.FlagSet, c *common, args []string) (config.Config, error) {
	if err := fs.Parse(args); err != nil {
		return config.Config{}, err
	}
	if c.name == "" || c.config == "" {
		return config.Config{}, fmt.Errorf("%s: --name and --config are required", fs.Name())
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return config.Config{}, err
	}
	cfg, err := config.Load(c.config)
	if err != nil {
		return config.Config{}, fmt.Errorf("%s: %w", fs.Name(), err)
	}
	return cfg, nil
}

// newReport starts a report for this binary's architecture.
func newReport(name string) *emu.Report {
	return &emu.Report{Name: name, Arch: arch()}
}

// arch names the binary's architecture, with the ARM version for 32-bit
// ARM ("arm/v6").
func arch() string {
	a := runtime.GOARCH
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GOARM" {
				a += "/v" + s.Value
			}
		}
	}
	return a
}
