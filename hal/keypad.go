package hal

import "time"

// Key is one key of the phone's keypad: '0'–'9', '*', '#', 'A'–'D', or one of
// the function keys below.
type Key rune

// Function keys some phones have besides the dial pad.
const (
	KeyVolumeUp   Key = '+'
	KeyVolumeDown Key = '-'
	KeyRedial     Key = 'R'
)

// IsDTMF reports whether k can be dialled or sent as a DTMF digit.
func (k Key) IsDTMF() bool {
	return (k >= '0' && k <= '9') || k == '*' || k == '#' || (k >= 'A' && k <= 'D')
}

// KeyEvent is one key press, reported once per press.
type KeyEvent struct {
	Key Key
	// Long is true when the key was held past the long-press time; the
	// driver then reports the press once, with Long set, on release.
	Long bool
	At   time.Time
}

// Keypad reports key presses.
type Keypad interface {
	// Keys delivers presses. The channel closes on Close.
	Keys() <-chan KeyEvent
	Close() error
}
