package alsa

import (
	"fmt"
	"strconv"
	"strings"

	"handset/config"
	"handset/hal"
)

// endpoint is the device one direction will use.
type endpoint struct {
	card   CardInfo
	device int
	dir    Direction
}

// name is how errors and logs call the device: "hw:1,0 capture".
func (e endpoint) name() string {
	return fmt.Sprintf("hw:%d,%d %s", e.card.Number, e.device, e.dir)
}

// resolve picks the playback and the capture device from the cards present.
//
// A direction uses its PCMDevice override when set, else audio.card with
// the card's first device of that direction. A card given by id matches
// the id (exactly, then ignoring case), then the name (ignoring case). A
// card given by number matches that number, except that once a card has
// been opened (remembered holds its id per direction), the card with that
// id is preferred wherever it is now: a USB card plugged back in may come
// back under another number. With no card configured, the first card that
// can both play and capture is used, again preferring the remembered one.
func resolve(cards []CardInfo, cfg config.Audio, remembered [2]string) ([2]endpoint, error) {
	var ends [2]endpoint
	if len(cards) == 0 {
		return ends, noCardError("")
	}
	for _, d := range [...]Direction{Playback, Capture} {
		spec := cfg.PlaybackDevice
		if d == Capture {
			spec = cfg.CaptureDevice
		}
		name, dev := cfg.Card, -1
		if !spec.IsZero() {
			name, dev = spec.Card, spec.Device
		}
		var (
			card CardInfo
			ok   bool
		)
		if name == "" {
			card, ok = duplexCard(cards, remembered[d])
			if !ok {
				return ends, noCardError("no card can both play and capture; " + listCards(cards))
			}
		} else if card, ok = findCard(cards, name, remembered[d]); !ok {
			return ends, noCardError(fmt.Sprintf("no card %q; %s", name, listCards(cards)))
		}
		if dev < 0 {
			if dev, ok = card.firstDevice(d); !ok {
				return ends, noCardError(fmt.Sprintf("card %d (%s) has no %s device", card.Number, card.ID, d))
			}
		} else if !card.hasDevice(dev, d) {
			return ends, noCardError(fmt.Sprintf("card %d (%s) has no %s device %d", card.Number, card.ID, d, dev))
		}
		ends[d] = endpoint{card: card, device: dev, dir: d}
	}
	return ends, nil
}

// duplexCard returns the remembered card if it can play and capture, else
// the first card that can.
func duplexCard(cards []CardInfo, remembered string) (CardInfo, bool) {
	var first *CardInfo
	for i := range cards {
		c := &cards[i]
		if !c.duplex() {
			continue
		}
		if remembered != "" && c.ID == remembered {
			return *c, true
		}
		if first == nil {
			first = c
		}
	}
	if first == nil {
		return CardInfo{}, false
	}
	return *first, true
}

// findCard finds the card that name (a number or an id) means.
func findCard(cards []CardInfo, name, remembered string) (CardInfo, bool) {
	if n, err := strconv.Atoi(name); err == nil {
		if remembered != "" {
			for _, c := range cards {
				if c.ID == remembered {
					return c, true
				}
			}
		}
		for _, c := range cards {
			if c.Number == n {
				return c, true
			}
		}
		return CardInfo{}, false
	}
	for _, match := range [...]func(CardInfo) bool{
		func(c CardInfo) bool { return c.ID == name },
		func(c CardInfo) bool { return strings.EqualFold(c.ID, name) },
		func(c CardInfo) bool { return strings.EqualFold(c.Name, name) },
	} {
		for _, c := range cards {
			if match(c) {
				return c, true
			}
		}
	}
	return CardInfo{}, false
}

// listCards describes the cards in one line for an error message.
func listCards(cards []CardInfo) string {
	if len(cards) == 0 {
		return "there are no cards"
	}
	parts := make([]string, len(cards))
	for i, c := range cards {
		parts[i] = fmt.Sprintf("%d %s %q", c.Number, c.ID, c.Name)
	}
	return "cards: " + strings.Join(parts, ", ")
}

// noCardError is ErrNoCard, which is also hal.ErrNoDevice: the engine
// keeps trying, as for an unplugged card.
func noCardError(detail string) error {
	err := ErrNoCard
	if detail != "" {
		err = fmt.Errorf("%w: %s", ErrNoCard, detail)
	}
	return &Error{Op: "find", Device: "sound card", Kind: hal.ErrNoDevice, Err: err}
}
