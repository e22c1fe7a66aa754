package alsa

import (
	"bytes"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"handset/config"
	"handset/hal"
	"handset/hal/haltest"
)

func duplexDevices(dev int) []DeviceInfo {
	return []DeviceInfo{{Number: dev, Dir: Playback, Name: "USB Audio"}, {Number: dev, Dir: Capture, Name: "USB Audio"}}
}

// twoCards is a Pi with HDMI audio (playback only) as card 0 and a USB
// headset as card 1.
func twoCards(t *testing.T) *fakePlatform {
	headset := newFakeCtl(t, nativeLong,
		&fakeElem{name: "Headset Playback Volume", iface: ifaceMixer, typ: typeInteger, access: rw, max: 100, values: []int64{0, 0}},
		&fakeElem{name: "Headset Playback Switch", iface: ifaceMixer, typ: typeBoolean, access: rw, values: []int64{0}},
		&fakeElem{name: "Mic Capture Volume", iface: ifaceMixer, typ: typeInteger, access: rw, max: 20, values: []int64{0}},
	)
	headset.id = "Headset"
	return &fakePlatform{
		list: []CardInfo{
			{Number: 0, ID: "vc4hdmi", Name: "vc4-hdmi", Devices: []DeviceInfo{{Number: 0, Dir: Playback}}},
			{Number: 1, ID: "Headset", Name: "USB Headset", Devices: duplexDevices(0)},
		},
		pcms: map[string]*fakePCM{
			pcmKey(0, 0, Playback): newFakePCM(offer{}),
			pcmKey(1, 0, Playback): newFakePCM(offer{rates: []int{48000}, channels: []int{2}}),
			pcmKey(1, 0, Capture):  newFakePCM(offer{rates: []int{16000, 48000}, channels: []int{1}}),
		},
		ctls: map[int]*fakeCtl{1: headset},
	}
}

func newTestCard(t *testing.T, cfg config.Audio, p *fakePlatform) (*Card, *bytes.Buffer, *haltest.Clock) {
	t.Helper()
	var logs bytes.Buffer
	clk := haltest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	c, err := newCard(cfg, slog.New(slog.NewTextHandler(&logs, nil)), clk, p)
	if err != nil {
		t.Fatal(err)
	}
	return c, &logs, clk
}

func defaults() config.Audio { return config.Default().Audio }

