package config

import "testing"

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{"handset.toml", 12, "account.expiry", "must be between 60 and 86400 (got 5)"},
			"handset.toml:12: account.expiry: must be between 60 and 86400 (got 5)"},
		{Problem{"handset.toml", 0, "version", "missing"}, "handset.toml: version: missing"},
		{Problem{"/boot/handset.toml", 3, "", "not valid UTF-8"}, "/boot/handset.toml:3: not valid UTF-8"},
	}
	for i, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("#%d: String() = %q, want %q", i, got, tt.want)
		}
	}
}

func TestProblemsError(t *testing.T) {
	ps := Problems{{"a.toml", 1, "x", "one"}, {"a.toml", 2, "y", "two"}}
	if got, want := ps.Error(), "a.toml:1: x: one\na.toml:2: y: two"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestCollectorSorted(t *testing.T) {
	c := &collector{file: "f"}
	c.add(5, "b", "later")
	c.add(2, "a", "first on 2")
	c.add(0, "version", "missing")
	c.add(2, "c", "second on 2")
	got := c.sorted()
	want := []string{"version", "a", "c", "b"}
	for i, p := range got {
		if p.Key != want[i] {
			t.Fatalf("sorted order %v, want keys %v", got, want)
		}
	}
}
