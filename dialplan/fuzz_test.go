package dialplan

import (
	"errors"
	"testing"
	"unicode/utf8"
)

var fuzzPlans = []string{
	"( 0 | [49]11 | 1 [2-9]xx [2-9]xxxxxx )",
	"<8:1650>xxxxxxx",
	"<:1212>xxxxxxx",
	"( 1 900 xxxxxxx ! | 1xxxxxxxxxx )",
	"9, 1xxxxxxxxxx",
	"( 1[2-9]xxxxxxxxxS0 | x. )",
	"( S0 <:12125551234> )",
	"( P5 <:1000> | xxxx )",
	"L:8,S:4,( xxx | xxxx | 011xx. | <011:+>x. | x.# )",
	"( [1-35-7]. | *[A-D]#S1.5 )",
	"( [2-9 )",
	"<1:2",
	"x..",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzPlans {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		m, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
				t.Fatalf("Parse(%q) error %v is not a *SyntaxError", src, err)
			}
			if se.Col < 1 || se.Col > utf8.RuneCountInString(src)+1 {
				t.Fatalf("Parse(%q) error %v: column out of range", src, err)
			}
			return
		}
		norm := m.String()
		again, err := Parse(norm)
		if err != nil {
			t.Fatalf("Parse(%q) ok but its normalised form %q fails: %v", src, norm, err)
		}
		if again.String() != norm {
			t.Fatalf("normalised form %q reparses as %q", norm, again.String())
		}
		m.OffHook()
		for _, d := range []string{"", "0", "1", "#", "*", "A", "911", "16505551234"} {
			if m.Evaluate(d) != again.Evaluate(d) {
				t.Fatalf("%q and its normalised form %q disagree on %q", src, norm, d)
			}
		}
	})
}

func FuzzEvaluate(f *testing.F) {
	for _, s := range fuzzPlans {
		for _, d := range []string{"", "0", "411", "85551234", "19005551234", "01144#", "a1"} {
			f.Add(s, d)
		}
	}
	f.Fuzz(func(t *testing.T, plan, digits string) {
		m, err := Parse(plan)
		if err != nil {
			return
		}
		_, long := m.Timers()
		v := m.Evaluate(digits)
		switch v.Status {
		case Incomplete:
			if v.Number != "" || v.Wait != long {
				t.Fatalf("%s Evaluate(%q) = %+v: Incomplete carries the long timer only", plan, digits, v)
			}
		case Complete:
			if v.Number == "" || v.Wait < 0 || v.Wait > maxTimer {
				t.Fatalf("%s Evaluate(%q) = %+v: Complete needs a number and a short timer", plan, digits, v)
			}
		case Exact:
			if v.Number == "" || v.Wait != 0 {
				t.Fatalf("%s Evaluate(%q) = %+v: Exact needs a number and no wait", plan, digits, v)
			}
		case NoMatch, Barred:
			if v != (Verdict{Status: v.Status}) {
				t.Fatalf("%s Evaluate(%q) = %+v: a rejection carries nothing", plan, digits, v)
			}
		default:
			t.Fatalf("%s Evaluate(%q) = %+v: unknown status", plan, digits, v)
		}
		for i := 0; i < len(digits); i++ {
			if keyIndex(digits[i]) < 0 {
				return // the rest needs a dialable string
			}
		}
		// Rejection is final; waiting means some key can still help.
		var helps bool
		for k := 0; k < len(keys); k++ {
			next := m.Evaluate(digits + keys[k:k+1]).Status
			if v.Status == NoMatch && next != NoMatch {
				t.Fatalf("%s: %q is NoMatch but %q is %v", plan, digits, digits+keys[k:k+1], next)
			}
			helps = helps || next != NoMatch
		}
		if v.Status == Incomplete && !helps {
			t.Fatalf("%s: %q is Incomplete but no key leads anywhere", plan, digits)
		}
		if v.Status == Exact && helps && !exactByS0(t, m, digits) {
			t.Fatalf("%s: %q is Exact but a longer string still matches", plan, digits)
		}
	})
}

// exactByS0 reports whether some rule ending S0 matches digits, which makes
// Exact legitimate even when longer strings could match.
func exactByS0(t *testing.T, m *Map, digits string) bool {
	for _, r := range m.rules {
		if r.hasShort && r.short == 0 {
			if ok, _, _ := r.match(dialledKeys(t, digits)); ok {
				return true
			}
		}
	}
	return false
}
