package gpiotest

import (
	"fmt"
	"sync"

	"handset/board/gpio"
	"handset/config"
)

// Line is a fake GPIO line. The driver side uses the gpio.Line methods; the
// test side drives it with Drive and Float and inspects it with Level,
// IsOutput, Bias and Closed.
type Line struct {
	name string

	mu     sync.Mutex
	output bool
	high   bool // driven level while output
	bias   gpio.Bias
	closed bool
	writes int
	fail   error
	// ext is what the outside world does to the pin: level and whether it
	// drives it at all. nil means nothing is connected.
	ext func() (level, driven bool)
}

var _ gpio.Line = (*Line)(nil)

// NewLine returns a free-standing fake line (not in a Bank), as an input
// with its bias as-is.
func NewLine(name string) *Line { return &Line{name: name} }

// Input implements gpio.Line.
func (l *Line) Input(b gpio.Bias) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	l.output, l.bias = false, b
	return nil
}

// Output implements gpio.Line.
func (l *Line) Output(high bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	l.output, l.high = true, high
	l.writes++
	return nil
}

// Read implements gpio.Line: an output reads what it drives; an input reads
// what the outside drives, else its bias (a floating line reads low).
func (l *Line) Read() bool {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return false
	}
	if l.output {
		defer l.mu.Unlock()
		return l.high
	}
	ext, bias := l.ext, l.bias
	l.mu.Unlock()
	if ext != nil {
		if level, driven := ext(); driven {
			return level
		}
	}
	return bias == gpio.PullUp
}

// Close implements gpio.Line.
func (l *Line) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	return nil
}

// String implements gpio.Line.
func (l *Line) String() string { return l.name }

// Drive makes the outside world hold the line at level (a switch closed to
// ground or to 3.3 V).
func (l *Line) Drive(level bool) {
	l.setExt(func() (bool, bool) { return level, true })
}

// Float disconnects the outside world: the line reads its bias.
func (l *Line) Float() { l.setExt(nil) }

// Fail makes Input and Output return err until Fail(nil).
func (l *Line) Fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fail = err
}

// Level reports the level the line drives while it is an output, else
// false: what an LED or relay on it sees.
func (l *Line) Level() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.output && l.high && !l.closed
}

// IsOutput reports whether the line is an output.
func (l *Line) IsOutput() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.output
}

// Bias reports the bias of the line as an input.
func (l *Line) Bias() gpio.Bias {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bias
}

// Writes reports how many times Output was called.
func (l *Line) Writes() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.writes
}

// Closed reports whether the line was released.
func (l *Line) Closed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

func (l *Line) setExt(f func() (bool, bool)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ext = f
}

// state reports how the line looks to the circuit around it.
func (l *Line) state() (output, high bool, bias gpio.Bias) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.output && !l.closed, l.high, l.bias
}

func (l *Line) usable() error {
	switch {
	case l.closed:
		return fmt.Errorf("gpiotest: line %q: %w", l.name, gpio.ErrClosed)
	case l.fail != nil:
		return fmt.Errorf("gpiotest: line %q: %w", l.name, l.fail)
	}
	return nil
}

// Bank is a fake gpio.Source: a set of lines known by their pins.
type Bank struct {
	mu    sync.Mutex
	lines map[config.Pin]*Line
	held  map[config.Pin]bool
}

var _ gpio.Source = (*Bank)(nil)

// NewBank returns a bank holding a line for each pin.
func NewBank(pins ...config.Pin) *Bank {
	b := &Bank{lines: make(map[config.Pin]*Line), held: make(map[config.Pin]bool)}
	for _, p := range pins {
		b.Add(p)
	}
	return b
}

// Add puts a line at p into the bank (or returns the one there).
func (b *Bank) Add(p config.Pin) *Line {
	b.mu.Lock()
	defer b.mu.Unlock()
	if l, ok := b.lines[p]; ok {
		return l
	}
	l := NewLine(p.String())
	b.lines[p] = l
	return l
}

// Line returns the line at p, or nil.
func (b *Bank) Line(p config.Pin) *Line {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lines[p]
}

// Take implements gpio.Source: a pin not in the bank is gpio.ErrNoLine, a
// line taken and not yet closed is gpio.ErrBusy.
func (b *Bank) Take(p config.Pin) (gpio.Line, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, ok := b.lines[p]
	if !ok {
		return nil, fmt.Errorf("gpiotest: line %q: %w", p, gpio.ErrNoLine)
	}
	if b.held[p] && !l.Closed() {
		return nil, fmt.Errorf("gpiotest: line %q: %w", p, gpio.ErrBusy)
	}
	b.held[p] = true
	l.mu.Lock()
	l.closed, l.output = false, false
	l.mu.Unlock()
	return l, nil
}

// Held lists the lines taken and not closed, to check that a driver
// released everything.
func (b *Bank) Held() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var open []string
	for p, held := range b.held {
		if held && !b.lines[p].Closed() {
			open = append(open, p.String())
		}
	}
	return open
}
