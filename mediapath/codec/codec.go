package codec

import "strings"

// Codec turns one frame of 16-bit linear PCM into an RTP payload and back.
// Implementations hold no per-call state unless documented, so one value may
// serve both directions of a call.
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

// ByName returns the codec with the SDP encoding name name, compared without
// regard to case. It reports false for a codec the phone does not have.
func ByName(name string) (Codec, bool) {
	switch strings.ToUpper(name) {
	case "PCMU":
		return PCMU{}, true
	case "PCMA":
		return PCMA{}, true
		// G.722 ("G722", PT 9, 16 kHz samples, 8 kHz RTP clock) goes here
		// once the wideband codec is added.
	}
	return nil, false
}
