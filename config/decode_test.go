package config

import (
	"fmt"
	"log/slog"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestDecodeValues checks that each kind of key lands in its typed field.
func TestDecodeValues(t *testing.T) {
	src := `version = 1
[account]
user = "1001"
password = "pw"
domain = "pbx.example.com:5070"
transport = "UDP"
local_ip = "192.168.1.50"
expiry = 600
[dialing]
short_timer = 2.5
long_timer = 8
warm_line = "100"
call_waiting = true
[speed_dial]
0 = "sip:op@pbx.example.com"
9 = "+4930123"
[tones]
country = "DE"
[media]
codecs = ["g722", "Pcmu"]
jitter_ms = 100
echo_suppressor = true
[log]
level = "DEBUG"
[audio]
card = "Headset"
playback_device = "hw:1,0"
capture_device = "hw:Headset,2"
rate = 48000
period_ms = 10
[board]
model = "Pi-Zero-2-W"
keypad_rows = ["GPIO5", "gpiochip0:6", "pinctrl-bcm2835:GPIO13", "GPIO26"]
keypad_cols = ["GPIO12", "GPIO16", "GPIO4", "GPIO7"]
keypad_layout = "123a456b789c*0#d"
hook = "GPIO17"
hook_contact = "NC"
flash_max_ms = 1000
watchdog = "/dev/watchdog"
`
	c, err := Parse("t.toml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"user", c.Account.User, "1001"},
		{"auth_user defaults to user", c.Account.AuthUser, "1001"},
		{"password", string(c.Account.Password), "pw"},
		{"registrar defaults to domain", c.Account.Registrar, "pbx.example.com:5070"},
		{"transport", c.Account.Transport, TransportUDP},
		{"local_ip", c.Account.LocalIP, netip.MustParseAddr("192.168.1.50")},
		{"expiry", c.Account.Expiry, 600 * time.Second},
		{"short_timer", c.Dialing.ShortTimer, 2500 * time.Millisecond},
		{"long_timer", c.Dialing.LongTimer, 8 * time.Second},
		{"warm_line", c.Dialing.WarmLine, "100"},
		{"call_waiting", c.Dialing.CallWaiting, true},
		{"speed_dial", c.SpeedDial, SpeedDial{'0': "sip:op@pbx.example.com", '9': "+4930123"}},
		{"country", c.Tones.Country, CountryDE},
		{"codecs", c.Media.Codecs, []Codec{CodecG722, CodecPCMU}},
		{"jitter", c.Media.Jitter, 100 * time.Millisecond},
		{"echo_suppressor", c.Media.EchoSuppressor, true},
		{"level", c.Log.Level, slog.LevelDebug},
		{"card", c.Audio.Card, "Headset"},
		{"playback", c.Audio.PlaybackDevice, PCMDevice{Card: "1", Device: 0}},
		{"capture", c.Audio.CaptureDevice, PCMDevice{Card: "Headset", Device: 2}},
		{"rate", c.Audio.Rate, 48000},
		{"period", c.Audio.Period, 10 * time.Millisecond},
		{"model", c.Board.Model, ModelPiZero2W},
		{"rows", c.Board.KeypadRows, []Pin{{Name: "GPIO5"}, {Chip: "gpiochip0", Offset: 6}, {Chip: "pinctrl-bcm2835", Name: "GPIO13"}, {Name: "GPIO26"}}},
		{"cols", len(c.Board.KeypadCols), 4},
		{"layout", c.Board.KeypadLayout, "123A456B789C*0#D"},
		{"hook", c.Board.Hook, Pin{Name: "GPIO17"}},
		{"hook_contact", c.Board.HookContact, ContactNC},
		{"flash_max", c.Board.FlashMax, time.Second},
		{"watchdog", c.Board.Watchdog, "/dev/watchdog"},
		{"untouched default", c.Media.RTPPortMin, 16384},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
}

// TestTypeErrors covers the wrong-type problem of every kind of key. Each
// source is put after "version = 1", so it starts on line 2.
func TestTypeErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []wantProblem
	}{
		{"account = 1", []wantProblem{{2, "account", "want a table (a [account] header), got an integer"}}},
		{"speed_dial = \"x\"", []wantProblem{{2, "speed_dial", "want a table"}}},
		{"[account]\nuser = 1001", []wantProblem{{3, "account.user", `want a string, got an integer (put it in quotes: "1001")`}}},
		{"[account]\nuser = true", []wantProblem{{3, "account.user", `want a string, got a boolean (put it in quotes: "true")`}}},
		{"[account]\nuser = [\"a\"]", []wantProblem{{3, "account.user", "want a string, got an array"}}},
		{"[account]\nlocal_port = \"5060\"", []wantProblem{{3, "account.local_port", "want an integer, got a string (remove the quotes)"}}},
		{"[account]\nlocal_port = \"x\"", []wantProblem{{3, "account.local_port", "want an integer, got a string"}}},
		{"[account]\nlocal_port = 5060.0", []wantProblem{{3, "account.local_port", "want an integer, got a float"}}},
		{"[account]\nlocal_port = 99999999999", []wantProblem{{3, "account.local_port", "far out of range (got 99999999999)"}}},
		{"[account]\nexpiry = 1.5", []wantProblem{{3, "account.expiry", "want an integer, got a float"}}},
		{"[account]\nexpiry = \"1h\"", []wantProblem{{3, "account.expiry", "want an integer, got a string"}}},
		{"[account]\ntransport = 1", []wantProblem{{3, "account.transport", "want a string, got an integer"}}},
		{"[account]\nlocal_ip = 10", []wantProblem{{3, "account.local_ip", "want a string"}}},
		{"[account]\nlocal_ip = \"10.0.0.300\"", []wantProblem{{3, "account.local_ip", "is not an IP address"}}},
		{"[account]\ndisplay_name = \"a\\nb\"", []wantProblem{{3, "account.display_name", "must not contain control characters"}}},
		{"[account]\nuser = \"\\u0007\"", []wantProblem{{3, "account.user", "control characters"}}},
		{"[dialing]\nshort_timer = \"3\"", []wantProblem{{3, "dialing.short_timer", "want a number, got a string (remove the quotes)"}}},
		{"[dialing]\nshort_timer = true", []wantProblem{{3, "dialing.short_timer", "want a number, got a boolean"}}},
		{"[dialing]\nlong_timer = 1e12", []wantProblem{{3, "dialing.long_timer", "far out of range (got 1e12)"}}},
		{"[dialing]\ncall_waiting = \"yes\"", []wantProblem{{3, "dialing.call_waiting", "want a boolean (true or false), got a string"}}},
		{"[dialing]\ncall_waiting = \"true\"", []wantProblem{{3, "dialing.call_waiting", "(remove the quotes)"}}},
		{"[dialing]\ncall_waiting = 1", []wantProblem{{3, "dialing.call_waiting", "want a boolean"}}},
		{"[speed_dial]\n1 = 1234", []wantProblem{{3, "speed_dial.1", `want a string, got an integer (put it in quotes: "1234")`}}},
		{"[speed_dial]\n12 = \"1\"", []wantProblem{{3, "speed_dial.12", `keypad keys "0" to "9"`}}},
		{"[speed_dial]\n\"*\" = \"1\"", []wantProblem{{3, "speed_dial.*", `keypad keys "0" to "9"`}}},
		{"[speed_dial.x]", []wantProblem{{2, "speed_dial.x", "unknown table [speed_dial.x]"}}},
		{"[media]\ncodecs = \"PCMU\"", []wantProblem{{3, "media.codecs", `want an array of strings, got a string (write ["PCMU"])`}}},
		{"[media]\ncodecs = [\"PCMU\", 8]", []wantProblem{{3, "media.codecs", "element 2: want a string, got an integer"}}},
		{"[media]\ncodecs = [\n\"PCMU\",\n8,\n]", []wantProblem{{5, "media.codecs", "element 2: want a string"}}},
		{"[media]\njitter_ms = 60.5", []wantProblem{{3, "media.jitter_ms", "want an integer, got a float"}}},
		{"[media]\necho_suppressor = \"on\"", []wantProblem{{3, "media.echo_suppressor", "want a boolean"}}},
		{"[security]\nallow_direct_calls = \"no\"", []wantProblem{{3, "security.allow_direct_calls", "want a boolean"}}},
		{"[log]\nlevel = 1", []wantProblem{{3, "log.level", "want a string"}}},
		{"[log]\nlevel = \"verbose\"", []wantProblem{{3, "log.level", `must be "debug", "info", "warn" or "error" (got "verbose")`}}},
		{"[audio]\nplayback_device = 1", []wantProblem{{3, "audio.playback_device", "want a string"}}},
		{"[audio]\ncapture_device = \"hw:1\"", []wantProblem{{3, "audio.capture_device", `want "hw:CARD,DEV"`}}},
		{"[audio]\nringtone = 0", []wantProblem{{3, "audio.ringtone", "want a boolean"}}},
		{"[board]\nhook = 17", []wantProblem{{3, "board.hook", `want a string, got an integer (put it in quotes: "17")`}}},
		{"[board]\nhook = \"17\"", []wantProblem{{3, "board.hook", "a bare number is ambiguous"}}},
		{"[board]\nkeypad_rows = \"GPIO1\"", []wantProblem{{3, "board.keypad_rows", "want an array of strings"}}},
		{"[board]\nkeypad_rows = [\"GPIO1\", \"G PIO2\", \"\", \"GPIO4\"]", []wantProblem{
			{3, "board.keypad_rows", `element 2 "G PIO2"`}, {3, "board.keypad_rows", `element 3 "": a pin must not be empty`}}},
		{"[board]\nflash_min_ms = \"100\"", []wantProblem{{3, "board.flash_min_ms", "want an integer, got a string (remove the quotes)"}}},
	}
	for i, tt := range tests {
		checkProblems(t, fmt.Sprintf("#%d %q", i, tt.src), parseProblems(t, "version = 1\n"+tt.src), tt.want)
	}
}

