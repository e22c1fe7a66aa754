package hal

// LED names one of the phone's status lamps.
type LED string

// The lamps a phone may have. A board without one ignores it.
const (
	LEDRegistered LED = "registered"
	LEDInCall     LED = "in-call"
	LEDMessage    LED = "message"
	LEDError      LED = "error"
)

// LEDPattern is what a lamp shows.
type LEDPattern int

// Lamp patterns.
const (
	LEDOff LEDPattern = iota
	LEDOn
	LEDBlinkSlow // 1 s period: ringing, message waiting
	LEDBlinkFast // 250 ms period: error, registration failing
)

// String returns the pattern's name as used in logs and events.
func (p LEDPattern) String() string {
	switch p {
	case LEDOff:
		return "off"
	case LEDOn:
		return "on"
	case LEDBlinkSlow:
		return "blink-slow"
	case LEDBlinkFast:
		return "blink-fast"
	}
	return "unknown"
}

// Lamps drives the status LEDs; the implementation runs blink patterns.
type Lamps interface {
	SetLED(led LED, p LEDPattern) error
}
