package gpio

import "handset/config"

// Bias is the internal resistor an input line gets.
type Bias int

// The biases. BiasAsIs leaves whatever the line had (periph cannot ask the
// kernel to switch the bias off).
const (
	BiasAsIs Bias = iota
	PullUp
	PullDown
)

// String returns the bias's name for logs.
func (b Bias) String() string {
	switch b {
	case BiasAsIs:
		return "as-is"
	case PullUp:
		return "pull-up"
	case PullDown:
		return "pull-down"
	}
	return "unknown"
}

// Line is one GPIO line this process holds.
type Line interface {
	// Input makes the line an input with bias b (high impedance).
	Input(b Bias) error
	// Output makes the line an output driving high or low.
	Output(high bool) error
	// Read returns the level on an input line, or the driven level of an
	// output line. periph reports read failures only in its log, as low.
	Read() bool
	// Close releases the line; it may be taken again afterwards.
	Close() error
	// String names the line as it was asked for, e.g. "pinctrl-bcm2835:17".
	String() string
}

// Source takes lines. The line comes back as an input with its bias as it
// was, which is harmless for every job; the taker then sets it up.
type Source interface {
	Take(p config.Pin) (Line, error)
}