// TestUnknownKeys covers unknown keys and tables, with their suggestions.
func TestUnknownKeys(t *testing.T) {
	tests := []struct {
		src  string
		want []wantProblem
	}{
		{"[account]\nexipry = 60", []wantProblem{{3, "account.exipry", `unknown key "exipry" in [account] (did you mean "expiry"?)`}}},
		{"[account]\nfoo = 1", []wantProblem{{3, "account.foo", `unknown key "foo" in [account]`}}},
		{"[acount]\nuser = \"x\"", []wantProblem{{2, "acount", "unknown table [acount] (did you mean [account]?)"}}},
		{"[phonebook]", []wantProblem{{2, "phonebook", "unknown table [phonebook]"}}},
		{"[account.sub]", []wantProblem{{2, "account.sub", "unknown table [account.sub]"}}},
		{"[account.user]", []wantProblem{{2, "account.user", "want a string, got a table"}}},
		{"verison = 2", []wantProblem{{2, "verison", `unknown key "verison" (did you mean "version"?)`}}},
		{"[media]\ncodec = [\"PCMU\"]", []wantProblem{{3, "media.codec", `(did you mean "codecs"?)`}}},
		{"user = \"1001\"", []wantProblem{{2, "user", `unknown key "user" (it belongs under [account])`}}},
		{"[account]\ncodecs = [\"PCMU\"]", []wantProblem{{3, "account.codecs", `unknown key "codecs" in [account] (it belongs under [media])`}}},
	}
	for i, tt := range tests {
		checkProblems(t, fmt.Sprintf("#%d %q", i, tt.src), parseProblems(t, "version = 1\n"+tt.src), tt.want)
	}
}

