package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestValidate covers every range check and rule between keys. Each source
// is put after "version = 1", so it starts on line 2.
func TestValidate(t *testing.T) {
	tests := []struct {
		src  string
		want []wantProblem
	}{
		// [account]
		{"[account]\nuser = \"1001@pbx\"\ndomain = \"pbx\"", []wantProblem{{3, "account.user", "want the user part alone"}}},
		{"[account]\nauth_user = \"a b\"", []wantProblem{{3, "account.auth_user", "want the user part alone"}}},
		{"[account]\ndomain = \"pbx.example.com\"", []wantProblem{{3, "account.user", "required when account.domain is set"}}},
		{"[account]\nregistrar = \"pbx.example.com\"", []wantProblem{{3, "account.domain", "required when account.registrar is set"}}},
		{"[account]\nuser = \"1\"\ndomain = \"sip:pbx.example.com\"", []wantProblem{{4, "account.domain", `without "sip:"`}}},
		{"[account]\nuser = \"1\"\ndomain = \"pbx example.com\"", []wantProblem{{4, "account.domain", `"pbx example.com" is not a host name`}}},
		{"[account]\nuser = \"1\"\ndomain = \"pbx.example.com:0\"", []wantProblem{{4, "account.domain", "port after \":\" must be between 1 and 65535"}}},
		{"[account]\nuser = \"1\"\ndomain = \"pbx.example.com:\"", []wantProblem{{4, "account.domain", "must be between 1 and 65535"}}},
		{"[account]\nuser = \"1\"\ndomain = \"pbx.example.com:+5\"", []wantProblem{{4, "account.domain", "must be between 1 and 65535"}}},
		{"[account]\nuser = \"1\"\ndomain = \"2001:db8::1\"", []wantProblem{{4, "account.domain", "needs brackets"}}},
		{"[account]\nuser = \"1\"\ndomain = \"[2001:db8::1\"", []wantProblem{{4, "account.domain", "IPv6 address in brackets"}}},
		{"[account]\nuser = \"1\"\ndomain = \"[10.0.0.1]\"", []wantProblem{{4, "account.domain", "IPv6 address in brackets"}}},
		{"[account]\nuser = \"1\"\ndomain = \"[2001:db8::1]5060\"", []wantProblem{{4, "account.domain", `unexpected "5060" after "]"`}}},
		{"[account]\nuser = \"1\"\ndomain = \"10.0.0.256\"", []wantProblem{{4, "account.domain", "not a host name"}}},
		{"[account]\nuser = \"1\"\ndomain = \"-pbx.example.com\"", []wantProblem{{4, "account.domain", "not a host name"}}},
		{"[account]\nuser = \"1\"\ndomain = \"pbx..example.com\"", []wantProblem{{4, "account.domain", "not a host name"}}},
		{"[account]\nuser = \"1\"\ndomain = \"pbx_1.example.com\"", []wantProblem{{4, "account.domain", "not a host name"}}},
		{"[account]\noutbound_proxy = \"http://proxy\"", []wantProblem{{3, "account.outbound_proxy", `without "sip:"`}}},
		{"[account]\ntransport = \"tcp\"", []wantProblem{{3, "account.transport", `"tcp" is not supported yet`}}},
		{"[account]\ntransport = \"TLS\"", []wantProblem{{3, "account.transport", `"tls" is not supported yet`}}},
		{"[account]\ntransport = \"sctp\"", []wantProblem{{3, "account.transport", `must be "udp" (got "sctp")`}}},
		{"[account]\nlocal_port = 0", []wantProblem{{3, "account.local_port", "must be between 1 and 65535 (got 0)"}}},
		{"[account]\nlocal_port = 65536", []wantProblem{{3, "account.local_port", "must be between 1 and 65535 (got 65536)"}}},
		{"[account]\nlocal_port = 16400", []wantProblem{{3, "account.local_port", "16400 lies inside the RTP port range 16384-16483"}}},
		{"[account]\nexpiry = 5", []wantProblem{{3, "account.expiry", "must be between 60 and 86400 (got 5)"}}},
		{"[account]\nexpiry = 86401", []wantProblem{{3, "account.expiry", "must be between 60 and 86400 (got 86401)"}}},
		// [dialing]
		{"[dialing]\ndigit_map = \"  \"", []wantProblem{{3, "dialing.digit_map", "must not be empty"}}},
		{"[dialing]\nshort_timer = 0.5", []wantProblem{{3, "dialing.short_timer", "must be between 1 and 30 (got 0.5)"}}},
		{"[dialing]\nshort_timer = 31\nlong_timer = 60", []wantProblem{{3, "dialing.short_timer", "must be between 1 and 30 (got 31)"}}},
		{"[dialing]\nlong_timer = 61", []wantProblem{{3, "dialing.long_timer", "must be between 1 and 60 (got 61)"}}},
		{"[dialing]\nlong_timer = 0", []wantProblem{{3, "dialing.long_timer", "must be between 1 and 60 (got 0)"}, {3, "dialing.short_timer", "must not be longer than long_timer (0)"}}},
		{"[dialing]\nlong_timer = 2", []wantProblem{{3, "dialing.short_timer", "must not be longer than long_timer (2)"}}},
		{"[dialing]\noffhook_timer = 0", []wantProblem{{3, "dialing.offhook_timer", "must be between 1 and 120 (got 0)"}}},
		{"[dialing]\noffhook_timer = 121", []wantProblem{{3, "dialing.offhook_timer", "must be between 1 and 120"}}},
		{"[dialing]\nwarm_line_delay = -1", []wantProblem{{3, "dialing.warm_line_delay", "must be between 0 and 60 (got -1)"}}},
		{"[dialing]\nwarm_line_delay = 61", []wantProblem{{3, "dialing.warm_line_delay", "must be between 0 and 60 (got 61)"}}},
		{"[dialing]\nhotline = \"12ab\"", []wantProblem{{3, "dialing.hotline", "want a number (digits, * and #, optionally starting with +) or a sip: URI"}}},
		{"[dialing]\nwarm_line = \"+\"", []wantProblem{{3, "dialing.warm_line", "want a number"}}},
		{"[dialing]\nhotline = \"1\"\nwarm_line = \"2\"", []wantProblem{{4, "dialing.warm_line", "set either hotline or warm_line, not both"}}},
		{"[dialing]\nwarm_line = \"2\"\nwarm_line_delay = 20", []wantProblem{{4, "dialing.warm_line_delay", "must be shorter than offhook_timer (15)"}}},
		{"[dialing]\nwarm_line = \"2\"\noffhook_timer = 5", []wantProblem{{4, "dialing.warm_line_delay", "must be shorter than offhook_timer (5)"}}},
		// [speed_dial]
		{"[speed_dial]\n1 = \"\"", []wantProblem{{3, "speed_dial.1", "want a number"}}},
		{"[speed_dial]\n1 = \"sip:\"", []wantProblem{{3, "speed_dial.1", `want "sip:user@host" or "sip:host"`}}},
		{"[speed_dial]\n1 = \"sip:@host\"", []wantProblem{{3, "speed_dial.1", `want "sip:user@host"`}}},
		{"[speed_dial]\n1 = \"sip:a@bad host\"", []wantProblem{{3, "speed_dial.1", `want "sip:user@host"`}}},
		{"[speed_dial]\n1 = \"call mum\"\n2 = \"555 1234\"", []wantProblem{{3, "speed_dial.1", "want a number"}, {4, "speed_dial.2", "want a number"}}},
		// [tones]
		{"[tones]\ncountry = \"nz\"", []wantProblem{{3, "tones.country", `must be one of "us", "uk", "de", "eu", "fr" (got "nz")`}}},
		// [media]
		{"[media]\ncodecs = []", []wantProblem{{3, "media.codecs", "must list at least one codec"}}},
		{"[media]\ncodecs = [\"opus\", \"PCMU\", \"pcmu\"]", []wantProblem{
			{3, "media.codecs", `unknown codec "OPUS": choose from "PCMU", "PCMA" and "G722"`},
			{3, "media.codecs", `"PCMU" is listed twice`}}},
		{"[media]\nrtp_port_min = 1022\nrtp_port_max = 2000", []wantProblem{{3, "media.rtp_port_min", "must be between 1024 and 65534 (got 1022)"}}},
		{"[media]\nrtp_port_min = 20001\nrtp_port_max = 20100", []wantProblem{{3, "media.rtp_port_min", "must be even"}}},
		{"[media]\nrtp_port_max = 16483", []wantProblem{{3, "media.rtp_port_max", "must be even: RTP uses even ports, RTCP the odd port above (got 16483)"}}},
		{"[media]\nrtp_port_max = 65536", []wantProblem{{3, "media.rtp_port_max", "must be between 1024 and 65534 (got 65536)"}}},
		{"[media]\nrtp_port_min = 20000", []wantProblem{{3, "media.rtp_port_max", "must be greater than rtp_port_min (20000)"}}},
		{"[media]\nrtp_port_min = 5000\nrtp_port_max = 5100", []wantProblem{{3, "account.local_port", "5060 lies inside the RTP port range 5000-5101"}}},
		{"[media]\ndtmf_payload_type = 95", []wantProblem{{3, "media.dtmf_payload_type", "must be between 96 and 127 (got 95)"}}},
		{"[media]\ndtmf_payload_type = 128", []wantProblem{{3, "media.dtmf_payload_type", "must be between 96 and 127 (got 128)"}}},
		{"[media]\njitter_ms = 10", []wantProblem{{3, "media.jitter_ms", "must be between 20 and 500 (got 10)"}}},
		{"[media]\njitter_ms = 501", []wantProblem{{3, "media.jitter_ms", "must be between 20 and 500 (got 501)"}}},
		// [audio]
		{"[audio]\ncard = \"hw:1\"", []wantProblem{{3, "audio.card", `want an ALSA card number or id`}}},
		{"[audio]\nplayback_device = \"plughw:1,0\"", []wantProblem{{3, "audio.playback_device", "opens the card directly"}}},
		{"[audio]\ncapture_device = \"hw:1,32\"", []wantProblem{{3, "audio.capture_device", "between 0 and 31"}}},
		{"[audio]\nrate = 22050", []wantProblem{{3, "audio.rate", "must be 0 (automatic), 8000, 16000, 44100 or 48000 (got 22050)"}}},
		{"[audio]\nperiod_ms = 5", []wantProblem{{3, "audio.period_ms", "must be 10 or 20 (got 5)"}}},
		{"[audio]\nbuffer_periods = 1", []wantProblem{{3, "audio.buffer_periods", "must be between 2 and 4 (got 1)"}}},
		{"[audio]\nbuffer_periods = 5", []wantProblem{{3, "audio.buffer_periods", "must be between 2 and 4 (got 5)"}}},
		{"[audio]\nplayback_volume = 101", []wantProblem{{3, "audio.playback_volume", "must be between 0 and 100 (got 101)"}}},
		{"[audio]\ncapture_volume = -1", []wantProblem{{3, "audio.capture_volume", "must be between 0 and 100 (got -1)"}}},
		// [board]
		{"[board]\nmodel = \"pi-5\"", []wantProblem{{3, "board.model", `must be one of "sim", "pi-zero-w", "pi-zero-2-w", "pi-3", "pi-4", "none" (got "pi-5")`}}},
		{"[board]\nkeypad_rows = [\"GPIO1\", \"GPIO2\", \"GPIO3\"]", []wantProblem{{3, "board.keypad_rows", "must list 4 pins, one per keypad row (got 3)"}}},
		{"[board]\nkeypad_rows = []", []wantProblem{{3, "board.keypad_rows", "must list 4 pins"}}},
		{"[board]\nkeypad_cols = [\"GPIO1\", \"GPIO2\"]", []wantProblem{{3, "board.keypad_cols", "must list 3 or 4 pins, one per keypad column (got 2)"}}},
		{"[board]\nkeypad_layout = \"123456789*0\"", []wantProblem{{3, "board.keypad_layout", "must name 12 keys (3 columns) or 16 keys (4 columns)"}}},
		{"[board]\nkeypad_layout = \"123456789*0E\"", []wantProblem{{3, "board.keypad_layout", "'E' is not a keypad key"}}},
		{"[board]\nkeypad_layout = \"123456789*00\"", []wantProblem{{3, "board.keypad_layout", "'0' appears twice"}}},
		{"[board]\nkeypad_cols = [\"GPIO1\", \"GPIO2\", \"GPIO3\"]\nkeypad_layout = \"123A456B789C*0#D\"", []wantProblem{{4, "board.keypad_layout", "must name 12 keys for 4 rows of 3 columns (got 16)"}}},
		{"[board]\nhook = \"chip0:GPIO 1\"", []wantProblem{{3, "board.hook", `after "chip:" write a line offset`}}},
		{"[board]\nhook = \":17\"", []wantProblem{{3, "board.hook", `the chip before ":" must be a name`}}},
		{"[board]\nhook = \"gpiochip0:99999\"", []wantProblem{{3, "board.hook", "line offset is out of range"}}},
		{"[board]\nhook_active = \"LOW\"\nhook_contact = \"closed\"", []wantProblem{{4, "board.hook_contact", `must be one of "no", "nc" (got "closed")`}}},
		{"[board]\nhook_active = \"up\"", []wantProblem{{3, "board.hook_active", `must be one of "low", "high" (got "up")`}}},
		{"[board]\nringer_active = \"on\"", []wantProblem{{3, "board.ringer_active", `must be one of "high", "low" (got "on")`}}},
		{"[board]\nflash_min_ms = 10", []wantProblem{{3, "board.flash_min_ms", "must be between 20 and 2000 (got 10)"}}},
		{"[board]\nflash_max_ms = 6000", []wantProblem{{3, "board.flash_max_ms", "must be between 50 and 5000 (got 6000)"}}},
		{"[board]\nflash_min_ms = 900", []wantProblem{{3, "board.flash_max_ms", "must be greater than flash_min_ms (900)"}}},
		{"[board]\nflash_max_ms = 100", []wantProblem{{3, "board.flash_max_ms", "must be greater than flash_min_ms (100)"}}},
		{"[board]\nwatchdog = \"watchdog\"", []wantProblem{{3, "board.watchdog", `want a device path such as "/dev/watchdog"`}}},
		{"[board]\nhook = \"GPIO17\"\nringer = \"GPIO17\"\nled_error = \"GPIO17\"", []wantProblem{
			{4, "board.ringer", `pin "GPIO17" is also used by board.hook`},
			{5, "board.led_error", `pin "GPIO17" is also used by board.hook`}}},
		{"[board]\nkeypad_rows = [\"GPIO1\", \"GPIO2\", \"GPIO3\", \"gpiochip0:4\"]\nkeypad_cols = [\"GPIO5\", \"GPIO1\", \"gpiochip0:4\"]", []wantProblem{
			{4, "board.keypad_cols", `pin "GPIO1" is also used by board.keypad_rows`},
			{4, "board.keypad_cols", `pin "gpiochip0:4" is also used by board.keypad_rows`}}},
		// [wifi]
		{"[wifi]\nssid = \"" + strings.Repeat("x", 33) + "\"", []wantProblem{{3, "wifi.ssid", "at most 32 bytes long (got 33)"}}},
		{"[wifi]\npassword = \"longenough\"", []wantProblem{{3, "wifi.ssid", "required when wifi.password is set"}}},
		{"[wifi]\nssid = \"home\"\npassword = \"short\"", []wantProblem{{4, "wifi.password", "8 to 63 characters long (this one has 5)"}}},
		{"[wifi]\nssid = \"home\"\npassword = \"" + strings.Repeat("p", 64) + "\"", []wantProblem{{4, "wifi.password", "or 64 hex digits"}}},
		{"[wifi]\nssid = \"home\"\npassword = \"pässwort-lang\"", []wantProblem{{4, "wifi.password", "only printable ASCII"}}},
		{"[wifi]\ncountry = \"uk\"", []wantProblem{{3, "wifi.country", `use "GB" for the United Kingdom`}}},
		{"[wifi]\ncountry = \"USA\"", []wantProblem{{3, "wifi.country", `want a two-letter country code such as "US", "GB" or "DE" (got "USA")`}}},
		{"[wifi]\ncountry = \"D1\"", []wantProblem{{3, "wifi.country", "two-letter country code"}}},
		{"[wifi]\nhidden = \"yes\"", []wantProblem{{3, "wifi.hidden", "want a boolean"}}},
		// [provisioning]
		{"[provisioning]\nurl = \"http://prov.example.com/\"", []wantProblem{{3, "provisioning.url", `must start with "https://"`}}},
		{"[provisioning]\nurl = \"prov.example.com\"", []wantProblem{{3, "provisioning.url", `must start with "https://"`}}},
		{"[provisioning]\nurl = \"https:///phones/\"", []wantProblem{{3, "provisioning.url", "names no server"}}},
		{"[provisioning]\nurl = \"https://prov.example.com/p?mac=1\"", []wantProblem{{3, "provisioning.url", `without "?" or "#"`}}},
		{"[provisioning]\nurl = \"https://admin:pw@prov.example.com/\"", []wantProblem{{3, "provisioning.url", "must not hold a user name or password"}}},
		{"[provisioning]\nurl = \"https://prov example.com/\"", []wantProblem{{3, "provisioning.url", "want an address such as"}}},
		{"[provisioning]\ninterval_minutes = 4", []wantProblem{{3, "provisioning.interval_minutes", "must be between 5 and 10080 (got 4)"}}},
		{"[provisioning]\ninterval_minutes = 10081", []wantProblem{{3, "provisioning.interval_minutes", "must be between 5 and 10080 (got 10081)"}}},
		{"[provisioning]\nca_file = \"ca.pem\"", []wantProblem{{3, "provisioning.ca_file", "want a full path"}}},
	}
	for i, tt := range tests {
		checkProblems(t, fmt.Sprintf("#%d %q", i, tt.src), parseProblems(t, "version = 1\n"+tt.src), tt.want)
	}
}

