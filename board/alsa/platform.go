package alsa

import (
	"cmp"
	"slices"

	yalsa "github.com/yobert/alsa"

	"handset/hal"
)

// platform is where cards come from: the kernel's /dev/snd, or fakes in
// tests.
type platform interface {
	// cards lists the cards and their PCM devices, by number.
	cards() ([]CardInfo, error)
	// pcm describes one device node; it opens nothing.
	pcm(card, dev int, dir Direction) pcmDevice
	// control opens a card's control device.
	control(card int) (ctlFile, error)
}

// sysPlatform is the running system's /dev/snd.
type sysPlatform struct{}

func (sysPlatform) pcm(card, dev int, dir Direction) pcmDevice { return newAlsaDevice(card, dev, dir) }

func (sysPlatform) control(card int) (ctlFile, error) { return openCtlFile(card) }

// cards enumerates through yobert/alsa (card names, PCM devices) and the
// control device (card ids, which survive re-plugging while card numbers
// may not).
func (p sysPlatform) cards() ([]CardInfo, error) {
	ycards, err := yalsa.OpenCards()
	defer yalsa.CloseCards(ycards)
	if len(ycards) == 0 {
		if err == nil || kindOf(err) == hal.ErrNoDevice {
			return nil, noCardError("")
		}
		return nil, deviceError("list cards", "/dev/snd", err)
	}
	out := make([]CardInfo, 0, len(ycards))
	for _, yc := range ycards {
		ci := CardInfo{Number: yc.Number, Name: yc.Title}
		if devs, err := yc.Devices(); err == nil {
			for _, dv := range devs {
				dir := Playback
				if dv.Record {
					dir = Capture
				}
				ci.Devices = append(ci.Devices, DeviceInfo{Number: dv.Number, Dir: dir, Name: dv.Title})
			}
		}
		if f, err := p.control(yc.Number); err == nil {
			m := newMixer(f, nativeABI(), yc.Number, nil)
			if id, err := m.identity(); err == nil {
				ci.ID, ci.Driver, ci.LongName, ci.MixerName = id.ID, id.Driver, id.LongName, id.MixerName
			}
			m.Close()
		}
		out = append(out, ci)
	}
	slices.SortFunc(out, func(a, b CardInfo) int { return cmp.Compare(a.Number, b.Number) })
	return out, nil
}