func TestCardOpenFirstDuplexCard(t *testing.T) {
	p := twoCards(t)
	c, logs, _ := newTestCard(t, defaults(), p)
	if got := c.Name(); got != "alsa first card that plays and captures" {
		t.Errorf("Name before Open = %q", got)
	}
	pcm, err := c.Open(pumpWant)
	if err != nil {
		t.Fatal(err)
	}
	defer pcm.Close()
	if f := pcm.Format(); f != (hal.PCMFormat{Rate: 48000, Channels: 1, PeriodFrames: 960, BufferFrames: 2880}) {
		t.Errorf("format %+v", f)
	}
	if !p.pcms[pcmKey(1, 0, Playback)].open || p.pcms[pcmKey(0, 0, Playback)].opens != 0 {
		t.Error("did not open the headset alone")
	}
	// The configured 80 % unmuted the headset.
	ctl := p.ctls[1]
	for name, want := range map[string][]int64{
		"Headset Playback Volume": {80, 80}, "Headset Playback Switch": {1}, "Mic Capture Volume": {16},
	} {
		if got := value(t, ctl, name); !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if !ctl.closed {
		t.Error("control device left open")
	}
	if got := c.Name(); !strings.Contains(got, "hw:1,0 playback") || !strings.Contains(got, "USB Headset") {
		t.Errorf("Name after Open = %q", got)
	}
	if !strings.Contains(logs.String(), "sound card opened") {
		t.Errorf("log: %s", logs)
	}
}

func TestCardFindsReplugged(t *testing.T) {
	p := twoCards(t)
	cfg := defaults()
	cfg.Card = "1"
	c, _, _ := newTestCard(t, cfg, p)
	pcm, err := c.Open(pumpWant)
	if err != nil {
		t.Fatal(err)
	}
	pcm.Close()

	// Unplugged: Open says no device.
	p.list = p.list[:1]
	if _, err := c.Open(pumpWant); !errors.Is(err, hal.ErrNoDevice) || !errors.Is(err, ErrNoCard) {
		t.Fatalf("unplugged: %v", err)
	}
	// Back as card 2, with another duplex card now at number 1.
	p.list = []CardInfo{
		p.list[0],
		{Number: 1, ID: "Other", Devices: duplexDevices(0)},
		{Number: 2, ID: "Headset", Name: "USB Headset", Devices: duplexDevices(0)},
	}
	p.pcms[pcmKey(2, 0, Playback)] = newFakePCM(offer{})
	p.pcms[pcmKey(2, 0, Capture)] = newFakePCM(offer{})
	p.ctls[2] = p.ctls[1]
	delete(p.ctls, 1)
	pcm, err = c.Open(pumpWant)
	if err != nil {
		t.Fatal(err)
	}
	defer pcm.Close()
	if !p.pcms[pcmKey(2, 0, Capture)].open {
		t.Error("the re-plugged headset was not found under its new number")
	}
}

func TestResolve(t *testing.T) {
	cards := []CardInfo{
		{Number: 0, ID: "vc4hdmi", Name: "vc4-hdmi", Devices: []DeviceInfo{{Number: 0, Dir: Playback}}},
		{Number: 1, ID: "Headset", Name: "USB Headset", Devices: duplexDevices(0)},
		{Number: 2, ID: "Loopback", Name: "Loopback", Devices: append(duplexDevices(0), duplexDevices(1)...)},
	}
	tests := []struct {
		name       string
		cfg        config.Audio
		remembered [2]string
		play, capt string // "card,dev"; "" for an error
	}{
		{"auto", config.Audio{}, [2]string{}, "1,0", "1,0"},
		{"auto remembers", config.Audio{}, [2]string{"Loopback", "Loopback"}, "2,0", "2,0"},
		{"auto forgets a card gone", config.Audio{}, [2]string{"Gone", "Gone"}, "1,0", "1,0"},
		{"by number", config.Audio{Card: "2"}, [2]string{}, "2,0", "2,0"},
		{"by number, remembered id wins", config.Audio{Card: "2"}, [2]string{"Headset", "Headset"}, "1,0", "1,0"},
		{"by id", config.Audio{Card: "Loopback"}, [2]string{}, "2,0", "2,0"},
		{"by id, any case", config.Audio{Card: "headset"}, [2]string{}, "1,0", "1,0"},
		{"by name", config.Audio{Card: "vc4-HDMI", CaptureDevice: config.PCMDevice{Card: "1"}}, [2]string{}, "0,0", "1,0"},
		{"overrides", config.Audio{
			PlaybackDevice: config.PCMDevice{Card: "Loopback", Device: 0},
			CaptureDevice:  config.PCMDevice{Card: "Loopback", Device: 1},
		}, [2]string{}, "2,0", "2,1"},
		{"no such card", config.Audio{Card: "Nope"}, [2]string{}, "", ""},
		{"no such number", config.Audio{Card: "7"}, [2]string{}, "", ""},
		{"no capture on HDMI", config.Audio{Card: "0"}, [2]string{}, "", ""},
		{"no such device", config.Audio{CaptureDevice: config.PCMDevice{Card: "1", Device: 3}}, [2]string{}, "", ""},
	}
	for _, tt := range tests {
		ends, err := resolve(cards, tt.cfg, tt.remembered)
		if tt.play == "" {
			if !errors.Is(err, ErrNoCard) || !errors.Is(err, hal.ErrNoDevice) {
				t.Errorf("%s: %v, want ErrNoCard", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for d, want := range []string{tt.play, tt.capt} {
			e := ends[d]
			if got := strings.TrimPrefix(strings.Fields(e.name())[0], "hw:"); got != want || e.dir != Direction(d) {
				t.Errorf("%s: %s is %s, want %s", tt.name, Direction(d), e.name(), want)
			}
		}
	}
	if _, err := resolve(nil, config.Audio{}, [2]string{}); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("no cards: %v", err)
	}
	_, err := resolve(cards, config.Audio{Card: "Nope"}, [2]string{})
	if want := `alsa: find sound card: no such sound card: no card "Nope"; cards: 0 vc4hdmi "vc4-hdmi", 1 Headset "USB Headset", 2 Loopback "Loopback"`; err.Error() != want {
		t.Errorf("message\n%s\nwant\n%s", err, want)
	}
}

func TestCardNoCards(t *testing.T) {
	c, _, _ := newTestCard(t, defaults(), &fakePlatform{listErr: noCardError("")})
	if _, err := c.Open(pumpWant); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("Open: %v", err)
	}
	if err := c.SetPlaybackVolume(50); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("SetPlaybackVolume without a card: %v", err)
	}
	if c.Volume(Playback) != 50 {
		t.Errorf("volume not kept for the next Open: %d", c.Volume(Playback))
	}
}

func TestCardVolumes(t *testing.T) {
	p := twoCards(t)
	c, _, _ := newTestCard(t, defaults(), p)
	ctl := p.ctls[1]
	if err := c.SetPlaybackVolume(101); !errors.Is(err, ErrBadVolume) {
		t.Errorf("101: %v", err)
	}
	if err := c.SetCaptureVolume(-1); !errors.Is(err, ErrBadVolume) {
		t.Errorf("-1: %v", err)
	}
	if err := c.SetCaptureVolume(50); err != nil {
		t.Fatal(err)
	}
	if got := value(t, ctl, "Mic Capture Volume"); got[0] != 10 {
		t.Errorf("capture at 50%% = %v", got)
	}
	steps := []struct{ delta, want int }{{+10, 90}, {+10, 100}, {+10, 100}, {-100, 0}, {-5, 0}, {+25, 25}}
	for i, s := range steps {
		got, err := c.StepVolume(s.delta)
		if err != nil || got != s.want {
			t.Errorf("#%d: StepVolume(%d) = %d, %v; want %d", i, s.delta, got, err, s.want)
		}
		if v := value(t, ctl, "Headset Playback Volume"); v[0] != int64(s.want) {
			t.Errorf("#%d: card at %v, want %d", i, v, s.want)
		}
	}
	// The stepped volume is applied at the next Open.
	pcm, err := c.Open(pumpWant)
	if err != nil {
		t.Fatal(err)
	}
	defer pcm.Close()
	if v := value(t, ctl, "Headset Playback Volume"); v[0] != 25 {
		t.Errorf("after Open: %v, want 25", v)
	}
}

func TestCardXruns(t *testing.T) {
	p := twoCards(t)
	capt := p.pcms[pcmKey(1, 0, Capture)]
	capt.onTransfer = func(n int, _ []byte, _ int) error {
		if n > 1 {
			return syscall.EPIPE
		}
		return nil
	}
	c, logs, clk := newTestCard(t, defaults(), p)
	pcm, err := c.Open(pumpWant)
	if err != nil {
		t.Fatal(err)
	}
	defer pcm.Close()
	buf := make([]int16, pcm.Format().PeriodSamples())
	for range 3 {
		if err := pcm.Read(buf); !errors.Is(err, hal.ErrXrun) {
			t.Fatalf("Read: %v", err)
		}
		clk.Advance(time.Second)
	}
	clk.Advance(10 * time.Second)
	if err := pcm.Read(buf); !errors.Is(err, hal.ErrXrun) {
		t.Fatalf("Read: %v", err)
	}
	if c.Xruns() != 4 {
		t.Errorf("Xruns = %d, want 4", c.Xruns())
	}
	if n := strings.Count(logs.String(), "sound card xrun"); n != 2 {
		t.Errorf("%d xrun warnings, want 2 (at most one per 10 s):\n%s", n, logs)
	}
}

func TestNewCardChecks(t *testing.T) {
	clk := haltest.NewClock(time.Time{})
	for i, cfg := range []config.Audio{
		{Rate: -1},
		{BufferPeriods: 5},
		{BufferPeriods: 1},
		{PlaybackVolume: 101},
		{CaptureVolume: -1},
		{Period: -time.Millisecond},
		{CaptureDevice: config.PCMDevice{Card: "1", Device: 32}},
	} {
		if _, err := NewCard(cfg, nil, clk); !errors.Is(err, ErrBadConfig) {
			t.Errorf("#%d %+v: %v", i, cfg, err)
		}
	}
	if _, err := NewCard(defaults(), nil, nil); !errors.Is(err, ErrBadConfig) {
		t.Errorf("no clock: %v", err)
	}
	c, err := NewCard(config.Audio{Card: "Headset"}, nil, clk)
	if err != nil || c.Name() != "alsa hw:Headset" {
		t.Errorf("NewCard: %v, %v", c, err)
	}
	cfg := config.Audio{PlaybackDevice: config.PCMDevice{Card: "Loopback"}, CaptureDevice: config.PCMDevice{Card: "Loopback", Device: 1}}
	if c, _ := NewCard(cfg, nil, clk); c.Name() != "alsa playback hw:Loopback,0, capture hw:Loopback,1" {
		t.Errorf("Name = %q", c.Name())
	}
}
