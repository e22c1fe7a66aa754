package codec

import "strings"

// Codec turns one frame of 16-bit linear PCM into an RTP payload and back.
// G.711 values hold no state; a stateful codec (G.722) says so, and each
// call then needs its own value from ByName.
type Codec interface {
	// Name is the SDP encoding name, e.g. "PCMU".
	Name() string
	// PayloadType is the static RTP payload type (RFC 3551), e.g. 0.
	PayloadType() uint8
	// SampleRate is the PCM rate the codec consumes and produces.
	SampleRate() int
	// ClockRate is the RTP timestamp clock rate.
	ClockRate() int
	// Encode encodes pcm into dst and returns the bytes written. It encodes
	// as many samples as dst has room for and never allocates.
	Encode(dst []byte, pcm []int16) int
	// Decode decodes payload into dst and returns the samples written. It
	// decodes as many bytes as dst has room for and never allocates.
	Decode(dst []int16, payload []byte) int
}

// DecoderResetter is a Codec whose decoder carries state from packet to
// packet; ResetDecoder forgets it (the far end started a new stream).
type DecoderResetter interface {
	ResetDecoder()
}

// ByName returns the codec with the SDP encoding name name, compared without
// regard to case: "PCMU", "PCMA" or "G722". Each call returns a fresh value,
// so a stateful codec is never shared. It reports false for a codec the
// phone does not have.
func ByName(name string) (Codec, bool) {
	switch strings.ToUpper(name) {
	case "PCMU":
		return PCMU{}, true
	case "PCMA":
		return PCMA{}, true
	case "G722":
		return NewG722(), true
	}
	return nil, false
}
