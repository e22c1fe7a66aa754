package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// lookup finds the value at a dotted path in a parsed document.
func lookup(root *table, path string) *value {
	t := root
	parts := strings.Split(path, ".")
	for i, p := range parts {
		v := t.entries[p]
		if v == nil || i == len(parts)-1 {
			return v
		}
		if v.kind != kindTable {
			return nil
		}
		t = v.tbl
	}
	return nil
}

// scalarOf strips a value to what the tests compare.
func scalarOf(v value) any {
	switch v.kind {
	case kindString:
		return v.str
	case kindInteger:
		return v.num
	case kindFloat:
		return v.flt
	case kindBool:
		return v.b
	case kindArray:
		out := make([]any, len(v.arr))
		for i, e := range v.arr {
			out[i] = scalarOf(e)
		}
		return out
	}
	return v.kind
}

func TestParseValues(t *testing.T) {
	tests := []struct {
		src  string
		path string
		want any
		line int
	}{
		{`a = "plain"`, "a", "plain", 1},
		{`a = "q\"b\\s\nn\tt"`, "a", "q\"b\\s\nn\tt", 1},
		{`a = "\b\f\r"`, "a", "\b\f\r", 1},
		{`a = "caf\u00e9 \U0001F4DE"`, "a", "café 📞", 1},
		{`a = 'C:\path\n'`, "a", `C:\path\n`, 1},
		{`a = ""`, "a", "", 1},
		{`a = "ünïcödé"`, "a", "ünïcödé", 1},
		{`a = "# not a comment" # a comment`, "a", "# not a comment", 1},
		{"a = 42", "a", int64(42), 1},
		{"a = +7", "a", int64(7), 1},
		{"a = -7", "a", int64(-7), 1},
		{"a = 0", "a", int64(0), 1},
		{"a = 1_000_000", "a", int64(1000000), 1},
		{"a = 9223372036854775807", "a", int64(9223372036854775807), 1},
		{"a = 1.5", "a", 1.5, 1},
		{"a = -0.25", "a", -0.25, 1},
		{"a = 1e3", "a", 1000.0, 1},
		{"a = 2.5E-1", "a", 0.25, 1},
		{"a = 1_0.0_1", "a", 10.01, 1},
		{"a = true", "a", true, 1},
		{"a = false", "a", false, 1},
		{"a = [1, 2, 3]", "a", []any{int64(1), int64(2), int64(3)}, 1},
		{`a = ["x", 'y',]`, "a", []any{"x", "y"}, 1},
		{"a = []", "a", []any{}, 1},
		{"a = [\n  \"x\", # first\n\n  # a comment line\n  \"y\",\n]\nb = 1", "a", []any{"x", "y"}, 1},
		{"a = [\n1\n,\n2]", "a", []any{int64(1), int64(2)}, 1},
		{"\n\n  a = 1   # indented", "a", int64(1), 3},
		{"\t a\t=\t1", "a", int64(1), 1},
		{"[t]\na = 1", "t.a", int64(1), 2},
		{"[ t ]\na = 1", "t.a", int64(1), 2},
		{"[t.u]\na = 1", "t.u.a", int64(1), 2},
		{"[ t . u ] # c\na = 1", "t.u.a", int64(1), 2},
		{"[\"quoted key\".'lit']\na = 1", "quoted key.lit.a", int64(1), 2},
		{"[t.u]\n[t]\na = 1", "t.a", int64(1), 3},
		{`"a b" = 1`, "a b", int64(1), 1},
		{`'lit' = 1`, "lit", int64(1), 1},
		{"1 = \"one\"", "1", "one", 1},
		{"bare-key_2 = 1", "bare-key_2", int64(1), 1},
	}
	for i, tt := range tests {
		root, probs := docProblems(tt.src)
		if len(probs) > 0 {
			t.Errorf("#%d %q: unexpected problems:\n%v", i, tt.src, probs)
			continue
		}
		v := lookup(root, tt.path)
		if v == nil {
			t.Errorf("#%d %q: %s not found", i, tt.src, tt.path)
			continue
		}
		if got := scalarOf(*v); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("#%d %q: %s = %#v, want %#v", i, tt.src, tt.path, got, tt.want)
		}
		if v.line != tt.line {
			t.Errorf("#%d %q: %s on line %d, want %d", i, tt.src, tt.path, v.line, tt.line)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []wantProblem
	}{
		// Unreadable lines.
		{"a = \"\xff\"", []wantProblem{{1, "", "not valid UTF-8"}}},
		{"a = \"x\x00\"", []wantProblem{{1, "", "control character U+0000"}}},
		{"a = 1\rb = 2", []wantProblem{{1, "", "control character U+000D"}}},
		{"a = \"\x7f\"", []wantProblem{{1, "", "control character U+007F"}}},
		// Headers.
		{"[[t]]", []wantProblem{{1, "", "arrays of tables"}}},
		{"[t", []wantProblem{{1, "t", `expected "]"`}}},
		{"[t u]", []wantProblem{{1, "t", `expected "]"`}}},
		{"[]", []wantProblem{{1, "", `unexpected ']': expected a key`}}},
		{"[t.]", []wantProblem{{1, "", "expected a key"}}},
		{"[t] x", []wantProblem{{1, "t", "unexpected 'x' after the end"}}},
		{"[t]\n[t]", []wantProblem{{2, "t", "duplicate table [t]: it was already started on line 1"}}},
		{"[t.u]\n[t.u]", []wantProblem{{2, "t.u", "duplicate table [t.u]"}}},
		{"t = 1\n[t]", []wantProblem{{2, "t", "already set as a key on line 1"}}},
		{"[t]\nu = 1\n[t.u.v]", []wantProblem{{3, "t.u", "already set as a key on line 2"}}},
		// Keys.
		{"a.b = 1", []wantProblem{{1, "a", "dotted keys are not supported"}}},
		{"a 1", []wantProblem{{1, "a", `expected "=" after the key "a"`}}},
		{"a", []wantProblem{{1, "a", `expected "="`}}},
		{"= 1", []wantProblem{{1, "", `missing key before "="`}}},
		{"!a = 1", []wantProblem{{1, "", `unexpected '!': expected a key`}}},
		{"ä = 1", []wantProblem{{1, "", `unexpected 'ä'`}}},
		{`"a = 1`, []wantProblem{{1, "", "unterminated string"}}},
		{"a = 1\na = 2", []wantProblem{{2, "a", "duplicate key: it was already set on line 1"}}},
		{"[t]\na = 1\n[u]\n[t.x]\na = 2", nil},
		{"[t]\na = 1\n[u]\n[t]\na = 2", []wantProblem{{4, "t", "duplicate table"}, {5, "t.a", "duplicate key"}}},
		// Values.
		{"a =", []wantProblem{{1, "a", `missing value after "="`}}},
		{"a = # c", []wantProblem{{1, "a", "missing value"}}},
		{"a = 1 2", []wantProblem{{1, "a", `unexpected '2' after the end of the statement`}}},
		{`a = "x" "y"`, []wantProblem{{1, "a", "after the end of the statement"}}},
		{"a = {b = 1}", []wantProblem{{1, "a", "inline tables"}}},
		{"a = }", []wantProblem{{1, "a", "unexpected '}': expected a value"}}},
		{`a = "abc`, []wantProblem{{1, "a", `unterminated string: add the closing "`}}},
		{`a = 'abc`, []wantProblem{{1, "a", "unterminated string: add the closing '"}}},
		{`a = """x"""`, []wantProblem{{1, "a", "multi-line strings"}}},
		{`a = '''x'''`, []wantProblem{{1, "a", "multi-line strings"}}},
		{`a = "\q"`, []wantProblem{{1, "a", `invalid escape sequence \q`}}},
		{`a = "\u12"`, []wantProblem{{1, "a", `want 4 hex digits`}}},
		{`a = "\U0001F4D"`, []wantProblem{{1, "a", `want 8 hex digits`}}},
		{`a = "\uD800"`, []wantProblem{{1, "a", "not a valid Unicode character"}}},
		{`a = "\UFFFFFFFF"`, []wantProblem{{1, "a", "not a valid Unicode character"}}},
		{"a = \"x\\", []wantProblem{{1, "a", "unterminated string"}}},
		{"a = udp", []wantProblem{{1, "a", `invalid value "udp": text must be in quotes`}}},
		{"a = True", []wantProblem{{1, "a", "text must be in quotes"}}},
		{"a = 007", []wantProblem{{1, "a", "leading zeros"}}},
		{"a = 01.5", []wantProblem{{1, "a", "leading zeros"}}},
		{"a = 0x1F", []wantProblem{{1, "a", "hexadecimal, octal and binary"}}},
		{"a = 0o17", []wantProblem{{1, "a", "hexadecimal, octal and binary"}}},
		{"a = 0b101", []wantProblem{{1, "a", "hexadecimal, octal and binary"}}},
		{"a = inf", []wantProblem{{1, "a", "inf and nan"}}},
		{"a = -nan", []wantProblem{{1, "a", "inf and nan"}}},
		{"a = 2024-01-31", []wantProblem{{1, "a", "dates and times"}}},
		{"a = 07:32:00", []wantProblem{{1, "a", "dates and times"}}},
		{"a = 1__0", []wantProblem{{1, "a", "not a valid number"}}},
		{"a = _10", []wantProblem{{1, "a", "not a valid number"}}},
		{"a = 10_", []wantProblem{{1, "a", "not a valid number"}}},
		{"a = 1.", []wantProblem{{1, "a", "a decimal point needs digits"}}},
		{"a = .5", []wantProblem{{1, "a", "not a valid number"}}},
		{"a = 1e", []wantProblem{{1, "a", "the exponent needs digits"}}},
		{"a = 1e+-5", []wantProblem{{1, "a", "not a valid number"}}},
		{"a = 1.5.5", []wantProblem{{1, "a", "not a valid number"}}},
		{"a = 3600s", []wantProblem{{1, "a", `invalid value "3600s": not a valid number`}}},
		{"a = -", []wantProblem{{1, "a", "not a valid number"}}},
		{"a = 9223372036854775808", []wantProblem{{1, "a", "integer out of range"}}},
		{"a = 1e999", []wantProblem{{1, "a", "float out of range"}}},
		// Arrays.
		{"a = [[1]]", []wantProblem{{1, "a", "arrays inside arrays"}}},
		{"a = [{b = 1}]", []wantProblem{{1, "a", "inline tables"}}},
		{"a = [1 2]", []wantProblem{{1, "a", `expected "," or "]" after an array element, found '2'`}}},
		{"a = [1,,2]", []wantProblem{{1, "a", `unexpected "," in the array`}}},
		{"a = [,]", []wantProblem{{1, "a", `unexpected "," in the array`}}},
		{"a = [PCMU, 2]", []wantProblem{{1, "a", `invalid value "PCMU"`}}},
		{"a = [\"x\",\n  \"y\n]", []wantProblem{{2, "a", "unterminated string"}}},
		{"a = [1, 2", []wantProblem{{1, "a", `the array that starts on this line has no closing "]"`}}},
		{"a = [\n  1,\n  2,\n", []wantProblem{{1, "a", `no closing "]"`}}},
		{"a = [\"x\"\nb = 1", []wantProblem{{1, "a", `no closing "]"`}}},
		{"a = [\"x\",\n  [t]\nb = 1", []wantProblem{{1, "a", `no closing "]"`}}},
	}
	for i, tt := range tests {
		_, probs := docProblems(tt.src)
		checkProblems(t, fmt.Sprintf("#%d %q", i, tt.src), probs, tt.want)
	}
}
