package config

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzParse checks that Parse never panics or hangs, and that what it
// reports is coherent: either a Config or a non-empty Problems whose lines
// lie within the input.
func FuzzParse(f *testing.F) {
	if example, err := os.ReadFile("../handset.example.toml"); err == nil {
		f.Add(example)
	}
	for _, seed := range []string{
		"version = 1",
		"\xef\xbb\xbfversion = 1\r\n[account]\r\nuser = \"a\"\r\n",
		"version = 1\n[media]\ncodecs = [\n\"PCMU\", # c\n\"PCMA\",\n]\n",
		"a = [1, 2\nb = \"x\\u00e9\"\n[[t]]\n[t.u]\n",
		"version = 1\n[speed_dial]\n1 = \"sip:a@b\"\n[board]\nhook = \"gpiochip0:17\"\n",
		"a = \"\\",
		"a = [\"x\", [1], {b = 1}, 'y'",
		"[a.b.c]\n[a]\nb = 1\n",
		"x = 1e999\ny = 0x10\nz = 2024-01-01\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.toml", data)
		if err == nil {
			if c.Version != 1 {
				t.Fatalf("valid config with version %d", c.Version)
			}
			return
		}
		var probs Problems
		if !errors.As(err, &probs) || len(probs) == 0 {
			t.Fatalf("error %v is not a non-empty Problems", err)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, p := range probs {
			if p.Line < 0 || p.Line > lines || p.Msg == "" || p.File != "fuzz.toml" {
				t.Fatalf("incoherent problem %+v (input has %d lines)", p, lines)
			}
		}
	})
}
