package dialplan

import (
	"strconv"
	"time"
)

// Status is the verdict on the digits dialled so far.
type Status int

// The verdicts, from "reject" through "wait" to "send".
const (
	NoMatch    Status = iota // the digits can never match any rule: reject (reorder tone)
	Incomplete               // some rule could still match, none matches yet: wait up to the long timer
	Complete                 // a rule matches and a longer match is still possible: send when the short timer expires
	Exact                    // a rule matches and nothing longer can match (or the rule ends S0): send now
	Barred                   // the digits match a rule marked with a trailing "!": reject
)

// String returns the status's name, e.g. "Incomplete".
func (s Status) String() string {
	switch s {
	case NoMatch:
		return "NoMatch"
	case Incomplete:
		return "Incomplete"
	case Complete:
		return "Complete"
	case Exact:
		return "Exact"
	case Barred:
		return "Barred"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Verdict is what Evaluate says about the digits dialled so far.
type Verdict struct {
	Status Status
	Number string        // for Complete and Exact: the number to send, after <a:b> rewrites
	Wait   time.Duration // Incomplete: the long timer; Complete: that rule's short timer (S<n> override or the plan's); 0 otherwise
}

// Evaluate judges the digits dialled so far (keys 0-9 * # A-D; a-d are
// taken as A-D). Any other character gives NoMatch.
//
// A barred rule that matches wins. Otherwise the first rule in map order
// that matches gives the Number: Exact if that rule ends S0 or no rule could
// take more digits, else Complete. With no match, Incomplete if some rule
// could still match, else NoMatch. A match that would send an empty number
// (say "<9:>x." dialled "9") does not count as one. The empty string is
// Incomplete while any rule takes digits: hotline and warm-line rules are
// for OffHook, not for Evaluate.
func (m *Map) Evaluate(digits string) Verdict {
	dialled := make([]int, len(digits))
	for i := 0; i < len(digits); i++ {
		if dialled[i] = keyIndex(digits[i]); dialled[i] < 0 {
			return Verdict{Status: NoMatch}
		}
	}
	if len(dialled) == 0 {
		for _, r := range m.rules {
			if r.consumes {
				return Verdict{Status: Incomplete, Wait: m.long}
			}
		}
		return Verdict{Status: NoMatch}
	}
	var (
		first  *rule
		number string
		extend bool
	)
	for i := range m.rules {
		r := &m.rules[i]
		matched, out, more := r.match(dialled)
		extend = extend || more
		switch {
		case !matched:
		case r.barred:
			return Verdict{Status: Barred}
		case first == nil:
			first, number = r, out
		}
	}
	switch {
	case first != nil && (!extend || first.hasShort && first.short == 0):
		return Verdict{Status: Exact, Number: number}
	case first != nil:
		wait := m.short
		if first.hasShort {
			wait = first.short
		}
		return Verdict{Status: Complete, Number: number, Wait: wait}
	case extend:
		return Verdict{Status: Incomplete, Wait: m.long}
	}
	return Verdict{Status: NoMatch}
}

// OffHook reports the map's hotline or warm-line rule: the first rule that
// takes no digits and is not barred. It returns the number that rule sends
// and how long to wait for a first digit before sending it: the rule's P<n>
// or S<n>; without either, 0 when no rule takes digits, else the map's short
// timer. ok is false when the map has no such rule.
func (m *Map) OffHook() (number string, delay time.Duration, ok bool) {
	takesDigits := false
	for _, r := range m.rules {
		takesDigits = takesDigits || r.consumes
	}
	for _, r := range m.rules {
		if r.consumes || r.barred {
			continue
		}
		for _, e := range r.elems {
			number += e.emit
		}
		switch {
		case r.hasPause:
			delay = r.pause
		case r.hasShort:
			delay = r.short
		case takesDigits:
			delay = m.short
		}
		return number, delay, true
	}
	return "", 0, false
}
