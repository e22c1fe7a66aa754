package config

import (
	"fmt"
	"maps"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file checks a decoded Config: ranges, keywords, and the rules
// between keys. It runs in two passes. The values pass runs after each
// source is decoded and checks each key's own value (ranges, keywords,
// formats) for the keys that source sets, so each file is valid on its own.
// The rules pass runs once on the layered result and checks the rules
// between keys (a domain needs a user, ...). Problems carry the file and
// line that set the key concerned, or line 0 when no file sets it.

// validator runs one pass over a Config.
type validator struct {
	out   *collector
	lines map[string]pos
	// rules selects the pass: false checks values, true the rules
	// between keys.
	rules bool
	// only, in the values pass, limits the checks to the keys the source
	// of that name sets; "" checks every key.
	only string
	// decoded holds the keys decoding already found wrong; they are not
	// checked again.
	decoded map[string]bool
}

// newValidator sets up a pass. The values pass skips the keys decoding
// found wrong in the same source, the rules pass those found wrong in any.
func newValidator(out *collector, lines map[string]pos, rules bool, only string) *validator {
	v := &validator{out: out, lines: lines, rules: rules, only: only, decoded: make(map[string]bool)}
	for _, p := range out.list {
		if rules || only == "" || p.File == only {
			v.decoded[p.Key] = true
		}
	}
	return v
}

// validateValues checks the value of every key the source called only sets
// ("" checks them all); lines maps keys to where they were set.
func validateValues(c *Config, lines map[string]pos, out *collector, only string) {
	newValidator(out, lines, false, only).check(c)
}

// validateRules checks the rules between keys.
func validateRules(c *Config, lines map[string]pos, out *collector) {
	newValidator(out, lines, true, "").check(c)
}

// check runs every check; bad and rule report only those of the pass.
func (v *validator) check(c *Config) {
	v.account(c.Account)
	v.dialing(c.Dialing)
	for _, k := range slices.Sorted(maps.Keys(c.SpeedDial)) {
		if msg := checkDialable(c.SpeedDial[k]); msg != "" {
			v.bad("speed_dial."+string(k), "%s", msg)
		}
	}
	oneOf(v, "tones.country", c.Tones.Country, CountryUS, CountryUK, CountryDE, CountryEU, CountryFR)
	v.media(c.Media, c.Account.LocalPort)
	v.audio(c.Audio)
	v.board(c.Board)
	v.wifi(c.WiFi)
	v.provisioning(c.Provisioning)
}

func (v *validator) account(a Account) {
	if a.User != "" {
		v.userPart("account.user", a.User)
	}
	if a.AuthUser != "" {
		v.userPart("account.auth_user", a.AuthUser)
	}
	v.hostPort("account.domain", a.Domain)
	v.hostPort("account.registrar", a.Registrar)
	v.hostPort("account.outbound_proxy", a.OutboundProxy)
	if a.Registrar != "" && a.Domain == "" {
		v.rule(v.lines["account.registrar"], "account.domain", "required when account.registrar is set: it is the host part of your SIP address")
	}
	if a.Domain != "" && a.User == "" {
		v.rule(v.lines["account.domain"], "account.user", "required when account.domain is set: it is the user part of your SIP address")
	}
	switch a.Transport {
	case TransportUDP:
	case "tcp", "tls":
		v.bad("account.transport", "%q is not supported yet: use \"udp\"", a.Transport)
	default:
		v.bad("account.transport", "must be \"udp\" (got %q)", a.Transport)
	}
	v.between("account.local_port", a.LocalPort, 1, 65535)
	v.durationBetween("account.expiry", a.Expiry, 60, 86400, time.Second)
}

func (v *validator) dialing(g Dialing) {
	if strings.TrimSpace(g.DigitMap) == "" {
		v.bad("dialing.digit_map", "must not be empty (leave the key out for the default)")
	}
	v.durationBetween("dialing.short_timer", g.ShortTimer, 1, 30, time.Second)
	v.durationBetween("dialing.long_timer", g.LongTimer, 1, 60, time.Second)
	v.durationBetween("dialing.offhook_timer", g.OffhookTimer, 1, 120, time.Second)
	v.durationBetween("dialing.warm_line_delay", g.WarmLineDelay, 0, 60, time.Second)
	if g.ShortTimer > g.LongTimer {
		v.rule(v.lineOf("dialing.short_timer", "dialing.long_timer"), "dialing.short_timer",
			"must not be longer than long_timer (%s)", inUnits(g.LongTimer, time.Second))
	}
	if msg := checkDialable(g.Hotline); g.Hotline != "" && msg != "" {
		v.bad("dialing.hotline", "%s", msg)
	}
	if msg := checkDialable(g.WarmLine); g.WarmLine != "" && msg != "" {
		v.bad("dialing.warm_line", "%s", msg)
	}
	if g.Hotline != "" && g.WarmLine != "" {
		v.rule(v.lines["dialing.warm_line"], "dialing.warm_line", "set either hotline or warm_line, not both")
	}
	if g.WarmLine != "" && g.WarmLineDelay >= g.OffhookTimer {
		v.rule(v.lineOf("dialing.warm_line_delay", "dialing.offhook_timer", "dialing.warm_line"), "dialing.warm_line_delay",
			"must be shorter than offhook_timer (%s), or reorder plays before the warm line dials", inUnits(g.OffhookTimer, time.Second))
	}
}

func (v *validator) media(m Media, sipPort int) {
	const key = "media.codecs"
	if len(m.Codecs) == 0 {
		v.bad(key, "must list at least one codec")
	}
	seen := make(map[Codec]bool)
	for _, c := range m.Codecs {
		switch {
		case c != CodecPCMU && c != CodecPCMA && c != CodecG722:
			v.bad(key, `unknown codec %q: choose from "PCMU", "PCMA" and "G722"`, c)
		case seen[c]:
			v.bad(key, "%q is listed twice", c)
		}
		seen[c] = true
	}
	v.between("media.rtp_port_min", m.RTPPortMin, 1024, 65534)
	v.between("media.rtp_port_max", m.RTPPortMax, 1024, 65534)
	const even = "must be even: RTP uses even ports, RTCP the odd port above (got %d)"
	if m.RTPPortMin%2 != 0 {
		v.bad("media.rtp_port_min", even, m.RTPPortMin)
	}
	if m.RTPPortMax%2 != 0 {
		v.bad("media.rtp_port_max", even, m.RTPPortMax)
	}
	if m.RTPPortMax <= m.RTPPortMin {
		v.rule(v.lineOf("media.rtp_port_max", "media.rtp_port_min"), "media.rtp_port_max",
			"must be greater than rtp_port_min (%d)", m.RTPPortMin)
	} else if sipPort >= m.RTPPortMin && sipPort <= m.RTPPortMax+1 {
		v.rule(v.lineOf("account.local_port", "media.rtp_port_min", "media.rtp_port_max"), "account.local_port",
			"%d lies inside the RTP port range %d-%d", sipPort, m.RTPPortMin, m.RTPPortMax+1)
	}
	v.between("media.dtmf_payload_type", m.DTMFPayloadType, 96, 127)
	v.durationBetween("media.jitter_ms", m.Jitter, 20, 500, time.Millisecond)
}

func (v *validator) audio(a Audio) {
	if a.Card != "" && !isCardName(a.Card) {
		v.bad("audio.card", "want an ALSA card number or id such as \"1\" or \"Headset\" (see aplay -l), or \"\" for automatic (got %q)", a.Card)
	}
	if !slices.Contains([]int{0, 8000, 16000, 44100, 48000}, a.Rate) {
		v.bad("audio.rate", "must be 0 (automatic), 8000, 16000, 44100 or 48000 (got %d)", a.Rate)
	}
	if a.Period != 10*time.Millisecond && a.Period != 20*time.Millisecond {
		v.bad("audio.period_ms", "must be 10 or 20 (got %s)", inUnits(a.Period, time.Millisecond))
	}
	v.between("audio.buffer_periods", a.BufferPeriods, 2, 4)
	v.between("audio.playback_volume", a.PlaybackVolume, 0, 100)
	v.between("audio.capture_volume", a.CaptureVolume, 0, 100)
}

func (v *validator) board(b Board) {
	oneOf(v, "board.model", b.Model, ModelSim, ModelPiZeroW, ModelPiZero2W, ModelPi3, ModelPi4, ModelNone)
	if b.KeypadRows != nil && len(b.KeypadRows) != 4 {
		v.bad("board.keypad_rows", "must list 4 pins, one per keypad row (got %d)", len(b.KeypadRows))
	}
	cols := len(b.KeypadCols)
	if b.KeypadCols != nil && cols != 3 && cols != 4 {
		v.bad("board.keypad_cols", "must list 3 or 4 pins, one per keypad column (got %d)", cols)
	}
	if b.KeypadLayout != "" {
		v.layout(b.KeypadLayout, cols)
	}
	oneOf(v, "board.hook_active", b.HookActive, ActiveLow, ActiveHigh)
	oneOf(v, "board.hook_contact", b.HookContact, ContactNO, ContactNC)
	oneOf(v, "board.ringer_active", b.RingerActive, ActiveHigh, ActiveLow)
	v.durationBetween("board.flash_min_ms", b.FlashMin, 20, 2000, time.Millisecond)
	v.durationBetween("board.flash_max_ms", b.FlashMax, 50, 5000, time.Millisecond)
	if b.FlashMax <= b.FlashMin {
		v.rule(v.lineOf("board.flash_max_ms", "board.flash_min_ms"), "board.flash_max_ms", "must be greater than flash_min_ms (%s)", inUnits(b.FlashMin, time.Millisecond))
	}
	if b.Watchdog != "" && !strings.HasPrefix(b.Watchdog, "/") {
		v.bad("board.watchdog", "want a device path such as \"/dev/watchdog\", or \"\" for none (got %q)", b.Watchdog)
	}
	v.pinsUnique(b)
}

func (v *validator) wifi(w WiFi) {
	if len(w.SSID) > 32 {
		v.bad("wifi.ssid", "must be at most 32 bytes long (got %d)", len(w.SSID))
	}
	if w.SSID == "" && w.Password != "" {
		v.rule(v.lines["wifi.password"], "wifi.ssid", "required when wifi.password is set: it is the name of your network")
	}
	if msg := checkPassphrase(string(w.Password)); msg != "" {
		v.bad("wifi.password", "%s", msg)
	}
	switch {
	case w.Country == "":
	case w.Country == "UK":
		v.bad("wifi.country", `use "GB" for the United Kingdom (ISO 3166 country codes)`)
	case len(w.Country) != 2 || strings.Trim(w.Country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
		v.bad("wifi.country", `want a two-letter country code such as "US", "GB" or "DE" (got %q)`, w.Country)
	}
}

// checkPassphrase says what is wrong with a WPA2 passphrase without
// quoting it, or returns "". "" (an open network) is fine.
func checkPassphrase(p string) string {
	if p == "" {
		return ""
	}
	if len(p) == 64 && strings.Trim(p, "0123456789abcdefABCDEF") == "" {
		return "" // the raw 256-bit key, as wpa_passphrase prints it
	}
	for _, r := range p {
		if r < 0x20 || r > 0x7e {
			return "may hold only printable ASCII characters (letters, digits, punctuation and spaces)"
		}
	}
	if len(p) < 8 || len(p) > 63 {
		return fmt.Sprintf("a WPA passphrase is 8 to 63 characters long (this one has %d), or 64 hex digits", len(p))
	}
	return ""
}

func (v *validator) provisioning(p Provisioning) {
	if p.URL != "" {
		if msg := checkProvisioningURL(p.URL); msg != "" {
			v.bad("provisioning.url", "%s", msg)
		}
	}
	v.durationBetween("provisioning.interval_minutes", p.Interval, 5, 10080, time.Minute)
	if p.CAFile != "" && !strings.HasPrefix(p.CAFile, "/") {
		v.bad("provisioning.ca_file", "want a full path such as \"/boot/provisioning-ca.pem\", or \"\" for none (got %q)", p.CAFile)
	}
}

// checkProvisioningURL says what is wrong with a provisioning server
// address, or returns "".
func checkProvisioningURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Opaque != "":
		return fmt.Sprintf(`want an address such as "https://prov.example.com/phones/" (got %q)`, s)
	case u.User != nil:
		return "must not hold a user name or password: the server is trusted by its certificate"
	case !strings.EqualFold(u.Scheme, "https"):
		return fmt.Sprintf(`must start with "https://": the phone fetches its configuration only over HTTPS (got %q)`, s)
	case u.Host == "" || u.Hostname() == "":
		return fmt.Sprintf(`names no server: write e.g. "https://prov.example.com/phones/" (got %q)`, s)
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#"):
		return fmt.Sprintf(`must name a directory, without "?" or "#": the phone adds the file names (got %q)`, s)
	}
	return ""
}

