package config

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode"
)

// This file maps the parsed document onto Config: which keys exist, which
// type each holds and the Go value it becomes. Ranges and the rules between
// keys are checked afterwards, in validate.go.

// setter decodes one value into its Config field, reporting a wrong type.
type setter func(v *value, key string)

// field is one known key of a section.
type field struct {
	name string
	set  setter
}

// decoder decodes one document.
type decoder struct {
	out *collector
	// lines maps each dotted key the sources set to where it was set last,
	// for the problems validation finds.
	lines map[string]pos
}

// sectionNames lists the tables the file may hold.
func sectionNames() []string {
	return []string{"account", "dialing", "speed_dial", "tones", "media", "security", "log", "audio", "board", "wifi", "provisioning"}
}

// decode sets in c every key the document sets, over what c holds already,
// and records in lines where each key was set. Decoding several documents
// into one Config in turn layers them, key by key.
func decode(c *Config, root *table, out *collector, lines map[string]pos) {
	d := &decoder{out: out, lines: lines}
	for _, name := range root.keys {
		v := root.entries[name]
		switch {
		case v.kind == kindInvalid:
			// Already reported by the parser.
		case name == "version":
			d.version(v, &c.Version)
		case !slices.Contains(sectionNames(), name):
			d.unknown(v, "", name, append(sectionNames(), "version"))
		case v.kind != kindTable:
			d.out.add(v.line, name, "want a table (a [%s] header), got %s", name, v.kind.name())
		case name == "speed_dial":
			d.speedDial(v.tbl, &c.SpeedDial)
		default:
			d.fields(v.tbl, name, d.sectionFields(c, name))
		}
	}
	if _, ok := root.entries["version"]; !ok {
		out.add(0, "version", `missing: put "version = 1" at the top of the file, before any [table]`)
	}
}

// version decodes the format version, which every file states for itself.
func (d *decoder) version(v *value, dst *int) {
	d.lines["version"] = pos{d.out.file, v.line}
	n := *dst
	d.integer(&n)(v, "version")
	if v.kind == kindInteger && n != 1 {
		d.out.add(v.line, "version", "%d is not supported: this firmware reads version 1", n)
		return
	}
	*dst = n
}

