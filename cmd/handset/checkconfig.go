package main

import (
	"fmt"
	"io"

	"handset/config"
)

// checkConfigCommand prints every problem in a config file; it exits non-zero
// when there is one.
func checkConfigCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: handset check-config FILE")
		return exitUsage
	}
	if err := config.Check(args[0], stdout); err != nil {
		return exitFailure
	}
	return exitOK
}
