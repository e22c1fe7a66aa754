// Command handset is the SIP desk-phone firmware. It is the composition root:
// the only place that picks concrete parts (real or simulated hardware) and
// wires them to call control, the SIP user agent and the audio engine.
//
//	handset [--config FILE] [--sim] ...   run the phone
//	handset demo                          two simulated phones call each other
//	handset check-config FILE             list every problem in a config file
//	handset selftest                      bring-up checks on the device
//	handset provision                     check the config and write Wi-Fi settings at boot
//	handset version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes: a supervisor restarts the phone on exitFailure, not on the others.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	tuneRuntime(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	sub := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "", "run":
		return runCommand(ctx, args, stdin, stdout, stderr)
	case "demo":
		return demoCommand(ctx, args, stdout, stderr)
	case "check-config":
		return checkConfigCommand(args, stdout, stderr)
	case "selftest":
		return selftestCommand(ctx, args, stdout, stderr)
	case "provision":
		return provisionCommand(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "handset", version)
		return exitOK
	case "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "handset: unknown command %q\n\n%s", sub, usage)
	return exitUsage
}

const usage = `usage:
  handset [run] [flags]        run the phone (see handset run -h)
  handset demo                 two simulated phones call each other on loopback
  handset check-config FILE    print every problem in a config file
  handset selftest             bring-up checks of the board, sound card, keys and hook
  handset provision [--fetch]  check the config, write the Wi-Fi settings (at boot)
  handset version
`

// errQuit ends the phone at the user's request.
var errQuit = errors.New("quit")
