package config

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseLayersKeyByKey(t *testing.T) {
	common := Source{"https://prov/handset.toml", []byte(`version = 1
[account]
domain = "pbx.example.com"
expiry = 600
[media]
codecs = ["PCMA", "PCMU"]
[speed_dial]
1 = "100"
2 = "200"
[provisioning]
url = "https://prov.example.com/phones/"
interval_minutes = 30
`)}
	perMAC := Source{"https://prov/b827eb000001.toml", []byte(`version = 1
[account]
user = "1001"
expiry = 900
[media]
codecs = ["G722"]
[speed_dial]
2 = "222"
`)}
	local := Source{"/boot/handset.toml", []byte(`version = 1
[account]
password = "secret-pw"
display_name = "Kitchen"
[speed_dial]
3 = "300"
[provisioning]
interval_minutes = 15
`)}
	c, err := ParseLayers(common, perMAC, local)
	if err != nil {
		t.Fatalf("ParseLayers: %v", err)
	}
	a := c.Account
	if a.Domain != "pbx.example.com" || a.User != "1001" || string(a.Password) != "secret-pw" || a.DisplayName != "Kitchen" {
		t.Errorf("account = %+v", a)
	}
	if a.Expiry.Seconds() != 900 {
		t.Errorf("expiry = %v, want the per-MAC file's 900 s", a.Expiry)
	}
	if a.AuthUser != "1001" || a.Registrar != "pbx.example.com" {
		t.Errorf("derived auth_user %q registrar %q", a.AuthUser, a.Registrar)
	}
	if !slices.Equal(c.Media.Codecs, []Codec{CodecG722}) {
		t.Errorf("codecs = %v: a later list replaces an earlier one whole", c.Media.Codecs)
	}
	if want := (SpeedDial{'1': "100", '2': "222", '3': "300"}); !reflect.DeepEqual(c.SpeedDial, want) {
		t.Errorf("speed dials = %v, want %v", c.SpeedDial, want)
	}
	if c.Provisioning.URL != "https://prov.example.com/phones/" || c.Provisioning.Interval.Minutes() != 15 {
		t.Errorf("provisioning = %+v", c.Provisioning)
	}
	if c.Dialing.DigitMap != DefaultDigitMap || c.Tones.Country != CountryUS {
		t.Errorf("keys no source sets lost their defaults: %+v %+v", c.Dialing, c.Tones)
	}
}

func TestParseLayersSingleEqualsParse(t *testing.T) {
	data := readExample(t)
	a, errA := Parse("x.toml", data)
	b, errB := ParseLayers(Source{"x.toml", data})
	if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
		t.Errorf("Parse and ParseLayers of one source differ: %v %v", errA, errB)
	}
	if c, err := ParseLayers(); err != nil || !reflect.DeepEqual(c, Default()) {
		t.Errorf("ParseLayers() = %+v, %v; want the defaults", c, err)
	}
}

