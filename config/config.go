package config

import (
	"log/slog"
	"net/netip"
	"time"
)

// Config is the whole provisioning file, decoded and validated. Each section
// of the file ([account], [dialing], ...) is one field. Keys the file leaves
// out hold their defaults (see Default).
type Config struct {
	// Version is the file format version; this firmware reads version 1.
	Version   int
	Account   Account
	Dialing   Dialing
	SpeedDial SpeedDial
	Tones     Tones
	Media     Media
	Security  Security
	Log       Log
	Audio     Audio
	Board     Board
	WiFi      WiFi
	// Provisioning says where the phone fetches its configuration from,
	// for fleets (see package provision).
	Provisioning Provisioning
}

// Account is the [account] section: the SIP identity and how to reach the
// registrar.
type Account struct {
	User        string
	AuthUser    string // defaults to User
	Password    Secret
	DisplayName string
	// Domain is the SIP domain, host[:port]. With Domain and Registrar both
	// empty the phone does not register and makes direct calls only.
	Domain    string
	Registrar string // host[:port]; defaults to Domain
	// Register is false for a phone that has a domain to call into but no
	// registrar (a trunk that accepts calls by IP, or phone-to-phone use).
	Register      bool
	OutboundProxy string // host[:port], or "" for none
	Transport     Transport
	LocalPort     int
	LocalIP       netip.Addr // the zero Addr means "pick automatically"
	Expiry        time.Duration
	UserAgent     string // "" means the firmware's own
}

// Registers reports whether the phone registers with a registrar.
func (a Account) Registers() bool { return a.Registrar != "" }

// Transport is the SIP transport.
type Transport string

// The transports. Only UDP is supported yet.
const (
	TransportUDP Transport = "udp"
)

// Dialing is the [dialing] section: the digit map and its timers.
type Dialing struct {
	DigitMap     string
	ShortTimer   time.Duration // a number may be complete: send after this
	LongTimer    time.Duration // no number is complete yet: give up after this
	OffhookTimer time.Duration // no first digit: play reorder after this
	// Hotline is dialled as soon as the handset is lifted; "" for none.
	Hotline string
	// WarmLine is dialled when no key is pressed for WarmLineDelay after
	// lifting the handset; "" for none.
	WarmLine      string
	WarmLineDelay time.Duration
	CallWaiting   bool
}

// SpeedDial is the [speed_dial] section: keypad key ('0'–'9') to the
// number or sip: URI it dials.
type SpeedDial map[rune]string

// Tones is the [tones] section.
type Tones struct {
	Country Country
}

// Country picks the set of call-progress tones and the ring cadence.
type Country string

// The supported tone sets.
const (
	CountryUS Country = "us"
	CountryUK Country = "uk"
	CountryDE Country = "de"
	CountryEU Country = "eu"
	CountryFR Country = "fr"
)

// Media is the [media] section: codecs and RTP.
type Media struct {
	Codecs          []Codec // in order of preference
	RTPPortMin      int
	RTPPortMax      int
	DTMFPayloadType int
	Jitter          time.Duration // the most the adaptive jitter buffer may hold back
	// EchoSuppressor turns the mouthpiece down while only the far end
	// talks, so the far end does not hear itself.
	EchoSuppressor bool
}

// Codec names an audio codec as SDP does.
type Codec string

// The supported codecs.
const (
	CodecPCMU Codec = "PCMU"
	CodecPCMA Codec = "PCMA"
	CodecG722 Codec = "G722"
)

// Security is the [security] section.
type Security struct {
	// AllowDirectCalls accepts INVITEs from any address. When false (the
	// ghost-call guard) only INVITEs from the registrar or outbound proxy
	// are accepted.
	AllowDirectCalls bool
}

// Log is the [log] section.
type Log struct {
	Level slog.Level
}

// Audio is the [audio] section: the sound card.
type Audio struct {
	// Card is an ALSA card number or id; "" picks the first card that can
	// both play and capture.
	Card string
	// PlaybackDevice and CaptureDevice override Card for one direction; the
	// zero PCMDevice means "use Card".
	PlaybackDevice PCMDevice
	CaptureDevice  PCMDevice
	Rate           int // Hz; 0 picks what the card offers
	Period         time.Duration
	BufferPeriods  int
	PlaybackVolume int // percent
	CaptureVolume  int // percent
	// Ringtone plays the ring through the sound card as well as the ringer.
	Ringtone bool
}

// Board is the [board] section: which board the phone runs on and how the
// keypad, hook switch, ringer and LEDs are wired. A zero Pin or a nil pin
// list means "the board's default".
type Board struct {
	Model Model

	KeypadRows   []Pin
	KeypadCols   []Pin
	KeypadLayout string // keys row by row, e.g. "123A456B789C*0#D"; "" = standard

	Hook Pin
	// HookActive is the level the hook line reads while the hook contact is
	// closed: "low" when the contact pulls the line to ground against a
	// pull-up.
	HookActive Active
	// HookContact says which contact state means "on the cradle".
	HookContact Contact
	FlashMin    time.Duration // shorter on-hooks are bounces
	FlashMax    time.Duration // longer on-hooks are hang-ups

	Ringer       Pin
	RingerActive Active

	LEDRegistered, LEDInCall, LEDMessage, LEDError Pin
	VolumeUp, VolumeDown                           Pin

	Watchdog string // device path; "" = off
}

// Model names a board.
type Model string

// The known boards. ModelSim simulates the hardware; ModelNone is a board
// with no built-in wiring, so only the pins the file sets are used.
const (
	ModelSim      Model = "sim"
	ModelPiZeroW  Model = "pi-zero-w"
	ModelPiZero2W Model = "pi-zero-2-w"
	ModelPi3      Model = "pi-3"
	ModelPi4      Model = "pi-4"
	ModelNone     Model = "none"
)

// Active says which level of a GPIO line means "on".
type Active string

// The two levels.
const (
	ActiveLow  Active = "low"
	ActiveHigh Active = "high"
)

// Contact says how the hook switch closes.
type Contact string

// The two contact types.
const (
	// ContactNO is a normally open switch that the resting handset holds
	// closed: closed = on-hook, open = off-hook.
	ContactNO Contact = "no"
	// ContactNC is a normally closed switch that the resting handset holds
	// open: open = on-hook, closed = off-hook.
	ContactNC Contact = "nc"
)

// WiFi is the [wifi] section: the wireless network to join. An empty SSID
// means "no Wi-Fi" (Ethernet only).
type WiFi struct {
	SSID string
	// Password is the WPA2 passphrase (8–63 characters) or the raw
	// 64-hex-digit key; "" joins an open network.
	Password Secret
	// Country is the regulatory domain, an ISO 3166 code such as "US" or
	// "GB"; "" leaves the radio on the world-safe channels.
	Country string
	// Hidden probes for a network that does not broadcast its SSID.
	Hidden bool
}

// Provisioning is the [provisioning] section: automatic configuration from
// an HTTPS server.
type Provisioning struct {
	// URL is the https:// address of the directory the phone fetches
	// "<mac>.toml" and "handset.toml" from; "" means "ask DHCP" when DHCP
	// is set, else no provisioning.
	URL string
	// DHCP takes the server from DHCP option 66 when URL is empty.
	DHCP bool
	// Interval is how often the phone checks the server for changes.
	Interval time.Duration
	// CAFile is a PEM file of CA certificates trusted for the server in
	// addition to the system's; "" for the system's only.
	CAFile string
}