// TestValidAccounts checks forms that must be accepted.
func TestValidAccounts(t *testing.T) {
	for _, src := range []string{
		"[account]\nuser = \"+4930123\"\ndomain = \"10.0.0.1\"",
		"[account]\nuser = \"alice\"\ndomain = \"[2001:db8::1]:5062\"\noutbound_proxy = \"proxy.example.com:5070\"",
		"[account]\nuser = \"alice\"\ndomain = \"example.com\"\nregistrar = \"registrar.example.com\"\nlocal_ip = \"fe80::1\"",
		"[account]\noutbound_proxy = \"proxy\"",
		"[dialing]\nhotline = \"sip:door@10.0.0.5:5062;transport=udp\"\n[speed_dial]\n0 = \"sip:pbx.example.com\"\n1 = \"*#21#\"",
		"[dialing]\nwarm_line = \"100\"\nwarm_line_delay = 0",
		"[media]\nrtp_port_min = 10000\nrtp_port_max = 65534\ncodecs = [\"G722\"]",
		"[board]\nmodel = \"none\"\nkeypad_cols = [\"a:1\", \"a:2\", \"a:3\", \"a:4\"]\nkeypad_layout = \"123A456B789C*0#D\"",
		"[wifi]\nssid = \"Café \\\"Ω\\\" #1\"\npassword = \"p@ss w\\\"rd #x\"\ncountry = \"de\"\nhidden = true",
		"[wifi]\nssid = \"open\"",
		"[wifi]\nssid = \"home\"\npassword = \"" + strings.Repeat("aB3", 21) + "1\"",
		"[provisioning]\nurl = \"https://prov.example.com:8443/phones\"\ndhcp = false\ninterval_minutes = 10080\nca_file = \"/boot/ca.pem\"",
		"[provisioning]\nurl = \"HTTPS://[2001:db8::1]/\"\ninterval_minutes = 5",
	} {
		if probs := parseProblems(t, "version = 1\n"+src); probs != nil {
			t.Errorf("%q: unexpected problems:\n%v", src, probs)
		}
	}
}
