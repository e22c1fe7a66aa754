package alsa

import (
	"errors"
	"slices"
	"strings"
	"syscall"
	"testing"

	yalsa "github.com/yobert/alsa"
)

func TestProbeCards(t *testing.T) {
	p := &fakePlatform{
		list: []CardInfo{
			{Number: 0, ID: "PCH", Name: "HDA Intel PCH", Driver: "HDA-Intel", LongName: "HDA Intel PCH at 0xf7f10000 irq 32",
				Devices: []DeviceInfo{{Number: 0, Dir: Playback, Name: "ALC3232 Analog"}, {Number: 0, Dir: Capture, Name: "ALC3232 Analog"}}},
			{Number: 1, ID: "Empty", Name: "No PCM"},
		},
		pcms: map[string]*fakePCM{
			pcmKey(0, 0, Playback): newFakePCM(offer{formats: []yalsa.FormatType{yalsa.S16_LE, yalsa.S32_LE}, rates: []int{44100, 48000, 96000}, channels: []int{2}}),
			pcmKey(0, 0, Capture):  {openErr: &fsError{syscall.EBUSY}},
		},
	}
	cards, err := probeCards(p)
	if err != nil {
		t.Fatal(err)
	}
	play := cards[0].Devices[0]
	if !slices.Equal(play.Formats, []string{"S16_LE", "S32_LE"}) || !slices.Equal(play.Rates, []int{44100, 48000, 96000}) ||
		!slices.Equal(play.Channels, []int{2}) || play.ProbeErr != nil {
		t.Errorf("playback probed as %+v", play)
	}
	if f := p.pcms[pcmKey(0, 0, Playback)]; f.open || f.opens != 13 {
		t.Errorf("probing opened %d times (want one per value tried) and left open=%v", f.opens, f.open)
	}
	if capt := cards[0].Devices[1]; !errors.Is(capt.ProbeErr, ErrBusy) || capt.Rates != nil {
		t.Errorf("busy capture probed as %+v", capt)
	}
	got := Describe(cards)
	want := `card 0 "PCH" HDA Intel PCH (driver HDA-Intel): HDA Intel PCH at 0xf7f10000 irq 32
  hw:0,0 playback "ALC3232 Analog": S16_LE S32_LE; 44100 48000 96000 Hz; 2 ch
  hw:0,0 capture "ALC3232 Analog": not probed: alsa: probe hw:0,0 capture: open /dev/snd/x: device or resource busy
card 1 "Empty" No PCM (driver )
  no PCM devices
`
	if got != want {
		t.Errorf("Describe =\n%s\nwant\n%s", got, want)
	}
	if got := Describe(nil); got != "no sound cards\n" {
		t.Errorf("Describe(nil) = %q", got)
	}
	if !strings.Contains(Describe([]CardInfo{{Devices: []DeviceInfo{{}}}}), "not probed") {
		t.Error("an unprobed device is not marked")
	}
}

func TestProbeCardsListError(t *testing.T) {
	if _, err := probeCards(&fakePlatform{listErr: noCardError("")}); !errors.Is(err, ErrNoCard) {
		t.Errorf("%v", err)
	}
}

func TestCardInfoDevices(t *testing.T) {
	c := CardInfo{Devices: []DeviceInfo{{Number: 3, Dir: Capture}, {Number: 1, Dir: Capture}, {Number: 2, Dir: Playback}}}
	if n, ok := c.firstDevice(Capture); n != 1 || !ok {
		t.Errorf("first capture = %d, %v", n, ok)
	}
	if !c.duplex() || !c.hasDevice(2, Playback) || c.hasDevice(2, Capture) {
		t.Error("duplex/hasDevice wrong")
	}
	if (CardInfo{Devices: []DeviceInfo{{Dir: Playback}}}).duplex() {
		t.Error("playback-only card is duplex")
	}
}