func TestParseLayersProblemsNameTheirSource(t *testing.T) {
	tests := []struct {
		name    string
		sources []Source
		want    []Problem // Msg is a substring
	}{
		{
			name: "each file's own problems, in source order",
			sources: []Source{
				{"common.toml", []byte("version = 1\n[account]\nexipry = 600\n")},
				{"mac.toml", []byte("version = 1\n[media]\njitter_ms = 5\n")},
				{"local.toml", []byte("version = 1\n[tones]\ncountry = 7\n")},
			},
			want: []Problem{
				{"common.toml", 3, "account.exipry", `unknown key "exipry" in [account] (did you mean "expiry"?)`},
				{"mac.toml", 3, "media.jitter_ms", "must be between 20 and 500 (got 5)"},
				{"local.toml", 3, "tones.country", "want a string, got an integer"},
			},
		},
		{
			name: "a rule between keys is reported where the key was set",
			sources: []Source{
				{"common.toml", []byte("version = 1\n\n[account]\ndomain = \"pbx.example.com\"\n")},
				{"local.toml", []byte("version = 1\n")},
			},
			want: []Problem{{"common.toml", 4, "account.user", "required when account.domain is set"}},
		},
		{
			name: "a value out of range is a problem even when a later file overrides it",
			sources: []Source{
				{"common.toml", []byte("version = 1\n[dialing]\noffhook_timer = 200\n")},
				{"local.toml", []byte("version = 1\n[dialing]\noffhook_timer = 20\n")},
			},
			want: []Problem{{"common.toml", 3, "dialing.offhook_timer", "must be between 1 and 120 (got 200)"}},
		},
		{
			name: "a wrong type in one file does not hide a range problem in another",
			sources: []Source{
				{"common.toml", []byte("version = 1\n[account]\nexpiry = \"x\"\n")},
				{"local.toml", []byte("version = 1\n[account]\nexpiry = 5\n")},
			},
			want: []Problem{
				{"common.toml", 3, "account.expiry", "want an integer"},
				{"local.toml", 3, "account.expiry", "must be between 60 and 86400 (got 5)"},
			},
		},
		{
			name: "rules between keys see the layered values",
			sources: []Source{
				{"common.toml", []byte("version = 1\n[dialing]\nshort_timer = 25\n")},
				{"local.toml", []byte("version = 1\n[dialing]\nlong_timer = 30\n")},
			},
			want: []Problem{},
		},
		{
			name: "the winning value breaks a rule",
			sources: []Source{
				{"common.toml", []byte("version = 1\n[dialing]\nshort_timer = 25\nlong_timer = 30\n")},
				{"local.toml", []byte("version = 1\n[dialing]\nlong_timer = 20\n")},
			},
			want: []Problem{{"common.toml", 3, "dialing.short_timer", "must not be longer than long_timer (20)"}},
		},
		{
			name: "every file states its version",
			sources: []Source{
				{"common.toml", []byte("version = 2\n")},
				{"mac.toml", []byte("[account]\nuser = \"1\"\n")},
				{"local.toml", []byte("version = 1\n")},
			},
			want: []Problem{
				{"common.toml", 1, "version", "2 is not supported"},
				{"mac.toml", 0, "version", "missing"},
			},
		},
		{
			name: "a key no file sets is reported against the last file",
			sources: []Source{
				{"common.toml", []byte("version = 1\n")},
				{"local.toml", []byte("version = 1\n[media]\nrtp_port_min = 5000\nrtp_port_max = 5100\n")},
			},
			want: []Problem{{"local.toml", 3, "account.local_port", "lies inside the RTP port range"}},
		},
	}
	for _, tt := range tests {
		_, err := ParseLayers(tt.sources...)
		var got Problems
		if len(tt.want) == 0 {
			if err != nil {
				t.Errorf("%s: unexpected problems:\n%v", tt.name, err)
			}
			continue
		}
		if !errors.As(err, &got) {
			t.Errorf("%s: error %v, want Problems", tt.name, err)
			continue
		}
		ok := len(got) == len(tt.want)
		for i := 0; ok && i < len(got); i++ {
			g, w := got[i], tt.want[i]
			ok = g.File == w.File && g.Line == w.Line && g.Key == w.Key && strings.Contains(g.Msg, w.Msg)
		}
		if !ok {
			t.Errorf("%s: got\n%v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// TestWiFiPasswordNeverShown checks that no problem quotes a Wi-Fi
// password, whatever is wrong with it.
func TestWiFiPasswordNeverShown(t *testing.T) {
	for _, value := range []string{`"sh0rtpw"`, `"pässwörter"`, `12345678`, `"unterminated-pw`, `["list-pw-1"]`, `"` + strings.Repeat("q", 70) + `"`} {
		src := "version = 1\n[wifi]\nssid = \"home\"\npassword = " + value + "\n"
		probs := parseProblems(t, src)
		if len(probs) == 0 {
			t.Errorf("password = %s: no problem reported", value)
		}
		secret := strings.Trim(value, `"[]`)
		if strings.Contains(probs.Error(), secret) {
			t.Errorf("password = %s: problems show it:\n%v", value, probs)
		}
	}
}
