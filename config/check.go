package config

import (
	"errors"
	"fmt"
	"io"
)

// Check loads the file at path and prints to w every problem in it, or
// "<path>: OK" and a one-line summary. It returns the error Load gave, so
// that "handset check-config FILE" can exit non-zero; the error is already
// printed.
func Check(path string, w io.Writer) error {
	c, err := Load(path)
	var probs Problems
	switch {
	case errors.As(err, &probs):
		for _, p := range probs {
			fmt.Fprintln(w, p)
		}
		fmt.Fprintf(w, "%s: %d problem(s)\n", path, len(probs))
		return err
	case err != nil:
		fmt.Fprintln(w, err)
		return err
	}
	fmt.Fprintf(w, "%s: OK\n", path)
	fmt.Fprintln(w, c.summary())
	return nil
}

// summary describes the configuration in one line.
func (c Config) summary() string {
	a := c.Account
	who := "no registration (direct calls only)"
	if a.Registers() {
		who = fmt.Sprintf("%s@%s via %s", a.User, a.Domain, a.Registrar)
		if a.OutboundProxy != "" {
			who += " (proxy " + a.OutboundProxy + ")"
		}
	}
	s := fmt.Sprintf("account: %s, %s port %d, password %s; codecs %s; tones %s; board %s",
		who, a.Transport, a.LocalPort, a.Password, codecList(c.Media.Codecs), c.Tones.Country, c.Board.Model)
	if c.WiFi.SSID != "" {
		s += fmt.Sprintf("; wifi %q, password %s", c.WiFi.SSID, c.WiFi.Password)
	}
	if c.Provisioning.URL != "" {
		s += "; provisioning " + c.Provisioning.URL
	}
	return s
}
