package codec

import "handset/mediapath/codec/g722"

// G722 is ITU-T G.722 wideband ADPCM at 64 kbit/s: 16 kHz audio, static RTP
// payload type 9. Its RTP clock runs at 8000 Hz although the audio is
// sampled at 16 kHz (RFC 3551 §4.5.2), so a 20 ms packet of 160 bytes
// advances the timestamp by 160, and SDP says "G722/8000".
//
// Unlike G.711 it is stateful: the encoder and decoder adapt to the signal,
// so each call needs its own G722 (NewG722) and each direction its half.
// The coding is done by handset/mediapath/codec/g722.
type G722 struct {
	enc g722.Encoder
	dec g722.Decoder
}

// NewG722 returns a G722 with fresh encoder and decoder state.
func NewG722() *G722 {
	return &G722{}
}

// Name implements Codec.
func (*G722) Name() string { return "G722" }

// PayloadType implements Codec.
func (*G722) PayloadType() uint8 { return 9 }

// SampleRate implements Codec.
func (*G722) SampleRate() int { return 16000 }

// ClockRate implements Codec: 8000, the RFC 3551 quirk.
func (*G722) ClockRate() int { return 8000 }

// Encode implements Codec: one byte per two samples. An odd last sample is
// left out.
func (c *G722) Encode(dst []byte, pcm []int16) int {
	return c.enc.Encode(dst, pcm)
}

// Decode implements Codec: two samples per byte.
func (c *G722) Decode(dst []int16, payload []byte) int {
	return c.dec.Decode(dst, payload)
}

// ResetDecoder implements DecoderResetter: the decoder starts afresh, as
// for a new stream from the far end. It does not allocate.
func (c *G722) ResetDecoder() {
	c.dec.Reset()
}
