package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProvisionCommand(t *testing.T) {
	tests := []struct {
		name     string
		file     string // "" for no file
		wantCode int
		wantOut  []string
		wantWiFi bool
	}{
		{
			name:     "valid with Wi-Fi",
			file:     "version = 1\n[wifi]\nssid = \"home\"\npassword = \"correct horse\"\ncountry = \"gb\"\n",
			wantCode: exitOK,
			wantOut:  []string{`wifi: network "home" written to`, "configuration: OK"},
			wantWiFi: true,
		},
		{
			name:     "valid without Wi-Fi",
			file:     "version = 1\n",
			wantCode: exitOK,
			wantOut:  []string{"wifi: no network configured", "configuration: OK"},
		},
		{
			name:     "invalid: every problem with its line, no Wi-Fi written",
			file:     "version = 1\n[wifi]\nssid = \"home\"\npassword = \"short\"\n[account]\nexipry = 60\n",
			wantCode: exitFailure,
			wantOut:  []string{"handset.toml:4: wifi.password:", "handset.toml:6: account.exipry: unknown key", "2 problem(s)"},
		},
		{
			name:     "missing",
			wantCode: exitFailure,
			wantOut:  []string{"configuration: config: no configuration file"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			local := filepath.Join(dir, "boot", "handset.toml")
			wifi := filepath.Join(dir, "run", "handset", "wpa_supplicant.conf")
			if tt.file != "" {
				if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(local, []byte(tt.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var stdout, stderr bytes.Buffer
			code := provisionCommand(context.Background(), []string{
				"--config", local, "--cache", filepath.Join(dir, "data"), "--wifi", wifi, "--dhcp", filepath.Join(dir, "opt66"),
			}, &stdout, &stderr)
			out := stdout.String()
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.wantCode, out, stderr.String())
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out+stderr.String(), "correct horse") || strings.Contains(out+stderr.String(), "short") {
				t.Errorf("output shows a password:\n%s%s", out, stderr.String())
			}
			fi, err := os.Stat(wifi)
			switch {
			case tt.wantWiFi && (err != nil || fi.Mode().Perm() != 0o600):
				t.Errorf("wpa_supplicant.conf: %v (mode %v), want mode 0600", err, fi.Mode())
			case !tt.wantWiFi && err == nil:
				t.Errorf("wpa_supplicant.conf written")
			}
			if data, err := os.ReadFile(local); tt.file != "" && (err != nil || string(data) != tt.file) {
				t.Errorf("the SD card's file changed")
			}
		})
	}
}
