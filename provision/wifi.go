package provision

import (
	"bytes"
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"handset/config"
)

// WPAConfig returns the wpa_supplicant configuration that joins the
// network w names, or nil when w names none (SSID ""). The SSID is written
// in hex and the passphrase as its derived 256-bit key (PBKDF2-SHA1, as
// wpa_passphrase does), so no quoting can go wrong and the passphrase
// itself is not stored. The control socket is /var/run/wpa_supplicant, for
// wpa_cli.
func WPAConfig(w config.WiFi) ([]byte, error) {
	if w.SSID == "" {
		return nil, nil
	}
	var b bytes.Buffer
	b.WriteString("# Written at boot by \"handset provision\" from the [wifi] section of the\n")
	b.WriteString("# configuration. Not kept on any disk; edit handset.toml instead.\n")
	b.WriteString("ctrl_interface=/var/run/wpa_supplicant\n")
	if w.Country != "" {
		fmt.Fprintf(&b, "country=%s\n", w.Country)
	}
	b.WriteString("network={\n")
	fmt.Fprintf(&b, "\tssid=%s\n", hex.EncodeToString([]byte(w.SSID)))
	if w.Hidden {
		b.WriteString("\tscan_ssid=1\n")
	}
	if w.Password == "" {
		b.WriteString("\tkey_mgmt=NONE\n")
	} else {
		psk, err := wpaPSK(string(w.Password), w.SSID)
		if err != nil {
			return nil, err
		}
		b.WriteString("\tkey_mgmt=WPA-PSK\n")
		fmt.Fprintf(&b, "\tpsk=%s\n", psk)
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// wpaPSK returns the 64-hex-digit WPA key of a passphrase, or the
// passphrase itself when it is such a key already.
func wpaPSK(pass, ssid string) (string, error) {
	if len(pass) == 64 && strings.Trim(pass, "0123456789abcdefABCDEF") == "" {
		return strings.ToLower(pass), nil
	}
	if len(pass) < 8 || len(pass) > 63 {
		return "", errors.New("wifi password: a WPA passphrase is 8 to 63 characters long")
	}
	key, err := pbkdf2.Key(sha1.New, pass, []byte(ssid), 4096, 32)
	if err != nil {
		return "", fmt.Errorf("wifi password: %w", err)
	}
	return hex.EncodeToString(key), nil
}

// WriteWiFi writes the wpa_supplicant configuration for w to path with
// mode 0600, atomically, and reports whether w names a network. With no
// network it removes a stale file at path.
func WriteWiFi(path string, w config.WiFi) (bool, error) {
	conf, err := WPAConfig(w)
	if err != nil {
		return false, err
	}
	if conf == nil {
		if err := replaceFiles(filepath.Dir(path), []change{{name: filepath.Base(path)}}, 0o600); err != nil {
			return false, err
		}
		return false, nil
	}
	return true, writeFileAtomic(path, conf, 0o600)
}
