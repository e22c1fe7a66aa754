package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const testPassword = "hunter2-XyZ"

// configWithPassword parses a file whose password is testPassword.
func configWithPassword(t *testing.T) Config {
	t.Helper()
	c, err := Parse("t.toml", []byte(`version = 1
[account]
user = "1001"
password = "`+testPassword+`"
domain = "pbx.example.com"
`))
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Account.Password) != testPassword {
		t.Fatalf("password decoded as %q", string(c.Account.Password))
	}
	return c
}

func TestLogValueHidesPassword(t *testing.T) {
	c := configWithPassword(t)
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		log := slog.New(h)
		log.Info("config", "cfg", c)
		log.Info("account", "account", c.Account)          // no LogValue of its own
		log.Info("secret", "password", c.Account.Password) // LogValuer
	}
	out := buf.String()
	if strings.Contains(out, testPassword) {
		t.Fatalf("log output shows the password:\n%s", out)
	}
	for _, want := range []string{`"password":"(set)"`, "cfg.account.password=(set)", "cfg.account.user=1001", "password=(set)"} {
		if !strings.Contains(out, want) {
			t.Errorf("log output lacks %q:\n%s", want, out)
		}
	}
}

func TestSecretFormatting(t *testing.T) {
	c := configWithPassword(t)
	outs := []string{
		fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c),
		fmt.Sprintf("%s %q %x %d", c.Account.Password, c.Account.Password, c.Account.Password, c.Account.Password),
		c.Account.Password.String(),
	}
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(js))
	for _, s := range outs {
		if strings.Contains(s, testPassword) || !strings.Contains(s, "(set)") {
			t.Errorf("output shows the password or lacks (set): %s", s)
		}
	}
	if got := fmt.Sprint(Secret("")); got != "(empty)" {
		t.Errorf("empty secret prints %q", got)
	}
}
