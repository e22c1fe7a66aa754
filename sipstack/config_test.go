package sipstack

import (
	"errors"
	"testing"
	"time"
)

func TestConfigCheck(t *testing.T) {
	ok := Config{User: "alice", ListenAddr: "0.0.0.0:5060"}
	tests := []struct {
		name string
		mod  func(*Config)
		bad  bool
	}{
		{"minimal", func(*Config) {}, false},
		{"full", func(c *Config) {
			c.Registrar, c.OutboundProxy, c.Domain = "pbx.example:5080", "[2001:db8::1]:5060", "example.org"
			c.ContactHost, c.Expiry, c.DisplayName = "192.0.2.10", 600*time.Second, "Front Desk"
		}, false},
		{"no user", func(c *Config) { c.User = "" }, true},
		{"user with @", func(c *Config) { c.User = "a@b" }, true},
		{"user with space", func(c *Config) { c.User = "a b" }, true},
		{"no listen", func(c *Config) { c.ListenAddr = "" }, true},
		{"listen without port", func(c *Config) { c.ListenAddr = "127.0.0.1" }, true},
		{"listen host name", func(c *Config) { c.ListenAddr = "phone:5060" }, true},
		{"registrar bad port", func(c *Config) { c.Registrar = "pbx:99999" }, true},
		{"registrar empty port", func(c *Config) { c.Registrar = "pbx:" }, true},
		{"registrar with scheme", func(c *Config) { c.Registrar = "sip:pbx" }, true},
		{"registrar bare IPv6", func(c *Config) { c.Registrar = "2001:db8::1" }, false},
		{"proxy unclosed bracket", func(c *Config) { c.OutboundProxy = "[2001:db8::1" }, true},
		{"domain with path", func(c *Config) { c.Domain = "pbx/x" }, true},
		{"contact host name", func(c *Config) { c.ContactHost = "phone.local" }, true},
		{"contact unspecified", func(c *Config) { c.ContactHost = "0.0.0.0" }, true},
		{"display name quote", func(c *Config) { c.DisplayName = `a"b` }, true},
		{"user agent CRLF", func(c *Config) { c.UserAgent = "x\r\nVia: evil" }, true},
		{"expiry too small", func(c *Config) { c.Expiry = time.Millisecond }, true},
	}
	for i, tc := range tests {
		c := ok
		tc.mod(&c)
		_, err := c.check()
		if tc.bad != (err != nil) {
			t.Errorf("#%d %s: err = %v, want bad=%v", i, tc.name, err, tc.bad)
		}
		if err != nil && !errors.Is(err, ErrConfig) {
			t.Errorf("#%d %s: %v is not ErrConfig", i, tc.name, err)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	s, err := Config{User: "alice", Registrar: "PBX.example:5070", ListenAddr: "[::ffff:127.0.0.1]:0"}.check()
	if err != nil {
		t.Fatal(err)
	}
	if s.domain != (hostPort{host: "pbx.example"}) || s.authUser != "alice" || s.expiry != time.Hour ||
		s.userAgent != "handset" || s.listen.Addr().String() != "127.0.0.1" {
		t.Errorf("defaults: %+v", s)
	}
	if got := (hostPort{host: "2001:db8::1", port: 5060}).String(); got != "[2001:db8::1]:5060" {
		t.Errorf("IPv6 hostPort = %s", got)
	}
}
