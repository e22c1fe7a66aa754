package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemo: the embedded default runs two phones that call each other and
// exits 0 only if the tone went both ways.
func TestDemo(t *testing.T) {
	cmd := exec.Command(handsetBin, "demo")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("handset demo: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
	}
	for _, want := range []string{"B is ringing", "both connected", "B's earpiece heard A's 1000 Hz", "PASS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestCheckConfig: the shipped example is clean; a broken file has every
// problem listed with its line, and a non-zero exit.
func TestCheckConfig(t *testing.T) {
	run := func(path string) (string, int) {
		out, err := exec.Command(handsetBin, "check-config", path).CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return string(out), ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}
	if out, code := run("../handset.example.toml"); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("example: exit %d\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "handset.toml")
	os.WriteFile(bad, []byte("version = 1\n[account]\nexipry = 5\nlocal_port = \"x\"\n[tones]\ncountry = \"mars\"\n"), 0o600)
	out, code := run(bad)
	if code == 0 {
		t.Fatalf("broken file passed:\n%s", out)
	}
	for _, want := range []string{"handset.toml:3", "exipry", "handset.toml:4", "local_port", "handset.toml:6", "country"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestBrokenConfigPhoneStillRuns: a phone with a bad config file still
// starts, lights the error lamp and plays the error tone when lifted.
func TestBrokenConfigPhoneStillRuns(t *testing.T) {
	p := startPhone(t, "A", phoneOpts{config: "version = 1\n[account]\nlocal_port = 99999\n"})
	p.WaitEvent("led", func(e event) bool { return e.Str("led") == "error" && e.Str("pattern") == "on" }, 5*time.Second)
	p.Do("offhook")
	p.WaitEvent("tone", func(e event) bool { return e.Str("tone") == "error" }, 5*time.Second)
	p.Do("dial 1002#")
	p.Never("dialed", 500*time.Millisecond)
}
