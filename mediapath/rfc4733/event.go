package rfc4733

import (
	"encoding/binary"
	"fmt"
)

// Size is the length of a telephone-event payload.
const Size = 4

// keys lists the keypad in event-code order (RFC 4733 §3.2): 0-9, *, #,
// A-D.
const keys = "0123456789*#ABCD"

// EventCode returns the event code of a keypad key: '0'-'9' → 0-9,
// '*' → 10, '#' → 11, 'A'-'D' → 12-15 (lower case accepted).
func EventCode(key rune) (uint8, bool) {
	if key >= 'a' && key <= 'd' {
		key -= 'a' - 'A'
	}
	for i, k := range keys {
		if k == key {
			return uint8(i), true
		}
	}
	return 0, false
}

// KeyFor returns the keypad key of an event code 0-15.
func KeyFor(code uint8) (rune, bool) {
	if int(code) >= len(keys) {
		return 0, false
	}
	return rune(keys[code]), true
}

// Event is one telephone-event payload:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|     event     |E|R| volume    |          duration             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
type Event struct {
	// Code is the event (0-15 for the keypad).
	Code uint8
	// End marks the event's final packets.
	End bool
	// Volume is the power level as -dBm0, 0-63.
	Volume uint8
	// Duration is the event's length so far, in RTP clock units.
	Duration uint16
}

// MarshalTo writes e into the first 4 bytes of dst, with the reserved bit
// clear, and returns 4.
func (e Event) MarshalTo(dst []byte) (int, error) {
	if len(dst) < Size {
		return 0, fmt.Errorf("marshal event: %w", errShort)
	}
	if e.Volume > 0x3F {
		return 0, fmt.Errorf("marshal event: %w: %d", errVolume, e.Volume)
	}
	dst[0] = e.Code
	dst[1] = e.Volume
	if e.End {
		dst[1] |= 0x80
	}
	binary.BigEndian.PutUint16(dst[2:4], e.Duration)
	return Size, nil
}

// Unmarshal reads the event in the first 4 bytes of b, ignoring the
// reserved bit. Further bytes (more events in one packet) are ignored.
func (e *Event) Unmarshal(b []byte) error {
	if len(b) < Size {
		return fmt.Errorf("unmarshal event: %w: %d bytes", errShort, len(b))
	}
	e.Code = b[0]
	e.End = b[1]&0x80 != 0
	e.Volume = b[1] & 0x3F
	e.Duration = binary.BigEndian.Uint16(b[2:4])
	return nil
}