// layout checks the keypad layout: one keypad key per button, row by row.
func (v *validator) layout(layout string, cols int) {
	const key = "board.keypad_layout"
	for i, r := range layout {
		switch {
		case !strings.ContainsRune("0123456789*#ABCD", r):
			v.bad(key, "%q is not a keypad key: use 0-9, *, # and A-D", r)
			return
		case strings.ContainsRune(layout[:i], r):
			v.bad(key, "%q appears twice", r)
			return
		}
	}
	switch {
	case cols == 3 || cols == 4:
		if len(layout) != 4*cols {
			v.rule(v.lineOf(key, "board.keypad_cols"), key, "must name %d keys for 4 rows of %d columns (got %d)", 4*cols, cols, len(layout))
		}
	case len(layout) != 12 && len(layout) != 16:
		v.bad(key, "must name 12 keys (3 columns) or 16 keys (4 columns), row by row (got %d)", len(layout))
	}
}

// pinsUnique reports a GPIO line given to two jobs.
func (v *validator) pinsUnique(b Board) {
	type use struct {
		key string
		pin Pin
	}
	uses := []use{
		{"board.hook", b.Hook}, {"board.ringer", b.Ringer},
		{"board.led_registered", b.LEDRegistered}, {"board.led_in_call", b.LEDInCall},
		{"board.led_message", b.LEDMessage}, {"board.led_error", b.LEDError},
		{"board.volume_up", b.VolumeUp}, {"board.volume_down", b.VolumeDown},
	}
	for _, p := range b.KeypadRows {
		uses = append(uses, use{"board.keypad_rows", p})
	}
	for _, p := range b.KeypadCols {
		uses = append(uses, use{"board.keypad_cols", p})
	}
	first := make(map[Pin]string)
	for _, u := range uses {
		if u.pin.IsZero() {
			continue
		}
		if other, dup := first[u.pin]; dup {
			v.rule(v.lines[u.key], u.key, "pin %q is also used by %s", u.pin, other)
			continue
		}
		first[u.pin] = u.key
	}
}

