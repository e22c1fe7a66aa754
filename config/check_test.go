package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "handset.toml")
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(good, []byte("version = 1\n[account]\nuser = \"1001\"\npassword = \"s3cret-pw\"\ndomain = \"pbx.example.com\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("version = 1\n[account]\nexpiry = 5\nlocal_port = \"x\"\n[nope]\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	var w bytes.Buffer
	if err := Check(good, &w); err != nil {
		t.Fatalf("Check(good) = %v", err)
	}
	out := w.String()
	for _, want := range []string{good + ": OK\n", "1001@pbx.example.com via pbx.example.com", "password (set)", "codecs PCMU,PCMA"} {
		if !strings.Contains(out, want) {
			t.Errorf("Check(good) output %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "s3cret") || strings.Count(out, "\n") != 2 {
		t.Errorf("Check(good) output %q: want two lines and no password", out)
	}

	w.Reset()
	err := Check(bad, &w)
	var probs Problems
	if !errors.As(err, &probs) || len(probs) != 3 {
		t.Fatalf("Check(bad) = %v, want 3 Problems", err)
	}
	wantLines := []string{
		bad + ":3: account.expiry: must be between 60 and 86400 (got 5)",
		bad + ":4: account.local_port: want an integer, got a string",
		bad + ":5: nope: unknown table [nope]",
		bad + ": 3 problem(s)",
	}
	if got := strings.Split(strings.TrimSuffix(w.String(), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("Check(bad) printed\n%s\nwant\n%s", w.String(), strings.Join(wantLines, "\n"))
	}

	w.Reset()
	err = Check(filepath.Join(dir, "missing.toml"), &w)
	if !errors.Is(err, ErrNoConfig) || !strings.Contains(w.String(), "missing.toml") {
		t.Errorf("Check(missing) = %v, printed %q", err, w.String())
	}
}

func TestSummaryWiFiAndProvisioning(t *testing.T) {
	c := Default()
	c.WiFi = WiFi{SSID: "home", Password: "wifi-secret-1"}
	c.Provisioning.URL = "https://prov.example.com/"
	s := c.summary()
	if !strings.Contains(s, `wifi "home", password (set)`) || !strings.Contains(s, "provisioning https://prov.example.com/") || strings.Contains(s, "wifi-secret-1") {
		t.Errorf("summary = %q", s)
	}
}

func TestSummaryWithoutRegistration(t *testing.T) {
	s := Default().summary()
	if !strings.Contains(s, "no registration (direct calls only)") || !strings.Contains(s, "password (empty)") {
		t.Errorf("summary = %q", s)
	}
}