// sectionFields lists the keys of one section and where they go in c.
func (d *decoder) sectionFields(c *Config, section string) []field {
	switch section {
	case "account":
		a := &c.Account
		return []field{
			{"user", d.str(&a.User)},
			{"auth_user", d.str(&a.AuthUser)},
			{"password", d.secret(&a.Password)},
			{"display_name", d.str(&a.DisplayName)},
			{"domain", d.str(&a.Domain)},
			{"registrar", d.str(&a.Registrar)},
			{"register", d.boolean(&a.Register)},
			{"outbound_proxy", d.str(&a.OutboundProxy)},
			{"transport", word(d, &a.Transport, strings.ToLower)},
			{"local_port", d.integer(&a.LocalPort)},
			{"local_ip", d.ip(&a.LocalIP)},
			{"expiry", d.duration(&a.Expiry, time.Second, false)},
			{"user_agent", d.str(&a.UserAgent)},
		}
	case "dialing":
		g := &c.Dialing
		return []field{
			{"digit_map", d.str(&g.DigitMap)},
			{"short_timer", d.duration(&g.ShortTimer, time.Second, true)},
			{"long_timer", d.duration(&g.LongTimer, time.Second, true)},
			{"offhook_timer", d.duration(&g.OffhookTimer, time.Second, true)},
			{"hotline", d.str(&g.Hotline)},
			{"warm_line", d.str(&g.WarmLine)},
			{"warm_line_delay", d.duration(&g.WarmLineDelay, time.Second, true)},
			{"call_waiting", d.boolean(&g.CallWaiting)},
		}
	case "tones":
		return []field{{"country", word(d, &c.Tones.Country, strings.ToLower)}}
	case "media":
		m := &c.Media
		return []field{
			{"codecs", d.codecs(&m.Codecs)},
			{"rtp_port_min", d.integer(&m.RTPPortMin)},
			{"rtp_port_max", d.integer(&m.RTPPortMax)},
			{"dtmf_payload_type", d.integer(&m.DTMFPayloadType)},
			{"jitter_ms", d.duration(&m.Jitter, time.Millisecond, false)},
			{"echo_suppressor", d.boolean(&m.EchoSuppressor)},
		}
	case "security":
		return []field{{"allow_direct_calls", d.boolean(&c.Security.AllowDirectCalls)}}
	case "log":
		return []field{{"level", d.level(&c.Log.Level)}}
	case "audio":
		a := &c.Audio
		return []field{
			{"card", d.str(&a.Card)},
			{"playback_device", d.pcmDevice(&a.PlaybackDevice)},
			{"capture_device", d.pcmDevice(&a.CaptureDevice)},
			{"rate", d.integer(&a.Rate)},
			{"period_ms", d.duration(&a.Period, time.Millisecond, false)},
			{"buffer_periods", d.integer(&a.BufferPeriods)},
			{"playback_volume", d.integer(&a.PlaybackVolume)},
			{"capture_volume", d.integer(&a.CaptureVolume)},
			{"ringtone", d.boolean(&a.Ringtone)},
		}
	case "board":
		b := &c.Board
		return []field{
			{"model", word(d, &b.Model, strings.ToLower)},
			{"keypad_rows", d.pins(&b.KeypadRows)},
			{"keypad_cols", d.pins(&b.KeypadCols)},
			{"keypad_layout", word(d, &b.KeypadLayout, strings.ToUpper)},
			{"hook", d.pin(&b.Hook)},
			{"hook_active", word(d, &b.HookActive, strings.ToLower)},
			{"hook_contact", word(d, &b.HookContact, strings.ToLower)},
			{"flash_min_ms", d.duration(&b.FlashMin, time.Millisecond, false)},
			{"flash_max_ms", d.duration(&b.FlashMax, time.Millisecond, false)},
			{"ringer", d.pin(&b.Ringer)},
			{"ringer_active", word(d, &b.RingerActive, strings.ToLower)},
			{"led_registered", d.pin(&b.LEDRegistered)},
			{"led_in_call", d.pin(&b.LEDInCall)},
			{"led_message", d.pin(&b.LEDMessage)},
			{"led_error", d.pin(&b.LEDError)},
			{"volume_up", d.pin(&b.VolumeUp)},
			{"volume_down", d.pin(&b.VolumeDown)},
			{"watchdog", d.str(&b.Watchdog)},
		}
	case "wifi":
		w := &c.WiFi
		return []field{
			{"ssid", d.str(&w.SSID)},
			{"password", d.secret(&w.Password)},
			{"country", word(d, &w.Country, strings.ToUpper)},
			{"hidden", d.boolean(&w.Hidden)},
		}
	case "provisioning":
		p := &c.Provisioning
		return []field{
			{"url", d.str(&p.URL)},
			{"dhcp", d.boolean(&p.DHCP)},
			{"interval_minutes", d.duration(&p.Interval, time.Minute, false)},
			{"ca_file", d.str(&p.CAFile)},
		}
	}
	return nil
}

// fields decodes the keys of one section.
func (d *decoder) fields(t *table, section string, fields []field) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	for _, name := range t.keys {
		v := t.entries[name]
		key := section + "." + name
		i := slices.Index(names, name)
		switch {
		case i < 0:
			d.unknown(v, section, name, names)
		case v.kind != kindInvalid:
			d.lines[key] = pos{d.out.file, v.line}
			fields[i].set(v, key)
		}
	}
}

// speedDial decodes the [speed_dial] table, whose keys are keypad keys.
func (d *decoder) speedDial(t *table, dst *SpeedDial) {
	for _, name := range t.keys {
		v := t.entries[name]
		key := "speed_dial." + name
		switch {
		case v.kind == kindInvalid:
		case v.kind == kindTable:
			d.out.add(v.line, key, "unknown table [%s]", key)
		case len(name) != 1 || name[0] < '0' || name[0] > '9':
			d.out.add(v.line, key, `speed-dial keys are the keypad keys "0" to "9" (got %q)`, name)
		default:
			d.lines[key] = pos{d.out.file, v.line}
			if s, ok := d.text(v, key); ok {
				if *dst == nil {
					*dst = make(SpeedDial)
				}
				(*dst)[rune(name[0])] = s
			}
		}
	}
}