// userPart checks a SIP user name.
func (v *validator) userPart(key, user string) {
	if strings.ContainsAny(user, " \t@:<>\"") {
		v.bad(key, `want the user part alone, without spaces, "@", ":", "<", ">" or quotes (e.g. "1001", not "1001@pbx.example.com")`)
	}
}

// hostPort checks an optional host[:port] value.
func (v *validator) hostPort(key, s string) {
	if s == "" {
		return
	}
	if msg := checkHostPort(s); msg != "" {
		v.bad(key, "%s", msg)
	}
}

// checkHostPort says what is wrong with a host[:port], or returns "".
func checkHostPort(s string) string {
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "sip:") || strings.HasPrefix(lower, "sips:") || strings.Contains(s, "://") {
		return fmt.Sprintf(`write just host[:port], without "sip:" (got %q)`, s)
	}
	host, port, hasPort := s, "", false
	if rest, ok := strings.CutPrefix(s, "["); ok {
		h, after, closed := strings.Cut(rest, "]")
		a, err := netip.ParseAddr(h)
		if !closed || err != nil || !a.Is6() {
			return fmt.Sprintf(`want an IPv6 address in brackets, e.g. "[2001:db8::1]:5060" (got %q)`, s)
		}
		host = ""
		if after != "" {
			port, hasPort = strings.CutPrefix(after, ":")
			if !hasPort {
				return fmt.Sprintf(`unexpected %q after "]" (got %q)`, after, s)
			}
		}
	} else {
		if strings.Count(s, ":") > 1 {
			return fmt.Sprintf(`an IPv6 address needs brackets, e.g. "[2001:db8::1]:5060" (got %q)`, s)
		}
		host, port, hasPort = strings.Cut(s, ":")
	}
	if host != "" && !isHostName(host) {
		return fmt.Sprintf("%q is not a host name or IP address", host)
	}
	if hasPort {
		n, err := strconv.Atoi(port)
		if !isDigits(port) || err != nil || n < 1 || n > 65535 {
			return fmt.Sprintf("the port after \":\" must be between 1 and 65535 (got %q)", port)
		}
	}
	return ""
}

