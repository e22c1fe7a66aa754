package mediapath

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/sim"
	"handset/mediapath/detect"
	"handset/mediapath/sdpneg"
)

// TestCall connects two engines on loopback, each on a real-time simulated
// card: A's microphone is 1 kHz, B's 600 Hz. Each must hear the other's
// tone, and a DTMF key from A must reach B. The thresholds leave room for
// start-up, the DTMF (sent instead of voice) and a busy machine.
func TestCall(t *testing.T) {
	clk := hal.SystemClock{}
	cardA := newSpeakerCard(t, sim.SoundConfig{Mic: sim.NewToneSource(8000, 1000, 0.5), Realtime: true}, clk)
	cardB := newSpeakerCard(t, sim.SoundConfig{Mic: sim.NewToneSource(8000, 600, 0.5), Realtime: true}, clk)
	keys := make(chan hal.Key, 8)
	eA, _ := testEngine(t, cardA, clk, nil)
	eB, _ := testEngine(t, cardB, clk, func(c *Config) {
		c.Codecs = []string{"PCMA", "PCMU"}
		c.OnDTMF = func(k hal.Key) { keys <- k }
	})

	sA, err := eA.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	defer sA.Close()
	sB, err := eB.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	defer sB.Close()
	offer, err := sA.Offer()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(offer), "m=audio "+strconv.Itoa(sA.LocalPort())+" ") {
		t.Fatalf("offer does not name our port %d:\n%s", sA.LocalPort(), offer)
	}
	answer, err := sB.AcceptOffer(offer)
	if err != nil {
		t.Fatal(err)
	}
	if err := sA.AcceptAnswer(answer); err != nil {
		t.Fatal(err)
	}
	if a, b := sA.Negotiated(), sB.Negotiated(); a.Codec != "PCMU" || b.Codec != "PCMU" || a.Remote.Port() != uint16(sB.LocalPort()) {
		t.Fatalf("negotiated %+v and %+v", a, b)
	}
	for _, x := range []struct {
		e *Engine
		s *Stream
	}{{eA, sA}, {eB, sB}} {
		if err := x.e.Attach(x.s); err != nil {
			t.Fatal(err)
		}
	}
	stopA, stopB := run(t, eA), run(t, eB)

	waitFor(t, "a second of the call", func() bool { return cardA.Played() >= 8000 && cardB.Played() >= 8000 })
	eA.SendDTMF('7')
	select {
	case k := <-keys:
		if k != '7' {
			t.Errorf("B got DTMF %q, want '7'", k)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("B got no DTMF")
	}
	at := cardB.Played()
	waitFor(t, "a second more", func() bool { return cardB.Played() >= at+8000 })
	stopA()
	stopB()

	stA, stB := eA.Stats(), eB.Stats()
	if stA.PacketsSent == 0 || stA.PacketsReceived == 0 || stB.PacketsReceived == 0 || stA.DTMFSent != 1 || stB.DTMFReceived != 1 {
		t.Errorf("stats A %+v\nB %+v", stA, stB)
	}
	select {
	case k := <-keys:
		t.Errorf("B got a second DTMF %q", k)
	default:
	}
	heard := []struct {
		name       string
		card       *speakerCard
		want, echo float64
	}{
		{"A", cardA, 600, 1000},
		{"B", cardB, 1000, 600},
	}
	for _, h := range heard {
		samples, rate := h.card.recording(t)
		segs := detect.Find(samples, rate, h.want, 100*time.Millisecond)
		var total time.Duration
		for _, s := range segs {
			total += s.End - s.Start
		}
		if total < time.Second {
			t.Errorf("%s heard %v Hz for %v in %v: %v", h.name, h.want, total, time.Duration(len(samples))*time.Second/8000, segs)
		}
		if segs := detect.Find(samples, rate, h.echo, 100*time.Millisecond); segs != nil {
			t.Errorf("%s heard its own %v Hz: %v", h.name, h.echo, segs)
		}
	}
}

func TestNoCommonCodec(t *testing.T) {
	card := sim.NewSoundCard(sim.SoundConfig{}, hal.SystemClock{})
	eA, _ := testEngine(t, card, hal.SystemClock{}, func(c *Config) { c.Codecs = []string{"PCMU"} })
	eB, _ := testEngine(t, card, hal.SystemClock{}, func(c *Config) { c.Codecs = []string{"PCMA"} })
	sA, err := eA.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	defer sA.Close()
	sB, err := eB.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	defer sB.Close()
	offer, err := sA.Offer()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sB.AcceptOffer(offer); !errors.Is(err, sdpneg.ErrNoCommonCodec) {
		t.Fatalf("AcceptOffer: %v, want ErrNoCommonCodec", err)
	}
	if err := sA.AcceptAnswer([]byte("v=0\r\nnot sdp")); err == nil {
		t.Fatal("garbage answer accepted")
	}
	if n := sB.Negotiated(); n.Codec != "" {
		t.Fatalf("failed negotiation left %+v", n)
	}
}
