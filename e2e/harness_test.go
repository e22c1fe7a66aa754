package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"handset/internal/testpeer"
	"handset/mediapath/detect"
	"handset/wav"
)

// handsetBin is the binary under test, built once by TestMain.
var handsetBin string

func TestMain(m *testing.M) {
	os.Exit(testpeer.RunWithHandset(func(bin string) int {
		handsetBin = bin
		return m.Run()
	}))
}

// event is one JSON line the phone printed.
type event = testpeer.Event

// phone is a running "handset --sim" process whose earpiece is recorded.
type phone struct {
	*testpeer.Handset
	t       *testing.T
	name    string
	speaker string
}

type phoneOpts struct {
	config string  // the TOML file's text
	mic    float64 // Hz of the microphone tone; 0 = silence
	quiet  bool    // log at info, not debug (for measurements)
}

// startPhone starts a simulated phone with the given config and waits for it
// to be ready. Cleanup quits it and, on failure, shows its log.
func startPhone(t *testing.T, name string, o phoneOpts) *phone {
	t.Helper()
	mic := "silence"
	if o.mic > 0 {
		mic = fmt.Sprintf("tone:%g", o.mic)
	}
	level := "debug"
	if o.quiet {
		level = "info"
	}
	speaker := filepath.Join(t.TempDir(), name+"-speaker.wav")
	h := testpeer.StartHandset(t, handsetBin, name, o.config,
		"--mic", mic, "--speaker", speaker, "--log-level", level)
	return &phone{Handset: h, t: t, name: name, speaker: speaker}
}

// heard stops the phone and reports how long its earpiece played freq.
func (p *phone) heard(freq float64) time.Duration {
	p.t.Helper()
	p.Stop()
	b, err := os.ReadFile(p.speaker)
	if err != nil {
		p.t.Fatal(err)
	}
	samples, rate, _, err := wav.Read(bytes.NewReader(b))
	if err != nil {
		p.t.Fatalf("phone %s speaker: %v", p.name, err)
	}
	var total time.Duration
	for _, s := range detect.Find(samples, rate, freq, 200*time.Millisecond) {
		total += s.End - s.Start
	}
	return total
}

func itoa(n int) string { return fmt.Sprint(n) }
