package dialplan

import (
	"strings"
	"testing"
)

// dialledKeys turns a key string into key indexes for rule.match.
func dialledKeys(t testing.TB, s string) []int {
	t.Helper()
	out := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		if out[i] = keyIndex(s[i]); out[i] < 0 {
			t.Fatalf("bad key %q in %q", s[i], s)
		}
	}
	return out
}

func TestRuleMatch(t *testing.T) {
	tests := []struct {
		rule, digits string
		matched      bool
		number       string
		extend       bool
	}{
		{"xxx", "", false, "", true},
		{"xxx", "12", false, "", true},
		{"xxx", "123", true, "123", false},
		{"xxx", "1234", false, "", false},
		{"x.", "", false, "", true}, // an empty number is no match
		{"<9:>x.", "9", false, "", true},
		{"<9:>x.", "95", true, "5", true},
		{"[5].<12:>", "", false, "", true},
		{"[5].<12:>", "1", false, "", false}, // could only ever send nothing
		{"[5].<12:>", "51", false, "", true},
		{"[5].<12:>", "512", true, "5", false},
		{"<1900:>!", "1900", true, "", false}, // barred: nothing need be sent
		{"x.", "123", true, "123", true},
		{"1x.2", "12", true, "12", true},
		{"1x.2", "1222", true, "1222", true},
		{"1x.2", "1223", false, "", true},
		{"x.x.x.", "12345", true, "12345", true},
		{"[2-9]", "1", false, "", false},
		{"<1:2>", "1", true, "2", false},
		{"<12:>3", "12", false, "", true},
		{"<12:>3", "123", true, "3", false},
		{"<:0>x", "", false, "", true},
		{"<:0>x", "5", true, "05", false},
		{"<:0>", "", true, "0", false},
		{"x<:9>", "5", true, "59", false},
		{"9,<9:>x", "995", true, "95", false},
		// A repeated step takes as many keys as it can before a rewrite does.
		{"x.<1:7>", "111", true, "117", true},
		{"1.<1:7>x", "1115", true, "1175", false},
		{"1.<1:7>x", "111", true, "171", true},
		{"x.<#:>", "12#", true, "12", false},
	}
	for i, tt := range tests {
		m, err := Parse(tt.rule)
		if err != nil {
			t.Fatalf("#%d: Parse(%q): %v", i, tt.rule, err)
		}
		matched, number, extend := m.rules[0].match(dialledKeys(t, tt.digits))
		if matched != tt.matched || number != tt.number || extend != tt.extend {
			t.Errorf("#%d: %s match(%q) = %v, %q, %v; want %v, %q, %v",
				i, tt.rule, tt.digits, matched, number, extend, tt.matched, tt.number, tt.extend)
		}
	}
}

// TestRuleMatchLong checks that many repetitions over a long input still
// finish, and give the right answer; backtracking would not finish.
func TestRuleMatchLong(t *testing.T) {
	m, err := Parse(strings.Repeat("x.", 50) + "1")
	if err != nil {
		t.Fatal(err)
	}
	digits := strings.Repeat("2", 2000)
	if got := m.Evaluate(digits); got.Status != Incomplete {
		t.Fatalf("Evaluate(2000 × 2) = %v, want Incomplete", got)
	}
	if got := m.Evaluate(digits + "1"); got.Status != Complete || got.Number != digits+"1" {
		t.Fatalf("Evaluate(2000 × 2 + 1) = %v, want Complete with all digits", got.Status)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	m, err := Parse("( 0 | [49]11 | <9:>,1 [2-9]xx [2-9]xxxxxx | <8:1650>xxxxxxx | 011xx. | 1 900 xxxxxxx ! | x.# )")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Evaluate("916505551234")
	}
}
