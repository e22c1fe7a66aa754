package dialplan

import (
	"testing"
	"time"
)

const (
	s3  = 3 * time.Second
	l10 = 10 * time.Second
)

func TestEvaluate(t *testing.T) {
	const us = "( 0 | [49]11 | 1 [2-9]xx [2-9]xxxxxx )"
	tests := []struct {
		plan, digits string
		want         Verdict
	}{
		// The expectations doc's North American plan.
		{us, "", Verdict{Incomplete, "", l10}},
		{us, "0", Verdict{Exact, "0", 0}},
		{us, "4", Verdict{Incomplete, "", l10}},
		{us, "41", Verdict{Incomplete, "", l10}},
		{us, "411", Verdict{Exact, "411", 0}},
		{us, "911", Verdict{Exact, "911", 0}},
		{us, "511", Verdict{NoMatch, "", 0}},
		{us, "4111", Verdict{NoMatch, "", 0}},
		{us, "1", Verdict{Incomplete, "", l10}},
		{us, "11", Verdict{NoMatch, "", 0}},
		{us, "1650", Verdict{Incomplete, "", l10}},
		{us, "16501", Verdict{NoMatch, "", 0}},
		{us, "1650555123", Verdict{Incomplete, "", l10}},
		{us, "16505551234", Verdict{Exact, "16505551234", 0}},
		{us, "165055512345", Verdict{NoMatch, "", 0}},
		{us, "2", Verdict{NoMatch, "", 0}},
		{us, "0a", Verdict{NoMatch, "", 0}},
		{us, "4-1", Verdict{NoMatch, "", 0}},

		// Complete: a match that could grow waits for the short timer.
		{"( xxx | xxxx )", "123", Verdict{Complete, "123", s3}},
		{"( xxx | xxxx )", "1234", Verdict{Exact, "1234", 0}},
		{"( xxx | xxxx )", "12345", Verdict{NoMatch, "", 0}},
		{"( xxxxS5 | xxxxx )", "1234", Verdict{Complete, "1234", 5 * time.Second}},
		{"( xxxxS1.5 | xxxxx )", "1234", Verdict{Complete, "1234", 1500 * time.Millisecond}},
		{"( S2 xxxx | xxxxx )", "1234", Verdict{Complete, "1234", 2 * time.Second}},
		{"( xxxxS5 )", "1234", Verdict{Exact, "1234", 0}},
		{"L:8,S:4,( xxx | xxxx )", "12", Verdict{Incomplete, "", 8 * time.Second}},
		{"L:8,S:4,( xxx | xxxx )", "123", Verdict{Complete, "123", 4 * time.Second}},
		{"S:0.25,( xxx | xxxx )", "123", Verdict{Complete, "123", 250 * time.Millisecond}},
		{"S:4,( xxx S1 | xxxx )", "123", Verdict{Complete, "123", time.Second}},

		// S0: send at once even though a longer rule could match.
		{"( 1[2-9]xxxxxxxxxS0 | x. )", "12125551234", Verdict{Exact, "12125551234", 0}},
		{"( 1[2-9]xxxxxxxxxS0 | x. )", "1212555123", Verdict{Complete, "1212555123", s3}},
		{"( 1[2-9]xxxxxxxxxS0 | x. )", "121255512345", Verdict{Complete, "121255512345", s3}},
		{"1[2-9]xxxxxxxxxS0", "11125551234", Verdict{NoMatch, "", 0}},
		{"( x. | 1[2-9]xxxxxxxxxS0 )", "12125551234", Verdict{Complete, "12125551234", s3}},

		// Repetition.
		{"011xx.", "01", Verdict{Incomplete, "", l10}},
		{"011xx.", "011", Verdict{Incomplete, "", l10}},
		{"011xx.", "0114", Verdict{Complete, "0114", s3}},
		{"011xx.", "011441234567", Verdict{Complete, "011441234567", s3}},
		{"011xx.", "011*", Verdict{NoMatch, "", 0}},
		{"x.", "", Verdict{Incomplete, "", l10}},
		{"x.", "5", Verdict{Complete, "5", s3}},
		{"x.", "5#", Verdict{NoMatch, "", 0}},
		{"x.#", "5", Verdict{Incomplete, "", l10}},
		{"x.#", "#", Verdict{Exact, "#", 0}},
		{"x.#", "5551234#", Verdict{Exact, "5551234#", 0}},
		{"x.#", "55#1", Verdict{NoMatch, "", 0}},
		{"( x.# | *xx )", "*72", Verdict{Exact, "*72", 0}},
		{"( *x. )", "*", Verdict{Complete, "*", s3}},
		{"[2-9].0", "2340", Verdict{Exact, "2340", 0}},
		{"[2-9].0", "0", Verdict{Exact, "0", 0}},
		{"[2-9].0", "23", Verdict{Incomplete, "", l10}},
		{"[2-9].0", "2310", Verdict{NoMatch, "", 0}},
		{"1.2", "1112", Verdict{Exact, "1112", 0}},

		// Sets and ranges.
		{"[1-35-7]", "1", Verdict{Exact, "1", 0}},
		{"[1-35-7]", "3", Verdict{Exact, "3", 0}},
		{"[1-35-7]", "4", Verdict{NoMatch, "", 0}},
		{"[1-35-7]", "7", Verdict{Exact, "7", 0}},
		{"[1-35-7]", "8", Verdict{NoMatch, "", 0}},
		{"[49]11", "911", Verdict{Exact, "911", 0}},
		{"[49]11", "811", Verdict{NoMatch, "", 0}},
		{"[*#]x", "#5", Verdict{Exact, "#5", 0}},
		{"[ABD]", "C", Verdict{NoMatch, "", 0}},
		{"[AD]1", "d1", Verdict{Exact, "D1", 0}},
		{"[ a c ]", "A", Verdict{Exact, "A", 0}},
		{"x", "A", Verdict{NoMatch, "", 0}},
		{"X", "0", Verdict{Exact, "0", 0}},

		// Rewrites.
		{"<8:1650>xxxxxxx", "8", Verdict{Incomplete, "", l10}},
		{"<8:1650>xxxxxxx", "85551234", Verdict{Exact, "16505551234", 0}},
		{"<8:1650>xxxxxxx", "5551234", Verdict{NoMatch, "", 0}},
		{"<:1212>xxxxxxx", "5551234", Verdict{Exact, "12125551234", 0}},
		{"<011:+>x.", "01144", Verdict{Complete, "+44", s3}},
		{"<011:+>x.", "011", Verdict{Complete, "+", s3}},
		{"<011:+>x.", "01", Verdict{Incomplete, "", l10}},
		{"<9:>1xxxxxxxxxx", "916505551234", Verdict{Exact, "16505551234", 0}},
		{"<9:>x.", "9", Verdict{Incomplete, "", l10}}, // would send nothing
		{"<9:>x.", "95", Verdict{Complete, "5", s3}},
		{"xxxx<#:>", "1234#", Verdict{Exact, "1234", 0}},
		{"xxxx<:#>", "1234", Verdict{Exact, "1234#", 0}},
		{"1<23:45>6", "1236", Verdict{Exact, "1456", 0}},
		{"1<23:45>6", "1246", Verdict{NoMatch, "", 0}},
		{"<*67:*67>x.", "*67555", Verdict{Complete, "*67555", s3}},

		// First matching rule in map order gives the number.
		{"( <9:>xxx | 9xxx )", "9123", Verdict{Exact, "123", 0}},
		{"( <9:>xxxx | 9xxx )", "9123", Verdict{Complete, "9123", s3}},
		{"( <9:>xxxx | 9xxx )", "91234", Verdict{Exact, "1234", 0}},
		{"( 9xxx | <9:>xxx )", "9123", Verdict{Exact, "9123", 0}},
		{"( xxxx | <:1>xxxx )", "1234", Verdict{Exact, "1234", 0}},

		// Outside-line tone is ignored for matching.
		{"9, 1xxxxxxxxxx", "9", Verdict{Incomplete, "", l10}},
		{"9, 1xxxxxxxxxx", "916505551234", Verdict{Exact, "916505551234", 0}},
		{"( <9:>,<:1>[2-9]xxxxxxxxx | <9:>,1xxxxxxxxxx )", "96505551234", Verdict{Exact, "16505551234", 0}},
		{"( <9:>,<:1>[2-9]xxxxxxxxx | <9:>,1xxxxxxxxxx )", "916505551234", Verdict{Exact, "16505551234", 0}},

		// Barred rules.
		{"( 1 900 xxxxxxx ! | 1xxxxxxxxxx )", "1900", Verdict{Incomplete, "", l10}},
		{"( 1 900 xxxxxxx ! | 1xxxxxxxxxx )", "19005551234", Verdict{Barred, "", 0}},
		{"( 1xxxxxxxxxx | 1 900 xxxxxxx ! )", "19005551234", Verdict{Barred, "", 0}},
		{"( 1 900 xxxxxxx ! | 1xxxxxxxxxx )", "18005551234", Verdict{Exact, "18005551234", 0}},
		{"( 1900x.! | x. )", "19001", Verdict{Barred, "", 0}},
		{"( 1900x.! | x. )", "1900", Verdict{Barred, "", 0}},
		{"( 1900x.! | x. )", "190", Verdict{Complete, "190", s3}},
		{"( xxx!S0 | xxxx )", "123", Verdict{Barred, "", 0}},
		{"( <1900:>x.! | x. )", "1900", Verdict{Barred, "", 0}},
		{"( <1900:>x.! | x. )", "190", Verdict{Complete, "190", s3}},

		// Rules that take no digits play no part once digits come.
		{"( S0 <:12125551234> )", "", Verdict{NoMatch, "", 0}},
		{"( S0 <:12125551234> )", "5", Verdict{NoMatch, "", 0}},
		{"( P5 <:1000> | xxxx )", "", Verdict{Incomplete, "", l10}},
		{"( P5 <:1000> | xxxx )", "1234", Verdict{Exact, "1234", 0}},
	}
	for i, tt := range tests {
		m, err := Parse(tt.plan)
		if err != nil {
			t.Fatalf("#%d: Parse(%q): %v", i, tt.plan, err)
		}
		if got := m.Evaluate(tt.digits); got != tt.want {
			t.Errorf("#%d: %s Evaluate(%q) = %+v, want %+v", i, tt.plan, tt.digits, got, tt.want)
		}
	}
}

