package console

import (
	"bufio"
	"context"
	"errors"
	"io"

	"handset/hal"
)

// ReadLines executes one command per line from r until EOF, quit or ctx ends.
// A bad command is reported as an "error" event and the phone keeps going.
func ReadLines(ctx context.Context, r io.Reader, p Panel, out *Printer) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		line := sc.Text()
		err := Exec(p, line)
		switch {
		case errors.Is(err, ErrQuit):
			return ErrQuit
		case err != nil:
			out.Print("error", map[string]string{"command": line, "error": err.Error()})
		case line == "help" || line == "?":
			out.Print("help", map[string]string{"text": Help})
		}
	}
	return sc.Err()
}

// KeyHelp is shown when terminal mode starts.
const KeyHelp = "terminal mode: space lifts/hangs up, 0-9 * # A-D dial, f flash, r redial, q quits"

// ReadKeys runs terminal mode: one key at a time from r (a terminal in raw
// mode). Space toggles the hook, f flashes, r redials, q or Ctrl-C quits.
// An upper-case digit key is not special: only the keypad keys dial.
func ReadKeys(ctx context.Context, r io.Reader, p Panel, offHook func() bool, out *Printer) error {
	buf := make([]byte, 1)
	for ctx.Err() == nil {
		n, err := r.Read(buf)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if n == 0 {
			continue
		}
		var cerr error
		switch c := buf[0]; {
		case c == 'q' || c == 3 || c == 4: // q, Ctrl-C, Ctrl-D
			return ErrQuit
		case c == ' ':
			if offHook() {
				cerr = p.Hang()
			} else {
				cerr = p.Lift()
			}
		case c == 'f':
			cerr = p.Flash()
		case c == 'r':
			cerr = p.Press(hal.KeyRedial, false)
		case hal.Key(c).IsDTMF():
			cerr = p.Press(hal.Key(c), false)
		}
		if cerr != nil {
			out.Print("error", map[string]string{"key": string(buf[:1]), "error": cerr.Error()})
		}
	}
	return nil
}
