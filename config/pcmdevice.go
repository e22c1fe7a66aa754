package config

import (
	"errors"
	"strconv"
	"strings"
)

// PCMDevice names one ALSA PCM device as "hw:CARD,DEV": a card number or id
// and a device number. The zero PCMDevice means "not set".
type PCMDevice struct {
	Card   string // card number ("1") or id ("Headset")
	Device int
}

// IsZero reports whether the device is unset.
func (d PCMDevice) IsZero() bool { return d.Card == "" }

// String returns the device as "hw:CARD,DEV", or "" when unset.
func (d PCMDevice) String() string {
	if d.IsZero() {
		return ""
	}
	return "hw:" + d.Card + "," + strconv.Itoa(d.Device)
}

// maxPCMDevice bounds device numbers; ALSA allows 32 per card.
const maxPCMDevice = 31

// parsePCMDevice reads "hw:CARD,DEV"; "" is the zero PCMDevice.
func parsePCMDevice(s string) (PCMDevice, error) {
	if s == "" {
		return PCMDevice{}, nil
	}
	if strings.HasPrefix(s, "plughw:") || strings.HasPrefix(s, "default") {
		return PCMDevice{}, errors.New(`the phone opens the card directly: use "hw:CARD,DEV", e.g. "hw:1,0" (see aplay -l)`)
	}
	rest, ok := strings.CutPrefix(s, "hw:")
	card, dev, hasDev := strings.Cut(rest, ",")
	if !ok || !hasDev || !isCardName(card) || !isDigits(dev) {
		return PCMDevice{}, errors.New(`want "hw:CARD,DEV", e.g. "hw:1,0" (see aplay -l)`)
	}
	n, err := strconv.Atoi(dev)
	if err != nil || n > maxPCMDevice {
		return PCMDevice{}, errors.New("the device number must be between 0 and 31")
	}
	return PCMDevice{Card: card, Device: n}, nil
}

// isCardName reports whether s is an ALSA card number or id: up to 32
// letters, digits, "_" and "-".
func isCardName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := range len(s) {
		if !isBareKeyChar(s[i]) {
			return false
		}
	}
	return true
}
