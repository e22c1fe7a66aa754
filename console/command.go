package console

import (
	"errors"
	"fmt"
	"strings"

	"handset/hal"
)

// Panel is what the commands act on: the simulated hook switch and keypad.
type Panel interface {
	Lift() error
	Hang() error
	Flash() error
	Press(k hal.Key, long bool) error
}

// ErrQuit is returned by Exec for the quit command.
var ErrQuit = errors.New("console: quit")

// Help lists the line commands.
const Help = `commands:
  offhook          lift the handset
  onhook           hang up
  flash            hook flash (take a waiting call)
  press K [long]   press key K (0-9 * # A-D, R = redial), long = long press
  dial DIGITS      press each key of DIGITS in turn, e.g. dial 1002#
  help             this list
  quit             stop the phone`

// Exec runs one command line against p. Empty lines and lines starting
// with # do nothing.
func Exec(p Panel, line string) error {
	f := strings.Fields(line)
	if len(f) == 0 || strings.HasPrefix(f[0], "#") {
		return nil
	}
	cmd, args := strings.ToLower(f[0]), f[1:]
	want := func(n int) error {
		if len(args) != n {
			return fmt.Errorf("%s: want %d argument(s), got %d", cmd, n, len(args))
		}
		return nil
	}
	switch cmd {
	case "offhook", "lift":
		if err := want(0); err != nil {
			return err
		}
		return p.Lift()
	case "onhook", "hang", "hangup":
		if err := want(0); err != nil {
			return err
		}
		return p.Hang()
	case "flash":
		if err := want(0); err != nil {
			return err
		}
		return p.Flash()
	case "press":
		long := len(args) == 2 && strings.EqualFold(args[1], "long")
		if len(args) < 1 || len(args) > 2 || (len(args) == 2 && !long) {
			return fmt.Errorf("press: want a key and optionally \"long\"")
		}
		k, err := parseKey(args[0])
		if err != nil {
			return err
		}
		return p.Press(k, long)
	case "dial":
		if err := want(1); err != nil {
			return err
		}
		keys := make([]hal.Key, 0, len(args[0]))
		for _, r := range args[0] {
			k := hal.Key(r)
			if !k.IsDTMF() {
				return fmt.Errorf("dial: %q is not a key", r)
			}
			keys = append(keys, k)
		}
		for _, k := range keys {
			if err := p.Press(k, false); err != nil {
				return err
			}
		}
		return nil
	case "help", "?":
		return nil
	case "quit", "exit":
		return ErrQuit
	}
	return fmt.Errorf("unknown command %q (try help)", f[0])
}

func parseKey(s string) (hal.Key, error) {
	r := []rune(s)
	if len(r) != 1 {
		return 0, fmt.Errorf("press: %q is not one key", s)
	}
	k := hal.Key(r[0])
	if k == 'r' {
		k = hal.KeyRedial
	}
	if !k.IsDTMF() && k != hal.KeyRedial {
		return 0, fmt.Errorf("press: %q is not a key", s)
	}
	return k, nil
}
