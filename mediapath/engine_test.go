package mediapath

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/haltest"
	"handset/hal/sim"
	"handset/mediapath/detect"
	"handset/mediapath/tone"
)

func TestNewEngineChecksConfig(t *testing.T) {
	card := sim.NewSoundCard(sim.SoundConfig{}, hal.SystemClock{})
	good := Config{Card: card, LocalAddr: loopback}
	tests := []struct {
		name string
		edit func(*Config)
		ok   bool
	}{
		{"defaults", func(*Config) {}, true},
		{"no card", func(c *Config) { c.Card = nil }, false},
		{"unknown codec", func(c *Config) { c.Codecs = []string{"PCMU", "OPUS"} }, false},
		{"no address", func(c *Config) { c.LocalAddr = netip.Addr{} }, false},
		{"unspecified address", func(c *Config) { c.LocalAddr = netip.IPv4Unspecified() }, false},
		{"IPv6", func(c *Config) { c.LocalAddr = netip.IPv6Loopback() }, true},
		{"inverted ports", func(c *Config) { c.PortMin, c.PortMax = 20000, 10000 }, false},
		{"one odd port", func(c *Config) { c.PortMin, c.PortMax = 20001, 20001 }, false},
		{"port too high", func(c *Config) { c.PortMin, c.PortMax = 65000, 70000 }, false},
		{"static DTMF type", func(c *Config) { c.DTMFPayloadType = 8 }, false},
		{"jitter bound too long", func(c *Config) { c.JitterMax = 5 * time.Second }, false},
		{"negative jitter bound", func(c *Config) { c.JitterMax = -time.Millisecond }, false},
		{"wideband", func(c *Config) { c.Codecs = []string{"G722", "PCMU"} }, true},
	}
	for _, tc := range tests {
		cfg := good
		tc.edit(&cfg)
		_, err := NewEngine(cfg, nil, hal.SystemClock{})
		if tc.ok && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.ok && !errors.Is(err, ErrBadConfig) {
			t.Errorf("%s: err %v, want ErrBadConfig", tc.name, err)
		}
	}
	if _, err := NewEngine(good, nil, nil); !errors.Is(err, ErrBadConfig) {
		t.Errorf("no clock: err %v", err)
	}
	for _, c := range []struct {
		codecs []string
		rate   int
	}{{nil, 8000}, {[]string{"PCMA"}, 8000}, {[]string{"PCMU", "G722"}, 16000}} {
		cfg := good
		cfg.Codecs = c.codecs
		if e, err := NewEngine(cfg, nil, hal.SystemClock{}); err != nil || e.Rate() != c.rate {
			t.Errorf("codecs %v: rate %d, %v; want %d", c.codecs, e.Rate(), err, c.rate)
		}
	}
}

func TestRunTwice(t *testing.T) {
	card := sim.NewSoundCard(sim.SoundConfig{}, hal.SystemClock{})
	e, _ := testEngine(t, card, hal.SystemClock{}, nil)
	run(t, e)
	waitFor(t, "the pump to start", func() bool { return card.Played() > 0 })
	if err := e.Run(t.Context()); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Run: %v, want ErrRunning", err)
	}
}

// TestTonesWhenIdle plays dial tone and a key tone with no stream attached
// and finds them in the speaker recording.
func TestTonesWhenIdle(t *testing.T) {
	card := newSpeakerCard(t, sim.SoundConfig{Mic: sim.NewToneSource(8000, 1000, 0.5)}, hal.SystemClock{})
	e, _ := testEngine(t, card, hal.SystemClock{}, nil)
	e.PlayTone(tone.Dial)
	stop := run(t, e)
	waitFor(t, "a second of dial tone", func() bool { return card.Played() >= 8000 })
	e.PlayKeyTone('5')
	e.PlayKeyTone(hal.KeyRedial) // not a DTMF key: ignored
	at := card.Played()
	waitFor(t, "the key tone", func() bool { return card.Played() >= at+8000 })
	e.PlayTone(tone.None)
	at = card.Played()
	waitFor(t, "silence", func() bool { return card.Played() >= at+8000 })
	stop()
	samples, rate := card.recording(t)

	dial := samples[:8000]
	for _, f := range []float64{350, 440} {
		if segs := detect.Find(dial, rate, f, 900*time.Millisecond); len(segs) != 1 {
			t.Errorf("dial tone: %v Hz segments %v, want one of about 1 s", f, segs)
		}
	}
	if segs := detect.Find(samples, rate, 1000, 20*time.Millisecond); segs != nil {
		t.Errorf("the microphone leaked into the earpiece: %v", segs)
	}
	// 5 is 770 + 1336 Hz, for 100 ms.
	key := samples[8000:]
	for _, f := range []float64{770, 1336} {
		segs := detect.Find(key, rate, f, 60*time.Millisecond)
		if len(segs) != 1 || segs[0].End-segs[0].Start > 150*time.Millisecond {
			t.Errorf("key tone: %v Hz segments %v, want one of 100 ms", f, segs)
		}
	}
	if len(samples) < 24000 {
		t.Fatalf("recording of %d samples", len(samples))
	}
	tail := samples[len(samples)-4000:]
	for _, f := range []float64{350, 440} {
		if segs := detect.Find(tail, rate, f, 20*time.Millisecond); segs != nil {
			t.Errorf("tone.None: %v Hz still playing: %v", f, segs)
		}
	}
}