// isHostName reports whether h is a DNS name or an IPv4 address.
func isHostName(h string) bool {
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Is4()
	}
	labels := strings.Split(h, ".")
	if len(h) > 253 || isDigits(labels[len(labels)-1]) {
		return false // too long, or a malformed IPv4 address
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := range len(l) {
			if !isBareKeyChar(l[i]) || l[i] == '_' {
				return false
			}
		}
	}
	return true
}

// checkDialable says what is wrong with a number to dial, or returns "".
// A number is digits, "*" and "#" with an optional leading "+"; a sip: URI
// is "sip:user@host" or "sip:host".
func checkDialable(s string) string {
	if rest, ok := cutPrefixFold(s, "sip:"); ok {
		user, host, hasUser := strings.Cut(rest, "@")
		if !hasUser {
			host, user = user, "x"
		}
		host, _, _ = strings.Cut(host, ";") // URI parameters
		if user == "" || host == "" || strings.ContainsAny(user, " <>\"") || checkHostPort(host) != "" {
			return fmt.Sprintf(`want "sip:user@host" or "sip:host" (got %q)`, s)
		}
		return ""
	}
	body := strings.TrimPrefix(s, "+")
	if body == "" || strings.Trim(body, "0123456789*#") != "" {
		return fmt.Sprintf(`want a number (digits, * and #, optionally starting with +) or a sip: URI (got %q)`, s)
	}
	return ""
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// oneOf reports got when it is none of choices.
func oneOf[T ~string](v *validator, key string, got T, choices ...T) {
	if slices.Contains(choices, got) {
		return
	}
	quoted := make([]string, len(choices))
	for i, c := range choices {
		quoted[i] = strconv.Quote(string(c))
	}
	v.bad(key, "must be one of %s (got %q)", strings.Join(quoted, ", "), got)
}

// between reports got when it is outside lo..hi.
func (v *validator) between(key string, got, lo, hi int) {
	if got < lo || got > hi {
		v.bad(key, "must be between %d and %d (got %d)", lo, hi, got)
	}
}

// durationBetween reports got when it is outside lo..hi units.
func (v *validator) durationBetween(key string, got time.Duration, lo, hi int, unit time.Duration) {
	if got < time.Duration(lo)*unit || got > time.Duration(hi)*unit {
		v.bad(key, "must be between %d and %d (got %s)", lo, hi, inUnits(got, unit))
	}
}

// inUnits prints d as a number of units, as the file writes it.
func inUnits(d, unit time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(unit), 'f', -1, 64)
}

// lineOf returns where the first of keys that is set was set, or the zero
// pos.
func (v *validator) lineOf(keys ...string) pos {
	for _, k := range keys {
		if p := v.lines[k]; p.line > 0 {
			return p
		}
	}
	return pos{}
}

// bad reports a problem with key's own value, in the values pass, on the
// line that set it.
func (v *validator) bad(key, format string, args ...any) {
	p := v.lines[key]
	if v.rules || v.decoded[key] || v.only != "" && p.file != v.only {
		return
	}
	v.out.addAt(p, key, format, args...)
}

// rule reports, in the rules pass, a rule between keys broken at p, unless
// decoding already found key wrong.
func (v *validator) rule(p pos, key, format string, args ...any) {
	if v.rules && !v.decoded[key] {
		v.out.addAt(p, key, format, args...)
	}
}
