package provision

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseOption66(t *testing.T) {
	tests := []struct {
		raw, want, err string
	}{
		{"prov.example.com", "https://prov.example.com/", ""},
		{"prov.example.com\n", "https://prov.example.com/", ""},
		{"prov.example.com\x00\x00", "https://prov.example.com/", ""},
		{"  10.0.0.5  ", "https://10.0.0.5/", ""},
		{"prov.example.com:8443/phones", "https://prov.example.com:8443/phones/", ""},
		{"https://prov.example.com/phones/", "https://prov.example.com/phones/", ""},
		{"HTTPS://prov.example.com/a%20b", "https://prov.example.com/a%20b/", ""},
		{"[2001:db8::1]:8443", "https://[2001:db8::1]:8443/", ""},
		{"", "", "option 66 is empty"},
		{"\x00", "", "option 66 is empty"},
		{"bad", "", `udhcpc reports "bad"`},
		{"http://prov.example.com/", "", "only https://"},
		{"tftp://10.0.0.5/", "", "only https://"},
		{"https://user:pw@prov.example.com/", "", "user name or password"},
		{"https:///phones", "", "names no server"},
		{"https://prov.example.com/?x=1", "", "without"},
		{"prov example.com", "", "not a URL"},
	}
	for _, tt := range tests {
		got, err := ParseOption66(tt.raw)
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("ParseOption66(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseOption66(%q) = %q, %v; want an error with %q", tt.raw, got, err, tt.err)
		case tt.err != "" && strings.Contains(err.Error(), "pw@"):
			t.Errorf("ParseOption66(%q): the error shows the password: %v", tt.raw, err)
		}
	}
}

func TestReadOption66(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dhcp-opt66")
	if _, err := readOption66(path); !errors.Is(err, ErrNoServer) {
		t.Errorf("no file: %v, want ErrNoServer", err)
	}
	if err := os.WriteFile(path, []byte("prov.example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := readOption66(path); err != nil || got != "https://prov.example.com/" {
		t.Errorf("readOption66 = %q, %v", got, err)
	}
}
