package testpeer

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNewSippArgs(t *testing.T) {
	dir := t.TempDir()
	s, args, err := newSipp(SippConfig{
		Scenario: "testdata/call.xml",
		Remote:   "127.0.0.1:5060",
		Local:    "127.0.0.2",
		Port:     5099,
		Args:     []string{"-s", "1001"},
	}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Addr().String(); got != "127.0.0.2:5099" {
		t.Errorf("Addr: got %s, want 127.0.0.2:5099", got)
	}
	if s.timeout != defaultSippTimeout {
		t.Errorf("timeout: got %v, want %v", s.timeout, defaultSippTimeout)
	}
	line := strings.Join(args, " ")
	abs, _ := filepath.Abs("testdata/call.xml")
	for _, want := range []string{
		"-sf " + abs,
		"-i 127.0.0.2 -p 5099",
		"-m 1",
		"-timeout 10s -timeout_error",
		"-error_file " + filepath.Join(dir, "errors.log"),
		"-s 1001 127.0.0.1:5060", // extra arguments, then the remote last
	} {
		if !strings.Contains(line, want) {
			t.Errorf("sipp command line lacks %q: %s", want, line)
		}
	}
	for _, flag := range []string{"-mi", "-ci"} {
		i := slices.Index(args, flag)
		if i < 0 || args[i+1] != "127.0.0.2" {
			t.Errorf("%s not bound to the local IP: %s", flag, line)
		}
	}

	// A built-in scenario and a UAS: no remote.
	_, args, err = newSipp(SippConfig{Scenario: "uas", Timeout: 1500 * time.Millisecond}, dir)
	if err != nil {
		t.Fatal(err)
	}
	line = strings.Join(args, " ")
	if !strings.HasPrefix(line, "-sn uas ") || !strings.Contains(line, "-i 127.0.0.1 ") || !strings.Contains(line, "-timeout 2s") {
		t.Errorf("built-in UAS command line: %s", line)
	}
	if last := args[len(args)-1]; strings.Contains(last, ":") {
		t.Errorf("UAS got a remote %q", last)
	}
}

func TestNewSippRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  SippConfig
	}{
		{"no scenario", SippConfig{}},
		{"missing scenario file", SippConfig{Scenario: "testdata/nope.xml"}},
		{"local not loopback", SippConfig{Scenario: "uac", Local: "192.0.2.1"}},
		{"local not an IP", SippConfig{Scenario: "uac", Local: "localhost"}},
		{"remote not loopback", SippConfig{Scenario: "uac", Remote: "192.0.2.1:5060"}},
		{"remote without port", SippConfig{Scenario: "uac", Remote: "127.0.0.1"}},
		{"port out of range", SippConfig{Scenario: "uac", Port: 70000}},
		{"negative timeout", SippConfig{Scenario: "uac", Timeout: -time.Second}},
	}
	for i, tc := range tests {
		if _, _, err := newSipp(tc.cfg, t.TempDir()); !errors.Is(err, errBadConfig) {
			t.Errorf("#%d %s: got %v, want %v", i, tc.name, err, errBadConfig)
		}
	}
}
