package config

import (
	"log/slog"
	"strings"
)

// LogValue implements slog.LogValuer: a summary of the configuration that is
// safe to log. The password shows only as "(set)" or "(empty)".
func (c Config) LogValue() slog.Value {
	a := c.Account
	return slog.GroupValue(
		slog.Int("version", c.Version),
		slog.Group("account",
			slog.String("user", a.User),
			slog.String("auth_user", a.AuthUser),
			slog.String("password", a.Password.String()),
			slog.String("domain", a.Domain),
			slog.String("registrar", a.Registrar),
			slog.String("outbound_proxy", a.OutboundProxy),
			slog.String("transport", string(a.Transport)),
			slog.Int("local_port", a.LocalPort),
			slog.Duration("expiry", a.Expiry),
		),
		slog.Group("dialing",
			slog.String("hotline", c.Dialing.Hotline),
			slog.String("warm_line", c.Dialing.WarmLine),
			slog.Int("speed_dials", len(c.SpeedDial)),
		),
		slog.String("codecs", codecList(c.Media.Codecs)),
		slog.String("tones", string(c.Tones.Country)),
		slog.Bool("allow_direct_calls", c.Security.AllowDirectCalls),
		slog.String("log_level", c.Log.Level.String()),
		slog.String("board", string(c.Board.Model)),
		slog.Group("wifi",
			slog.String("ssid", c.WiFi.SSID),
			slog.String("password", c.WiFi.Password.String()),
			slog.String("country", c.WiFi.Country),
		),
		slog.Group("provisioning",
			slog.String("url", c.Provisioning.URL),
			slog.Bool("dhcp", c.Provisioning.DHCP),
			slog.Duration("interval", c.Provisioning.Interval),
		),
	)
}

// codecList joins codec names with commas.
func codecList(codecs []Codec) string {
	names := make([]string, len(codecs))
	for i, c := range codecs {
		names[i] = string(c)
	}
	return strings.Join(names, ",")
}
