package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handset/config"
)

func TestWPAPSK(t *testing.T) {
	// The test vectors of IEEE 802.11i, annex H.4.
	tests := []struct{ pass, ssid, want string }{
		{"password", "IEEE", "f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e"},
		{"ThisIsAPassword", "ThisIsASSID", "0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af"},
		{strings.Repeat("AB", 32), "any", strings.Repeat("ab", 32)},
	}
	for _, tt := range tests {
		got, err := wpaPSK(tt.pass, tt.ssid)
		if err != nil || got != tt.want {
			t.Errorf("wpaPSK(%q, %q) = %q, %v; want %q", tt.pass, tt.ssid, got, err, tt.want)
		}
	}
	if _, err := wpaPSK("short", "x"); err == nil {
		t.Error("a 5-character passphrase was accepted")
	}
}

func TestWPAConfig(t *testing.T) {
	tests := []struct {
		name string
		w    config.WiFi
		want []string
		not  []string
	}{
		{"none", config.WiFi{}, nil, nil},
		{"wpa", config.WiFi{SSID: "IEEE", Password: "password", Country: "DE"}, []string{
			"ctrl_interface=/var/run/wpa_supplicant\n",
			"country=DE\n",
			"\tssid=49454545\n",
			"\tkey_mgmt=WPA-PSK\n",
			"\tpsk=f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e\n",
		}, []string{"password\n", "scan_ssid"}},
		{"open and hidden, awkward name", config.WiFi{SSID: `a "b" #c`, Hidden: true}, []string{
			"\tssid=6120226222202363\n",
			"\tscan_ssid=1\n",
			"\tkey_mgmt=NONE\n",
		}, []string{"country=", "psk="}},
	}
	for _, tt := range tests {
		got, err := WPAConfig(tt.w)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if tt.want == nil {
			if got != nil {
				t.Errorf("%s: got a config for no network:\n%s", tt.name, got)
			}
			continue
		}
		s := string(got)
		for _, w := range tt.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s: config lacks %q:\n%s", tt.name, w, s)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(s, n) {
				t.Errorf("%s: config has %q:\n%s", tt.name, n, s)
			}
		}
		if strings.Count(s, "network={\n") != 1 || !strings.HasSuffix(s, "\n}\n") {
			t.Errorf("%s: malformed network block:\n%s", tt.name, s)
		}
	}
}

func TestWriteWiFi(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run", "handset")
	path := filepath.Join(dir, "wpa_supplicant.conf")
	ok, err := WriteWiFi(path, config.WiFi{SSID: "home", Password: "correct horse"})
	if err != nil || !ok {
		t.Fatalf("WriteWiFi = %v, %v", ok, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "correct horse") {
		t.Errorf("the passphrase is stored in clear:\n%s", data)
	}
	ok, err = WriteWiFi(path, config.WiFi{})
	if err != nil || ok {
		t.Fatalf("WriteWiFi(no network) = %v, %v", ok, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a stale file is left: %v", err)
	}
	if _, err := WriteWiFi(path, config.WiFi{}); err != nil {
		t.Errorf("WriteWiFi(no network) twice: %v", err)
	}
}
