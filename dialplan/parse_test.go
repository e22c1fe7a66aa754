package dialplan

import (
	"errors"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		// The map as a whole.
		{"", `dialplan: col 1: expected a rule`},
		{"   ", `dialplan: col 4: expected a rule`},
		{"L:5,", `dialplan: col 5: expected a rule`},
		{"(", `dialplan: col 1: unclosed "("`},
		{"( x", `dialplan: col 1: unclosed "("`},
		{"( x |", `dialplan: col 1: unclosed "("`},
		{"x)", `dialplan: col 2: unexpected ")" without "("`},
		{"(x))", `dialplan: col 4: unexpected ")" after the closing ")"`},
		{"(x) y", `dialplan: col 5: unexpected "y" after the closing ")"`},
		{"(x) (y)", `dialplan: col 5: unexpected "(" after the closing ")"`},
		{"()", `dialplan: col 2: empty rule: expected a key, "x", "[" or "<" before ")"`},
		{"(x|)", `dialplan: col 4: empty rule: expected a key, "x", "[" or "<" before ")"`},
		{"(|x)", `dialplan: col 2: empty rule: expected a key, "x", "[" or "<" before "|"`},
		{"x|", `dialplan: col 3: empty rule: expected a key, "x", "[" or "<" before end of map`},
		{"( , )", `dialplan: col 5: empty rule: expected a key, "x", "[" or "<" before ")"`},
		{"x(", `dialplan: col 2: unexpected "(": expected a key, "x", "[", "<", ".", ",", "S", "P" or "!"`},
		{"(1 q)", `dialplan: col 4: unexpected "q": expected a key, "x", "[", "<", ".", ",", "S", "P" or "!"`},
		{"(1 é)", `dialplan: col 4: unexpected "é": expected a key, "x", "[", "<", ".", ",", "S", "P" or "!"`},
		{"(é q)", `dialplan: col 2: unexpected "é": expected a key, "x", "[", "<", ".", ",", "S", "P" or "!"`},
		{"1\xff", `dialplan: col 2: unexpected byte 0xff: expected a key, "x", "[", "<", ".", ",", "S", "P" or "!"`},

		// Plan timers.
		{"L:x,(x)", `dialplan: col 3: expected a number of seconds after "L", found "x"`},
		{"S:,(x)", `dialplan: col 3: expected a number of seconds after "S", found ","`},
		{"L:5", `dialplan: col 4: expected "," after the "L:" timer, found end of map`},
		{"L:5 S:3,(x)", `dialplan: col 5: expected "," after the "L:" timer, found "S"`},
		{"L:5,L:6,(x)", `dialplan: col 5: second "L:" timer`},
		{"S:5,L:1,S:6,(x)", `dialplan: col 9: second "S:" timer`},
		{"L:1.,(x)", `dialplan: col 5: expected a digit after "." in the "L" timer, found ","`},
		{"L:3601,(x)", `dialplan: col 3: "L" timer over 3600 s`},
		{"S:99999999999999999999999,(x)", `dialplan: col 3: "S" timer over 3600 s`},
		{"L:-1,(x)", `dialplan: col 3: expected a number of seconds after "L", found "-"`},
		{"(S:3,x)", `dialplan: col 3: expected a number of seconds after "S", found ":"`},

		// Sets.
		{"[", `dialplan: col 1: unclosed "["`},
		{"( 1 [2-9 )", `dialplan: col 5: unclosed "["`},
		{"x[2-", `dialplan: col 2: unclosed "["`},
		{"x[]", `dialplan: col 2: empty set "[]"`},
		{"x[ ]", `dialplan: col 2: empty set "[]"`},
		{"x[9-2]", `dialplan: col 4: range 9-2 runs backwards`},
		{"x[*-3]", `dialplan: col 3: a range runs between digits 0-9, not from "*"`},
		{"[A-D]", `dialplan: col 2: a range runs between digits 0-9, not from "A"`},
		{"[2-D]", `dialplan: col 4: expected a digit 0-9 after "-" in set, found "D"`},
		{"[2-]", `dialplan: col 4: expected a digit 0-9 after "-" in set, found "]"`},
		{"[-2]", `dialplan: col 2: unexpected "-" in set: expected a key, a range such as "2-9" or "]"`},
		{"[x]", `dialplan: col 2: unexpected "x" in set: expected a key, a range such as "2-9" or "]"`},
		{"[2-9-]", `dialplan: col 5: unexpected "-" in set: expected a key, a range such as "2-9" or "]"`},

		// Rewrites.
		{"<1", `dialplan: col 1: unclosed "<"`},
		{"x<1:2", `dialplan: col 2: unclosed "<"`},
		{"<1>", `dialplan: col 3: expected ":" in "<dialled:sent>" before ">"`},
		{"<x:1>", `dialplan: col 2: unexpected "x" in "<dialled:": expected literal keys and ":"`},
		{"<[12]:1>", `dialplan: col 2: unexpected "[" in "<dialled:": expected literal keys and ":"`},
		{"<+:1>", `dialplan: col 2: unexpected "+" in "<dialled:": expected literal keys and ":"`},
		{"<1:q>", `dialplan: col 4: unexpected "q" in ":sent>": expected keys, "+" or ">"`},
		{"<1:2:3>", `dialplan: col 5: unexpected ":" in ":sent>": expected keys, "+" or ">"`},
		{"xxxx<:@>", `dialplan: col 7: unexpected "@" in ":sent>": expected keys, "+" or ">"`},
		{"<:>", `dialplan: col 1: rule takes no digits and sends nothing`},
		{"<0A:>", `dialplan: col 1: rule sends nothing: every key it takes is rewritten to nothing`},
		{"( x | <1:><2:> )", `dialplan: col 7: rule sends nothing: every key it takes is rewritten to nothing`},
		{"( x | , <:> )", `dialplan: col 7: rule takes no digits and sends nothing`},

		// Repetition.
		{".", `dialplan: col 1: "." has nothing to repeat: expected a key, "x" or "[...]" before it`},
		{"x..", `dialplan: col 3: "." has nothing to repeat: expected a key, "x" or "[...]" before it`},
		{"9,.", `dialplan: col 3: "." has nothing to repeat: expected a key, "x" or "[...]" before it`},
		{"<1:2>.", `dialplan: col 6: "." has nothing to repeat: expected a key, "x" or "[...]" before it`},

		// Rule timers and bars.
		{"x!x", `dialplan: col 3: unexpected "x" after "!": expected "|", ")" or the end`},
		{"xS1 2", `dialplan: col 5: unexpected "2" after "S1": expected "|", ")" or the end`},
		{"x!!", `dialplan: col 3: second "!" in one rule`},
		{"S0 S1 x", `dialplan: col 4: second "S" timer in one rule`},
		{"S0 xS1", `dialplan: col 5: second "S" timer in one rule`},
		{"xS", `dialplan: col 3: expected a number of seconds after "S", found end of map`},
		{"xS1.", `dialplan: col 5: expected a digit after "." in the "S" timer, found end of map`},
		{"xS4000", `dialplan: col 3: "S" timer over 3600 s`},
		{"P5 x", `dialplan: col 1: a "P" rule takes no digits: expected only "<:number>" after it`},
		{"( xxxx | P5 <:1000> 1 )", `dialplan: col 10: a "P" rule takes no digits: expected only "<:number>" after it`},
		{"x P5 <:1000>", `dialplan: col 3: "P" may only start a rule`},
		{"S1 P5 <:1000>", `dialplan: col 4: "P" may only start a rule`},
		{"P5 P6 <:1000>", `dialplan: col 4: "P" may only start a rule`},
		{"P5 <:1000> S0", `dialplan: col 12: a "P" rule takes no "S" timer`},
		{"P <:1000>", `dialplan: col 3: expected a number of seconds after "P", found "<"`},
		{"P5", `dialplan: col 3: empty rule: expected a key, "x", "[" or "<" before end of map`},
		{"( [2-| x )", `dialplan: col 3: unclosed "["`},
		{"( <1:2 | x )", `dialplan: col 3: unclosed "<"`},
		{"( <1 )", `dialplan: col 3: unclosed "<"`},
	}
	for i, tt := range tests {
		m, err := Parse(tt.src)
		if err == nil {
			t.Errorf("#%d: Parse(%q) = %s, want error %s", i, tt.src, m, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("#%d: Parse(%q) error\n got %s\nwant %s", i, tt.src, err, tt.want)
		}
		var se *SyntaxError
		if !errors.Is(err, ErrSyntax) || !errors.As(err, &se) || se.Col < 1 {
			t.Errorf("#%d: Parse(%q) error %v is not a *SyntaxError wrapping ErrSyntax", i, tt.src, err)
		}
	}
}

