package rfc4733

// staleSpan is how far back, in clock units, a timestamp counts as a
// leftover of an event already reported (16 s at 8 kHz). Anything else with
// a new timestamp is a new event, so a new stream's timestamps are accepted.
const staleSpan = 1 << 17

// Receiver reports each incoming event once.
type Receiver struct {
	last uint32 // timestamp of the last event reported
	seen bool
}

// Handle takes one received event packet with its RTP timestamp. It
// returns the event's key and isNew = true on the first packet seen of a
// new event (a new timestamp), whether or not that packet had the marker;
// repeats, end packets and leftovers of the previous event return false.
// Events that are not keypad keys (codes above 15) are never reported.
func (r *Receiver) Handle(ts uint32, e Event) (key rune, isNew bool) {
	if r.seen && r.last-ts < staleSpan {
		return 0, false // the same event, or one older
	}
	r.last, r.seen = ts, true
	return KeyFor(e.Code)
}
