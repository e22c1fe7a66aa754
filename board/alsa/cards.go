package alsa

import (
	"fmt"
	"strings"

	yalsa "github.com/yobert/alsa"
)

// CardInfo describes one sound card.
type CardInfo struct {
	Number    int    // as in hw:N; may change when a USB card is plugged back in
	ID        string // as in hw:ID, e.g. "Headset"; stays the same
	Driver    string
	Name      string
	LongName  string
	MixerName string
	Devices   []DeviceInfo
}

// DeviceInfo describes one direction of one PCM device of a card.
type DeviceInfo struct {
	Number int // as in hw:N,DEV
	Dir    Direction
	Name   string
	// What the device offers, filled by Cards: the sample formats this
	// package can use and the common rates and channel counts it accepts.
	Formats  []string
	Rates    []int
	Channels []int
	// ProbeErr says why the offers are missing, e.g. the device is busy.
	ProbeErr error
}

// duplex reports whether c has a playback and a capture device.
func (c CardInfo) duplex() bool {
	_, p := c.firstDevice(Playback)
	_, r := c.firstDevice(Capture)
	return p && r
}

// firstDevice returns the lowest-numbered device of direction d.
func (c CardInfo) firstDevice(d Direction) (int, bool) {
	best, ok := 0, false
	for _, dv := range c.Devices {
		if dv.Dir == d && (!ok || dv.Number < best) {
			best, ok = dv.Number, true
		}
	}
	return best, ok
}

// hasDevice reports whether c has device n in direction d.
func (c CardInfo) hasDevice(n int, d Direction) bool {
	for _, dv := range c.Devices {
		if dv.Number == n && dv.Dir == d {
			return true
		}
	}
	return false
}

// Cards lists the sound cards with what each PCM device offers. It finds
// the offers by opening each device briefly, so a device in use (by this
// phone too) shows a ProbeErr instead. For logs and "handset selftest".
func Cards() ([]CardInfo, error) { return probeCards(sysPlatform{}) }

// The values Cards tries on each device.
func probeFormats() [3]yalsa.FormatType {
	return [...]yalsa.FormatType{yalsa.S16_LE, yalsa.S32_LE, yalsa.S24_LE}
}
func probeRates() [8]int {
	return [...]int{8000, 11025, 16000, 22050, 32000, 44100, 48000, 96000}
}
func probeChannels() [2]int { return [...]int{1, 2} }

func probeCards(p platform) ([]CardInfo, error) {
	cards, err := p.cards()
	if err != nil {
		return nil, err
	}
	for i := range cards {
		for j := range cards[i].Devices {
			dv := &cards[i].Devices[j]
			name := fmt.Sprintf("hw:%d,%d %s", cards[i].Number, dv.Number, dv.Dir)
			probe(p.pcm(cards[i].Number, dv.Number, dv.Dir), name, dv)
		}
	}
	return cards, nil
}

// probe fills in what d offers, one fresh open per value tried (a
// successful negotiation narrows the device).
func probe(d pcmDevice, name string, dv *DeviceInfo) {
	try := func(f func() error) bool {
		if dv.ProbeErr != nil {
			return false
		}
		if err := d.Open(); err != nil {
			dv.ProbeErr = deviceError("probe", name, err)
			return false
		}
		defer d.Close()
		return f() == nil
	}
	for _, f := range probeFormats() {
		if try(func() error { _, err := d.NegotiateFormat(f); return err }) {
			dv.Formats = append(dv.Formats, f.String())
		}
	}
	for _, r := range probeRates() {
		if try(func() error { _, err := d.NegotiateRate(r); return err }) {
			dv.Rates = append(dv.Rates, r)
		}
	}
	for _, c := range probeChannels() {
		if try(func() error { _, err := d.NegotiateChannels(c); return err }) {
			dv.Channels = append(dv.Channels, c)
		}
	}
}

// Describe renders cards for a log or a terminal, one line per card and
// one per device, e.g.
//
//	card 1 "Headset" USB Audio Device (driver USB-Audio): Logitech USB Headset at usb-3f980000.usb-1.3
//	  hw:1,0 playback "USB Audio": S16_LE; 44100 48000 Hz; 2 ch
//	  hw:1,0 capture "USB Audio": S16_LE; 16000 44100 48000 Hz; 1 ch
func Describe(cards []CardInfo) string {
	if len(cards) == 0 {
		return "no sound cards\n"
	}
	var b strings.Builder
	for _, c := range cards {
		fmt.Fprintf(&b, "card %d %q %s (driver %s)", c.Number, c.ID, c.Name, c.Driver)
		if c.LongName != "" {
			fmt.Fprintf(&b, ": %s", c.LongName)
		}
		b.WriteByte('\n')
		if len(c.Devices) == 0 {
			b.WriteString("  no PCM devices\n")
		}
		for _, dv := range c.Devices {
			fmt.Fprintf(&b, "  hw:%d,%d %s %q: ", c.Number, dv.Number, dv.Dir, dv.Name)
			switch {
			case dv.ProbeErr != nil:
				fmt.Fprintf(&b, "not probed: %v", dv.ProbeErr)
			case dv.Formats == nil && dv.Rates == nil && dv.Channels == nil:
				b.WriteString("not probed")
			default:
				fmt.Fprintf(&b, "%s; %s Hz; %s ch", orNone(dv.Formats), orNone(ints(dv.Rates)), orNone(ints(dv.Channels)))
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func ints(v []int) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = fmt.Sprint(x)
	}
	return out
}

func orNone(v []string) string {
	if len(v) == 0 {
		return "none of those tried"
	}
	return strings.Join(v, " ")
}