func TestParseString(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"( 0 | [49]11 | 1 [2-9]xx [2-9]xxxxxx )", "(0|[49]11|1[2-9]xx[2-9]xxxxxx)"},
		{"xxxx", "(xxxx)"},
		{"x | 1", "(x|1)"},
		{" \t( X\r\n| a*#d )\n", "(x|A*#D)"},
		{"[1-35-7]", "([1-35-7])"},
		{"[7 6 5 3 2 1]", "([1-35-7])"},
		{"[2-3]", "([23])"},
		{"[0-9*#ABCD]", "([0-9*#ABCD])"},
		{"[dcba]", "([ABCD])"},
		{"[0-24-68-9]", "([0-24-689])"},
		{"[5-5][5]", "([5][5])"},
		{"011xx.", "(011xx.)"},
		{"<8:1650>xxxxxxx", "(<8:1650>xxxxxxx)"},
		{"< 011 : + >x.", "(<011:+>x.)"},
		{"<a:b>", "(<A:B>)"},
		{"1 900 xxxxxxx !", "(1900xxxxxxx!)"},
		{"9, 1xxxxxxxxxx", "(9,1xxxxxxxxxx)"},
		{"1[2-9]xxxxxxxxxS0", "(1[2-9]xxxxxxxxxS0)"},
		{"xxxS1.50", "(xxxS1.5)"},
		{"xxx!S0", "(xxx!S0)"},
		{"S0 00", "(00S0)"},
		{"S1.5 x!", "(x!S1.5)"},
		{"S0 , <:1>", "(S0,<:1>)"},
		{"( S0 <:12125551234> )", "(S0<:12125551234>)"},
		{"( P5 <:1000> | xxxx )", "(P5<:1000>|xxxx)"},
		{"( P0.5 <:1000> )", "(P0.5<:1000>)"},
		{"L:8,S:4,( xxx )", "L:8,S:4,(xxx)"},
		{"S : 4 , L : 8 , xxx", "L:8,S:4,(xxx)"},
		{"S:0.25,xxx", "S:0.25,(xxx)"},
		{"L:010,xxx", "L:10,(xxx)"},
	}
	for i, tt := range tests {
		m, err := Parse(tt.src)
		if err != nil {
			t.Fatalf("#%d: Parse(%q): %v", i, tt.src, err)
		}
		got := m.String()
		if got != tt.want {
			t.Errorf("#%d: Parse(%q).String() = %q, want %q", i, tt.src, got, tt.want)
		}
		again, err := Parse(got)
		if err != nil {
			t.Fatalf("#%d: Parse(%q) of the normalised form: %v", i, got, err)
		}
		if again.String() != got {
			t.Errorf("#%d: normalised form %q reparses as %q", i, got, again.String())
		}
	}
}