// TestCardConversion runs the pump on a 48 kHz stereo card. It runs in
// real time: on a busy machine the pump may come late once and the card
// underrun, which leaves a gap in the tone; a gap the card did not count
// as an underrun is a failure.
func TestCardConversion(t *testing.T) {
	card := newSpeakerCard(t, sim.SoundConfig{Rates: []int{48000}, Channels: []int{2}}, hal.SystemClock{})
	e, _ := testEngine(t, card, hal.SystemClock{}, nil)
	e.PlayTone(tone.Dial)
	stop := run(t, e)
	waitFor(t, "half a second", func() bool { return card.Played() >= 24000 })
	stop()
	samples, rate := card.recording(t)
	if rate != 48000 {
		t.Fatalf("recorded at %d Hz", rate)
	}
	for _, f := range []float64{350, 440} {
		segs := detect.Find(samples, rate, f, 100*time.Millisecond)
		var heard time.Duration
		for _, sg := range segs {
			heard += sg.End - sg.Start
		}
		if heard < 400*time.Millisecond || len(segs) > 1+int(card.Underruns()) {
			t.Errorf("%v Hz segments %v, %d underruns: want the tone throughout, broken only where the card ran dry", f, segs, card.Underruns())
		}
	}
}

// TestUnplugReplug pulls the card while the pump runs: Run goes on, logs
// the loss once, and audio resumes when the card is back.
func TestUnplugReplug(t *testing.T) {
	clk := haltest.NewClock(time.Unix(1000, 0))
	card := sim.NewSoundCard(sim.SoundConfig{}, clk)
	e, logs := testEngine(t, card, clk, nil)
	run(t, e)
	waitFor(t, "the pump to start", func() bool { return card.Played() > 0 })

	card.Unplug()
	// While the card is away, time passes: the pump idles on the clock and
	// retries every second, without logging each failure.
	for i := 0; i < 30; i++ {
		clk.Advance(100 * time.Millisecond)
		time.Sleep(time.Millisecond)
	}
	before := card.Played()
	card.Plug()
	waitFor(t, "audio to resume", func() bool {
		clk.Advance(100 * time.Millisecond)
		return card.Played() > before
	})
	out := logs.String()
	if n := strings.Count(out, "level=WARN"); n != 1 {
		t.Errorf("%d warnings, want 1 (the loss):\n%s", n, out)
	}
	if !strings.Contains(out, "sound card back") {
		t.Errorf("no recovery logged:\n%s", out)
	}
}

// TestCardMissingAtStart starts with no card at all.
func TestCardMissingAtStart(t *testing.T) {
	clk := haltest.NewClock(time.Unix(1000, 0))
	card := sim.NewSoundCard(sim.SoundConfig{}, clk)
	card.Unplug()
	e, _ := testEngine(t, card, clk, nil)
	run(t, e)
	for i := 0; i < 20; i++ {
		clk.Advance(100 * time.Millisecond)
		time.Sleep(time.Millisecond)
	}
	card.Plug()
	waitFor(t, "audio to start", func() bool {
		clk.Advance(100 * time.Millisecond)
		return card.Played() > 0
	})
}

func TestKeyQueue(t *testing.T) {
	var q keyQueue
	for i := 0; i < len(q.keys); i++ {
		if !q.push(hal.Key('0' + i%10)) {
			t.Fatalf("push %d refused", i)
		}
	}
	if q.push('9') {
		t.Fatal("push into a full queue accepted")
	}
	for i := 0; i < len(q.keys); i++ {
		if k, ok := q.pop(); !ok || k != hal.Key('0'+i%10) {
			t.Fatalf("pop %d: %q %v", i, k, ok)
		}
	}
	if _, ok := q.pop(); ok {
		t.Fatal("pop from an empty queue")
	}
}
