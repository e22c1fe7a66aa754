package testpeer

import (
	"errors"
	"strings"
	"testing"
)

func TestRenderKamailioCfg(t *testing.T) {
	listen, err := kamailioListenAddr("127.0.0.1:5070")
	if err != nil {
		t.Fatal(err)
	}
	text, err := renderKamailioCfg(KamailioConfig{
		Users:  map[string]string{"1002": "two", "1001": "one two"},
		Domain: "handset.test",
	}, listen)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"listen=udp:127.0.0.1:5070\n",
		`alias="handset.test"`,
		"\t$sht(users=>1001) = \"one two\";\n\t$sht(users=>1002) = \"two\";\n",
		`auth_challenge("handset.test", "1")`,
		`modparam("usrloc", "db_mode", 0)`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("kamailio.cfg lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "{{") {
		t.Errorf("kamailio.cfg has unexpanded template actions:\n%s", text)
	}
}

func TestKamailioListenAddr(t *testing.T) {
	tests := []struct {
		in      string
		want    string // "" when the port is picked
		wantErr bool
	}{
		{"127.0.0.1:5070", "127.0.0.1:5070", false},
		{"[::1]:5070", "[::1]:5070", false},
		{"127.0.0.1:0", "", false},
		{"", "", false},
		{"192.0.2.1:5060", "", true},
		{"0.0.0.0:5060", "", true},
		{"localhost:5060", "", true},
		{"127.0.0.1", "", true},
	}
	for i, tc := range tests {
		got, err := kamailioListenAddr(tc.in)
		if tc.wantErr {
			if !errors.Is(err, errBadConfig) {
				t.Errorf("#%d %q: got %v, %v; want %v", i, tc.in, got, err, errBadConfig)
			}
			continue
		}
		switch {
		case err != nil:
			t.Errorf("#%d %q: %v", i, tc.in, err)
		case tc.want != "" && got.String() != tc.want:
			t.Errorf("#%d %q: got %v, want %s", i, tc.in, got, tc.want)
		case got.Port() == 0 || !got.Addr().IsLoopback():
			t.Errorf("#%d %q: got %v, want a loopback address with a port", i, tc.in, got)
		}
	}
}

func TestRenderKamailioCfgRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  KamailioConfig
	}{
		{"no domain", KamailioConfig{Users: map[string]string{"1001": "pw"}}},
		{"domain with a quote", KamailioConfig{Domain: `a"b`}},
		{"domain with a space", KamailioConfig{Domain: "a b"}},
		{"domain starting with a dot", KamailioConfig{Domain: ".test"}},
		{"empty user name", KamailioConfig{Domain: "d.test", Users: map[string]string{"": "pw"}}},
		{"user name with a paren", KamailioConfig{Domain: "d.test", Users: map[string]string{"10)01": "pw"}}},
		{"user name with @", KamailioConfig{Domain: "d.test", Users: map[string]string{"a@b": "pw"}}},
		{"empty password", KamailioConfig{Domain: "d.test", Users: map[string]string{"1001": ""}}},
		{"password with a quote", KamailioConfig{Domain: "d.test", Users: map[string]string{"1001": `p"w`}}},
		{"password with a backslash", KamailioConfig{Domain: "d.test", Users: map[string]string{"1001": `p\w`}}},
		{"password with a dollar", KamailioConfig{Domain: "d.test", Users: map[string]string{"1001": "p$w"}}},
		{"password with a newline", KamailioConfig{Domain: "d.test", Users: map[string]string{"1001": "p\nw"}}},
		{"password not ASCII", KamailioConfig{Domain: "d.test", Users: map[string]string{"1001": "pä"}}},
	}
	listen, err := kamailioListenAddr("127.0.0.1:5070")
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		if _, err := renderKamailioCfg(tc.cfg, listen); !errors.Is(err, errBadConfig) {
			t.Errorf("#%d %s: got %v, want %v", i, tc.name, err, errBadConfig)
		}
	}
}
