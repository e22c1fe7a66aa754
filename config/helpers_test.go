package config

import (
	"errors"
	"strings"
	"testing"
)

// wantProblem is an expected problem: its line, its key and a part of its
// message.
type wantProblem struct {
	line int
	key  string
	msg  string
}

// checkProblems fails t unless got holds exactly the wanted problems, in
// order.
func checkProblems(t *testing.T, name string, got Problems, want []wantProblem) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		g, w := got[i], want[i]
		ok = g.Line == w.line && g.Key == w.key && strings.Contains(g.Msg, w.msg)
	}
	if !ok {
		t.Errorf("%s: got problems\n%v\nwant %+v", name, got, want)
	}
}

// parseProblems parses src and returns its problems (nil when valid).
func parseProblems(t *testing.T, src string) Problems {
	t.Helper()
	_, err := Parse("handset.toml", []byte(src))
	if err == nil {
		return nil
	}
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Parse error is %T, want Problems: %v", err, err)
	}
	if len(probs) == 0 {
		t.Fatalf("Parse returned empty Problems as an error")
	}
	return probs
}

// docProblems runs only the TOML parser over src.
func docProblems(src string) (*table, Problems) {
	out := &collector{file: "t.toml"}
	root := parseDocument([]byte(src), out)
	return root, out.sorted()
}