func TestTimers(t *testing.T) {
	tests := []struct {
		src         string
		short, long time.Duration
	}{
		{"xxxx", 3 * time.Second, 10 * time.Second},
		{"L:8,S:4,( xxxx )", 4 * time.Second, 8 * time.Second},
		{"S:4,L:8,( xxxx )", 4 * time.Second, 8 * time.Second},
		{"L:15,xxxx", 3 * time.Second, 15 * time.Second},
		{"S:1.5,xxxx", 1500 * time.Millisecond, 10 * time.Second},
		{"S:0,L:0,xxxx", 0, 0},
		{"L:0.001,xxxx", 3 * time.Second, time.Millisecond},
		{"L:3600,xxxx", 3 * time.Second, time.Hour},
		{"( xxxxS1 )", 3 * time.Second, 10 * time.Second}, // a rule's S is not the plan's
		{"S0 <:1234>", 3 * time.Second, 10 * time.Second},
	}
	for i, tt := range tests {
		m, err := Parse(tt.src)
		if err != nil {
			t.Fatalf("#%d: Parse(%q): %v", i, tt.src, err)
		}
		short, long := m.Timers()
		if short != tt.short || long != tt.long {
			t.Errorf("#%d: %s Timers() = %v, %v; want %v, %v", i, tt.src, short, long, tt.short, tt.long)
		}
	}
}