// unknown reports a key or table the schema does not have, suggesting the
// closest known name.
func (d *decoder) unknown(v *value, section, name string, known []string) {
	key, where := name, ""
	if section != "" {
		key, where = section+"."+name, " in ["+section+"]"
	}
	hint := ""
	switch s, home := suggest(name, known), d.sectionOf(name); {
	case section != "" && name == "version":
		hint = ": version belongs at the top of the file, before any [table]"
	case home != "" && v.kind != kindTable:
		hint = fmt.Sprintf(" (it belongs under [%s])", home)
	case s != "" && v.kind == kindTable:
		hint = fmt.Sprintf(" (did you mean [%s]?)", strings.TrimPrefix(section+"."+s, "."))
	case s != "":
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	if v.kind == kindTable {
		d.out.add(v.line, key, "unknown table [%s]%s", key, hint)
		return
	}
	d.out.add(v.line, key, "unknown key %q%s%s", name, where, hint)
}

// sectionOf returns the section that has a key called name, or "".
func (d *decoder) sectionOf(name string) string {
	var c Config
	for _, section := range sectionNames() {
		for _, f := range d.sectionFields(&c, section) {
			if f.name == name {
				return section
			}
		}
	}
	return ""
}

// wrongType reports that v is not of the type wanted, with a hint when the
// fix is obvious.
func (d *decoder) wrongType(v *value, key, want string) {
	hint := ""
	switch {
	case v.kind == kindInvalid:
		return
	case want == "a string" && v.raw != "" && !isSecretKey(key):
		hint = fmt.Sprintf(" (put it in quotes: %q)", v.raw)
	case v.kind == kindString && strings.HasPrefix(want, "an array"):
		hint = fmt.Sprintf(" (write [%q])", v.str)
	case v.kind == kindString && v.str != "":
		tv, msg := parseToken(v.str)
		if msg == "" && (strings.HasPrefix(want, tv.kind.name()) || want == "a number" && tv.kind != kindBool) {
			hint = " (remove the quotes)"
		}
	}
	d.out.add(v.line, key, "want %s, got %s%s", want, v.kind.name(), hint)
}

// text returns a string value, which may not hold control characters.
func (d *decoder) text(v *value, key string) (string, bool) {
	if v.kind != kindString {
		d.wrongType(v, key, "a string")
		return "", false
	}
	if strings.ContainsFunc(v.str, unicode.IsControl) {
		d.out.add(v.line, key, `must not contain control characters (such as \n or \t)`)
		return "", false
	}
	return v.str, true
}

// texts returns an array of strings.
func (d *decoder) texts(v *value, key string) ([]string, bool) {
	if v.kind != kindArray {
		d.wrongType(v, key, "an array of strings")
		return nil, false
	}
	out := make([]string, 0, len(v.arr))
	ok := true
	for i := range v.arr {
		el := &v.arr[i]
		if el.kind != kindString {
			d.out.add(el.line, key, "element %d: want a string, got %s", i+1, el.kind.name())
			ok = false
			continue
		}
		s, good := d.text(el, key)
		ok = ok && good
		out = append(out, s)
	}
	return out, ok
}

func (d *decoder) str(dst *string) setter {
	return func(v *value, key string) {
		if s, ok := d.text(v, key); ok {
			*dst = s
		}
	}
}

func (d *decoder) secret(dst *Secret) setter {
	return func(v *value, key string) {
		if s, ok := d.text(v, key); ok {
			*dst = Secret(s)
		}
	}
}

// word decodes a keyword, normalising its case so that "PCMU" and "pcmu" or
// "US" and "us" are the same; validation checks it is a known one.
func word[T ~string](d *decoder, dst *T, norm func(string) string) setter {
	return func(v *value, key string) {
		if s, ok := d.text(v, key); ok {
			*dst = T(norm(s))
		}
	}
}

// integer decodes an integer that fits in 32 bits (int is 32 bits on ARMv6).
func (d *decoder) integer(dst *int) setter {
	return func(v *value, key string) {
		switch {
		case v.kind != kindInteger:
			d.wrongType(v, key, "an integer")
		case v.num < math.MinInt32 || v.num > math.MaxInt32:
			d.out.add(v.line, key, "far out of range (got %s)", v.raw)
		default:
			*dst = int(v.num)
		}
	}
}

func (d *decoder) boolean(dst *bool) setter {
	return func(v *value, key string) {
		if v.kind != kindBool {
			d.wrongType(v, key, "a boolean (true or false)")
			return
		}
		*dst = v.b
	}
}

// maxDurationUnits bounds a duration before conversion, far above every
// range validation allows, so the conversion cannot overflow.
const maxDurationUnits = 1e7

// duration decodes a number of units (seconds, milliseconds). Fractions are
// accepted only when fractional is set.
func (d *decoder) duration(dst *time.Duration, unit time.Duration, fractional bool) setter {
	return func(v *value, key string) {
		var n float64
		switch {
		case v.kind == kindInteger:
			n = float64(v.num)
		case v.kind == kindFloat && fractional:
			n = v.flt
		case fractional:
			d.wrongType(v, key, "a number")
			return
		default:
			d.wrongType(v, key, "an integer")
			return
		}
		if math.Abs(n) > maxDurationUnits {
			d.out.add(v.line, key, "far out of range (got %s)", v.raw)
			return
		}
		*dst = time.Duration(math.Round(n * float64(unit)))
	}
}

func (d *decoder) codecs(dst *[]Codec) setter {
	return func(v *value, key string) {
		names, ok := d.texts(v, key)
		if !ok {
			return
		}
		codecs := make([]Codec, len(names))
		for i, n := range names {
			codecs[i] = Codec(strings.ToUpper(n))
		}
		*dst = codecs
	}
}

func (d *decoder) pin(dst *Pin) setter {
	return func(v *value, key string) {
		s, ok := d.text(v, key)
		if !ok {
			return
		}
		p, err := parsePin(s)
		if err != nil {
			d.out.add(v.line, key, "%q: %v", s, err)
			return
		}
		*dst = p
	}
}

// pins decodes a list of pins. An empty list stays non-nil, so validation
// can tell it from an absent key.
func (d *decoder) pins(dst *[]Pin) setter {
	return func(v *value, key string) {
		names, ok := d.texts(v, key)
		if !ok {
			return
		}
		pins := make([]Pin, len(names))
		for i, s := range names {
			p, err := parsePin(s)
			if err != nil || p.IsZero() {
				if err == nil {
					err = errors.New("a pin must not be empty")
				}
				d.out.add(v.arr[i].line, key, "element %d %q: %v", i+1, s, err)
				ok = false
			}
			pins[i] = p
		}
		if ok {
			*dst = pins
		}
	}
}

func (d *decoder) pcmDevice(dst *PCMDevice) setter {
	return func(v *value, key string) {
		s, ok := d.text(v, key)
		if !ok {
			return
		}
		dev, err := parsePCMDevice(s)
		if err != nil {
			d.out.add(v.line, key, "%q: %v", s, err)
			return
		}
		*dst = dev
	}
}

func (d *decoder) ip(dst *netip.Addr) setter {
	return func(v *value, key string) {
		s, ok := d.text(v, key)
		if !ok || s == "" {
			return
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			d.out.add(v.line, key, `%q is not an IP address: write e.g. "192.168.1.50", or "" to pick it automatically`, s)
			return
		}
		*dst = a
	}
}

func (d *decoder) level(dst *slog.Level) setter {
	return func(v *value, key string) {
		s, ok := d.text(v, key)
		if !ok {
			return
		}
		switch strings.ToLower(s) {
		case "debug":
			*dst = slog.LevelDebug
		case "info":
			*dst = slog.LevelInfo
		case "warn":
			*dst = slog.LevelWarn
		case "error":
			*dst = slog.LevelError
		default:
			d.out.add(v.line, key, `must be "debug", "info", "warn" or "error" (got %q)`, s)
		}
	}
}
