package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultEqualsMinimalFile(t *testing.T) {
	for _, src := range []string{"version = 1", "version = 1\n[account]\n[speed_dial]\n[board]\n"} {
		c, err := Parse("min.toml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if d := Default(); !reflect.DeepEqual(c, d) {
			t.Errorf("%q:\nparsed  %+v\nDefault %+v", src, c, d)
		}
	}
}

// TestDefaultIsValid checks Default against every validation rule.
func TestDefaultIsValid(t *testing.T) {
	out := &collector{file: "default"}
	c := Default()
	validateValues(&c, map[string]pos{}, out, "")
	validateRules(&c, map[string]pos{}, out)
	if len(out.list) > 0 {
		t.Errorf("Default() fails validation:\n%v", out.list)
	}
}

func TestDefaultIsFresh(t *testing.T) {
	a := Default()
	a.Media.Codecs[0] = CodecG722
	if b := Default(); b.Media.Codecs[0] != CodecPCMU {
		t.Errorf("Default shares its codec slice between calls")
	}
}

func readExample(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../handset.example.toml")
	if err != nil {
		t.Fatalf("read example: %v", err)
	}
	return data
}

func TestExampleParses(t *testing.T) {
	c, err := Parse("handset.example.toml", readExample(t))
	if err != nil {
		t.Fatalf("the example has problems:\n%v", err)
	}
	if !c.Account.Registers() || c.Account.Registrar != c.Account.Domain {
		t.Errorf("example account: %+v", c.Account)
	}
}

// TestExampleDocumentsEveryKey checks that the example names every key the
// parser knows, set or commented out.
func TestExampleDocumentsEveryKey(t *testing.T) {
	example := string(readExample(t))
	d := &decoder{}
	var c Config
	for _, section := range sectionNames() {
		if !strings.Contains(example, "\n["+section+"]\n") {
			t.Errorf("the example has no [%s] section", section)
		}
		for _, f := range d.sectionFields(&c, section) {
			if !strings.Contains(example, "\n"+f.name+" = ") && !strings.Contains(example, "\n# "+f.name+" = ") {
				t.Errorf("the example does not show %s.%s", section, f.name)
			}
		}
	}
}

func TestBOMAndCRLF(t *testing.T) {
	unix := "version = 1\n[account]\nuser = \"1001\" # me\ndomain = \"pbx.example.com\"\n[media]\ncodecs = [\n  \"PCMA\",\n]\n"
	want, err := Parse("unix.toml", []byte(unix))
	if err != nil {
		t.Fatalf("unix file: %v", err)
	}
	dos := "\xef\xbb\xbf" + strings.ReplaceAll(unix, "\n", "\r\n")
	got, err := Parse("dos.toml", []byte(dos))
	if err != nil {
		t.Fatalf("BOM+CRLF file: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BOM+CRLF file decodes differently:\n%+v\nwant %+v", got, want)
	}
	// Line numbers are unchanged by CRLF.
	probs := parseProblems(t, "\xef\xbb\xbfversion = 1\r\n\r\n[account]\r\nexpiry = 1\r\n")
	checkProblems(t, "CRLF lines", probs, []wantProblem{{4, "account.expiry", "got 1"}})
}

// TestManyProblems checks that one pass reports every problem, each on its
// line, ordered, after syntax errors.
func TestManyProblems(t *testing.T) {
	src := `version = 1
[account]
user = 1001
exipry = 3600
expiry = 5
local_port = 0x13c4
transport = "tls"

[dialing]
short_timer = "3"
hotline = "12ab"
[media]
codecs = [
  "PCMU",
  opus,
  "PCMU",
]
jitter_ms = 10
[tones]
country = "nz"
[tones]
[board]
hook = 17
hook = "GPIO17"
`
	probs := parseProblems(t, src)
	checkProblems(t, "many", probs, []wantProblem{
		{3, "account.user", "want a string, got an integer"},
		{4, "account.exipry", "unknown key"},
		{5, "account.expiry", "must be between 60 and 86400 (got 5)"},
		{6, "account.local_port", "hexadecimal"},
		{7, "account.transport", "not supported yet"},
		{10, "dialing.short_timer", "want a number, got a string"},
		{11, "dialing.hotline", "want a number"},
		{15, "media.codecs", `invalid value "opus"`},
		{18, "media.jitter_ms", "must be between 20 and 500 (got 10)"},
		{20, "tones.country", `got "nz"`},
		{21, "tones", "duplicate table [tones]"},
		{23, "board.hook", "want a string"},
		{24, "board.hook", "duplicate key: it was already set on line 23"},
	})
	for _, p := range probs {
		if p.File != "handset.toml" {
			t.Errorf("problem %v has file %q", p, p.File)
		}
	}
}

func TestParseErrorReturnsZeroConfig(t *testing.T) {
	c, err := Parse("x.toml", []byte("version = 2"))
	if err == nil || !reflect.DeepEqual(c, Config{}) {
		t.Errorf("Parse = %+v, %v; want the zero Config and an error", c, err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	bad := filepath.Join(dir, "bad.toml")
	huge := filepath.Join(dir, "huge.toml")
	for name, data := range map[string]string{
		good: "version = 1\n[log]\nlevel = \"warn\"\n",
		bad:  "version = 1\n[log]\nlevel = \"loud\"\n",
		huge: "version = 1\n" + strings.Repeat("#\n", maxFileSize),
	} {
		if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	c, err := Load(good)
	if err != nil || c.Log.Level.String() != "WARN" {
		t.Errorf("Load(good) = %v, %v", c.Log.Level, err)
	}

	_, err = Load(filepath.Join(dir, "missing.toml"))
	if !errors.Is(err, ErrNoConfig) {
		t.Errorf("Load(missing) = %v, want ErrNoConfig", err)
	}

	_, err = Load(bad)
	var probs Problems
	if !errors.As(err, &probs) || errors.Is(err, ErrNoConfig) {
		t.Fatalf("Load(bad) = %v, want Problems", err)
	}
	if want := bad + ":3: log.level: "; len(probs) != 1 || !strings.HasPrefix(probs[0].String(), want) {
		t.Errorf("Load(bad) problems %v, want one starting %q", probs, want)
	}

	_, err = Load(huge)
	if !errors.Is(err, errTooLarge) {
		t.Errorf("Load(huge) = %v, want errTooLarge", err)
	}

	_, err = Load(dir)
	if err == nil || errors.Is(err, ErrNoConfig) || errors.As(err, &probs) {
		t.Errorf("Load(directory) = %v, want a read error", err)
	}
}
