package config

import (
	"log/slog"
	"time"
)

// DefaultPath is where the phone looks for its configuration file: the FAT
// boot partition, so it can be edited on any PC.
const DefaultPath = "/boot/handset.toml"

// DefaultDigitMap accepts star codes (*69), 3- and 4-digit extensions,
// and numbers of 7 or more digits. Pressing "#" sends what was dialled at once.
const DefaultDigitMap = "( *xx | [1-9]xx | [1-9]xxx | [1-9]xxxxxxx. | 0xxxxxxx. )"

// Default returns the configuration a file holding only "version = 1"
// gives: no registration (direct calls only, and incoming calls refused by
// the ghost-call guard), UDP on port 5060, G.711, US tones, the simulated
// board. handset.example.toml documents every value.
func Default() Config {
	return Config{
		Version: 1,
		Account: Account{
			Transport: TransportUDP,
			LocalPort: 5060,
			Expiry:    3600 * time.Second,
			Register:  true,
		},
		Dialing: Dialing{
			DigitMap:      DefaultDigitMap,
			ShortTimer:    3 * time.Second,
			LongTimer:     10 * time.Second,
			OffhookTimer:  15 * time.Second,
			WarmLineDelay: 5 * time.Second,
		},
		Tones: Tones{Country: CountryUS},
		Media: Media{
			Codecs:          []Codec{CodecPCMU, CodecPCMA},
			RTPPortMin:      16384,
			RTPPortMax:      16482,
			DTMFPayloadType: 101,
			Jitter:          200 * time.Millisecond,
		},
		Log: Log{Level: slog.LevelInfo},
		Audio: Audio{
			Period:         20 * time.Millisecond,
			BufferPeriods:  3,
			PlaybackVolume: 80,
			CaptureVolume:  80,
		},
		Board: Board{
			Model:        ModelSim,
			HookActive:   ActiveLow,
			HookContact:  ContactNO,
			FlashMin:     100 * time.Millisecond,
			FlashMax:     800 * time.Millisecond,
			RingerActive: ActiveHigh,
		},
		Provisioning: Provisioning{
			DHCP:     true,
			Interval: 60 * time.Minute,
		},
	}
}

// fillDerived sets the defaults that follow other keys: the
// authentication user is the user, the registrar is the domain.
func (c *Config) fillDerived() {
	if c.Account.AuthUser == "" {
		c.Account.AuthUser = c.Account.User
	}
	switch {
	case !c.Account.Register:
		c.Account.Registrar = ""
	case c.Account.Registrar == "":
		c.Account.Registrar = c.Account.Domain
	}
}
