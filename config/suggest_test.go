package config

import "testing"

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"expiry", "expiry", 0},
		{"exipry", "expiry", 1}, // swap
		{"expiri", "expiry", 1}, // substitution
		{"expry", "expiry", 1},  // deletion
		{"expiryy", "expiry", 1},
		{"kitten", "sitting", 3},
	}
	for i, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("#%d editDistance(%q, %q) = %d, want %d", i, tt.a, tt.b, got, tt.want)
		}
		if got := editDistance(tt.b, tt.a); got != tt.want {
			t.Errorf("#%d editDistance(%q, %q) = %d, want %d", i, tt.b, tt.a, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"user", "expiry", "domain", "registrar"}
	tests := []struct{ got, want string }{
		{"exipry", "expiry"},
		{"usr", "user"},
		{"registar", "registrar"},
		{"colour", ""},
		{"x", ""}, // one letter is never a typo of "user"
	}
	for _, tt := range tests {
		if s := suggest(tt.got, names); s != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.got, s, tt.want)
		}
	}
}
