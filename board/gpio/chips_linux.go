//go:build linux

package gpio

import (
	"fmt"
	"strings"
	"sync"

	"periph.io/x/conn/v3/driver/driverreg"
	periph "periph.io/x/conn/v3/gpio"
	"periph.io/x/host/v3/gpioioctl"

	"handset/config"
)

// Chips is the Source for the kernel's GPIO chips.
type Chips struct {
	mu    sync.Mutex
	chips []*gpioioctl.GPIOChip
	info  []chipInfo
	taken map[*gpioioctl.GPIOLine]string // line → the pin it was taken as
}

var _ Source = (*Chips)(nil)

// OpenChips initialises periph's gpioioctl driver (only that driver) and
// lists the chips it found. It reports ErrNoChip when there are none.
func OpenChips() (*Chips, error) {
	if _, err := driverreg.Init(); err != nil {
		return nil, fmt.Errorf("gpio: periph init: %w", err)
	}
	if len(gpioioctl.Chips) == 0 {
		return nil, fmt.Errorf("gpio: %w", ErrNoChip)
	}
	c := &Chips{chips: gpioioctl.Chips, taken: make(map[*gpioioctl.GPIOLine]string)}
	for _, ch := range c.chips {
		ci := chipInfo{name: ch.Name(), label: ch.Label()}
		for _, l := range ch.Lines() {
			ci.lines = append(ci.lines, l.Name())
		}
		c.info = append(c.info, ci)
	}
	return c, nil
}

// Describe lists the chips, for logs: "gpiochip0 (pinctrl-bcm2835), …".
func (c *Chips) Describe() string { return chipList(c.info) }

// Take implements Source: it requests the line from the kernel as an input
// with its bias unchanged.
func (c *Chips) Take(p config.Pin) (Line, error) {
	ci, off, err := find(c.info, p)
	if err != nil {
		return nil, err
	}
	l := c.chips[ci].Lines()[off]
	c.mu.Lock()
	defer c.mu.Unlock()
	if as, dup := c.taken[l]; dup {
		return nil, fmt.Errorf("gpio: line %q: %w: this program already holds it as %q", p, ErrBusy, as)
	}
	holder := l.Consumer() // as the kernel reported it when the chip was opened
	if err := l.In(periph.PullNoChange, periph.NoEdge); err != nil {
		l.Close()
		if isBusy(err) {
			if holder != "" {
				return nil, fmt.Errorf("gpio: line %q: %w (held by %s)", p, ErrBusy, holder)
			}
			return nil, fmt.Errorf("gpio: line %q: %w", p, ErrBusy)
		}
		return nil, fmt.Errorf("gpio: line %q: %w: %v", p, ErrIO, err)
	}
	c.taken[l] = p.String()
	return &chipLine{l: l, name: p.String(), release: func() { c.release(l) }}, nil
}

func (c *Chips) release(l *gpioioctl.GPIOLine) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.taken, l)
}

// isBusy recognises EBUSY in periph's errors, which carry only the text.
func isBusy(err error) bool {
	return strings.Contains(err.Error(), "device or resource busy")
}

// chipLine is a Line on a periph GPIOLine.
type chipLine struct {
	l       *gpioioctl.GPIOLine
	name    string
	release func()

	mu     sync.Mutex
	output bool
	level  bool
	closed bool
}

// Input implements Line.
func (x *chipLine) Input(b Bias) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return fmt.Errorf("gpio: line %q: %w", x.name, ErrClosed)
	}
	pull := periph.PullNoChange
	switch b {
	case PullUp:
		pull = periph.PullUp
	case PullDown:
		pull = periph.PullDown
	}
	if err := x.l.In(pull, periph.NoEdge); err != nil {
		return fmt.Errorf("gpio: line %q: input %s: %w: %v", x.name, b, ErrIO, err)
	}
	x.output = false
	return nil
}

// Output implements Line.
func (x *chipLine) Output(high bool) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return fmt.Errorf("gpio: line %q: %w", x.name, ErrClosed)
	}
	if err := x.l.Out(periph.Level(high)); err != nil {
		return fmt.Errorf("gpio: line %q: output: %w: %v", x.name, ErrIO, err)
	}
	x.output, x.level = true, high
	return nil
}

// Read implements Line. periph's Read would silently turn an output into
// a pulled-up input, so an output reports the level it drives.
func (x *chipLine) Read() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return false
	}
	if x.output {
		return x.level
	}
	return bool(x.l.Read())
}

// Close implements Line.
func (x *chipLine) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	x.l.Close()
	x.release()
	return nil
}

// String implements Line.
func (x *chipLine) String() string { return x.name }