func TestOffHook(t *testing.T) {
	tests := []struct {
		plan   string
		number string
		delay  time.Duration
		ok     bool
	}{
		{"( S0 <:12125551234> )", "12125551234", 0, true},
		{"S0<:12125551234>", "12125551234", 0, true},
		{"( P0 <:1234> )", "1234", 0, true},
		{"( P5 <:1000> | xxxx )", "1000", 5 * time.Second, true},
		{"( xxxx | P2.5 <:1000> )", "1000", 2500 * time.Millisecond, true},
		{"( <:1000> | xxxx )", "1000", s3, true},
		{"S:2,( <:1000> | xxxx )", "1000", 2 * time.Second, true},
		{"( <:1000> )", "1000", 0, true},
		{"( <:10><:00> , )", "1000", 0, true},
		{"( P5 <:1000> | P1 <:2000> )", "1000", 5 * time.Second, true},
		{"( <:911>! | P3<:1000> )", "1000", 3 * time.Second, true},
		{"( <:911>! | xxx )", "", 0, false},
		{"( xxxx | x. )", "", 0, false},
		{"( 0 | [49]11 )", "", 0, false},
	}
	for i, tt := range tests {
		m, err := Parse(tt.plan)
		if err != nil {
			t.Fatalf("#%d: Parse(%q): %v", i, tt.plan, err)
		}
		number, delay, ok := m.OffHook()
		if number != tt.number || delay != tt.delay || ok != tt.ok {
			t.Errorf("#%d: %s OffHook() = %q, %v, %v; want %q, %v, %v",
				i, tt.plan, number, delay, ok, tt.number, tt.delay, tt.ok)
		}
	}
}

func TestStatusString(t *testing.T) {
	tests := []struct {
		s    Status
		want string
	}{
		{NoMatch, "NoMatch"},
		{Incomplete, "Incomplete"},
		{Complete, "Complete"},
		{Exact, "Exact"},
		{Barred, "Barred"},
		{Status(9), "Status(9)"},
		{Status(-1), "Status(-1)"},
	}
	for i, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("#%d: String() = %q, want %q", i, got, tt.want)
		}
	}
}