func TestVersion(t *testing.T) {
	tests := []struct {
		src  string
		want []wantProblem
	}{
		{"", []wantProblem{{0, "version", `missing: put "version = 1" at the top`}}},
		{"# only a comment\n[log]\n", []wantProblem{{0, "version", "missing"}}},
		{"version = 2", []wantProblem{{1, "version", "2 is not supported: this firmware reads version 1"}}},
		{"version = 0", []wantProblem{{1, "version", "0 is not supported"}}},
		{"version = \"1\"", []wantProblem{{1, "version", "want an integer, got a string (remove the quotes)"}}},
		{"version = 1.0", []wantProblem{{1, "version", "want an integer, got a float"}}},
		// A syntax error is reported once, not again as "missing".
		{"version = 1x", []wantProblem{{1, "version", "not a valid number"}}},
		{"[account]\nversion = 1", []wantProblem{
			{0, "version", "missing"},
			{2, "account.version", "version belongs at the top of the file, before any [table]"},
		}},
	}
	for i, tt := range tests {
		checkProblems(t, fmt.Sprintf("#%d %q", i, tt.src), parseProblems(t, tt.src), tt.want)
	}
}

// TestSecretNotInProblems checks that no problem message repeats a
// password, whatever is wrong with it.
func TestSecretNotInProblems(t *testing.T) {
	for _, src := range []string{
		"[account]\npassword = hunter2secret",
		"[account]\npassword = 4711",
		"[account]\npassword = \"hunter2\\u0001secret\"",
		"[account]\npassword = [\"hunter2secret\"]",
		"[account]\npassword = \"hunter2secret\"\npassword = \"hunter2secret\"",
		"password = \"hunter2secret\"",
		"[account]\npassword = \"hunter2\\secret\"",
		"[account]\npassword = \"hunter2\\uD800\"",
	} {
		probs := parseProblems(t, "version = 1\n"+src)
		if len(probs) == 0 {
			t.Errorf("%q: no problem found", src)
		}
		if s := probs.Error(); strings.Contains(s, "hunter2") || strings.Contains(s, "4711") || strings.Contains(s, `\s`) || strings.Contains(s, "D800") {
			t.Errorf("%q: problems show the password:\n%s", src, s)
		}
	}
}

func TestRegisterFalseDropsRegistrar(t *testing.T) {
	tests := []struct {
		file          string
		wantRegistrar string
		wantRegisters bool
	}{
		{"version = 1\n[account]\nuser = \"1\"\ndomain = \"pbx.test\"\n", "pbx.test", true},
		{"version = 1\n[account]\nuser = \"1\"\ndomain = \"pbx.test\"\nregister = false\n", "", false},
		{"version = 1\n[account]\nuser = \"1\"\ndomain = \"pbx.test\"\nregistrar = \"reg.test\"\nregister = false\n", "", false},
	}
	for i, tc := range tests {
		c, err := Parse("handset.toml", []byte(tc.file))
		if err != nil {
			t.Fatalf("#%d: %v", i, err)
		}
		if c.Account.Registrar != tc.wantRegistrar || c.Account.Registers() != tc.wantRegisters {
			t.Fatalf("#%d: registrar %q registers %v, want %q %v", i, c.Account.Registrar, c.Account.Registers(), tc.wantRegistrar, tc.wantRegisters)
		}
	}
}
