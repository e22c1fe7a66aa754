package testpeer

import (
	_ "embed"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"text/template"
)

// kamailioCfgTemplate is the routing script; see the file for what it does.
//
//go:embed kamailio.cfg.tmpl
var kamailioCfgTemplate string

// defaultKamailioAddr is used when KamailioConfig.Addr is empty.
const defaultKamailioAddr = "127.0.0.1:0"

type cfgUser struct{ Name, Password string }

// renderKamailioCfg checks cfg and returns the kamailio.cfg text for a
// server listening on listen.
func renderKamailioCfg(cfg KamailioConfig, listen netip.AddrPort) (string, error) {
	if err := checkDomain(cfg.Domain); err != nil {
		return "", err
	}
	users := make([]cfgUser, 0, len(cfg.Users))
	for name, password := range cfg.Users {
		if err := checkUser(name, password); err != nil {
			return "", err
		}
		users = append(users, cfgUser{name, password})
	}
	slices.SortFunc(users, func(a, b cfgUser) int { return strings.Compare(a.Name, b.Name) })

	tmpl, err := template.New("kamailio.cfg").Parse(kamailioCfgTemplate)
	if err != nil {
		return "", fmt.Errorf("parse kamailio.cfg template: %w", err)
	}
	maxExp := cfg.MaxExpires
	switch {
	case maxExp == 0:
		maxExp = 3600
	case maxExp < 1 || maxExp > 86400:
		return "", fmt.Errorf("kamailio: MaxExpires %d out of 1..86400", maxExp)
	}
	var b strings.Builder
	err = tmpl.Execute(&b, struct {
		Domain     string
		Listen     string
		Users      []cfgUser
		MinExpires int
		MaxExpires int
	}{cfg.Domain, listen.String(), users, min(60, maxExp), maxExp})
	if err != nil {
		return "", fmt.Errorf("render kamailio.cfg: %w", err)
	}
	return b.String(), nil
}

// kamailioListenAddr parses KamailioConfig.Addr: a loopback address and a
// port, where port 0 asks for a free one.
func kamailioListenAddr(s string) (netip.AddrPort, error) {
	if s == "" {
		s = defaultKamailioAddr
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("%w: Addr %q: %w", errBadConfig, s, err)
	}
	if !ap.Addr().IsLoopback() {
		return netip.AddrPort{}, fmt.Errorf("%w: Addr %q is not a loopback address", errBadConfig, s)
	}
	if ap.Port() != 0 {
		return ap, nil
	}
	port, err := freeUDPPort(ap.Addr().String())
	if err != nil {
		return netip.AddrPort{}, err
	}
	return netip.AddrPortFrom(ap.Addr(), uint16(port)), nil
}

// checkDomain accepts a host name or IPv4 address: letters, digits, dots and
// hyphens, as it goes into the script unquoted in places.
func checkDomain(d string) error {
	if d == "" || len(d) > 253 || d[0] == '.' || d[0] == '-' {
		return fmt.Errorf("%w: Domain %q: want a host name like handset.test", errBadConfig, d)
	}
	for _, r := range d {
		if !isAlnum(r) && r != '.' && r != '-' {
			return fmt.Errorf("%w: Domain %q: character %q not allowed", errBadConfig, d, r)
		}
	}
	return nil
}

// checkUser keeps user names to characters that are safe in a SIP URI and
// in an htable key, and passwords to printable ASCII that needs no escaping
// inside a kamailio string literal.
func checkUser(name, password string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("%w: user name %q: want 1 to 64 characters", errBadConfig, name)
	}
	for _, r := range name {
		if !isAlnum(r) && !strings.ContainsRune("._-+", r) {
			return fmt.Errorf("%w: user name %q: character %q not allowed", errBadConfig, name, r)
		}
	}
	if password == "" || len(password) > 128 {
		return fmt.Errorf("%w: password of %q: want 1 to 128 characters", errBadConfig, name)
	}
	for _, r := range password {
		if r < 0x20 || r > 0x7e || strings.ContainsRune(`"\$`, r) {
			return fmt.Errorf("%w: password of %q: character %q not allowed", errBadConfig, name, r)
		}
	}
	return nil
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
