package codec

import "github.com/gotranspile/g722"

// g722Rate is the bit rate the phone speaks: 64 kbit/s, mode 1, 8 bits per
// pair of 16 kHz samples.
const g722Rate = 64000

// G722 is ITU-T G.722 wideband ADPCM at 64 kbit/s: 16 kHz audio, static RTP
// payload type 9. Its RTP clock runs at 8000 Hz although the audio is
// sampled at 16 kHz (RFC 3551 §4.5.2), so a 20 ms packet of 160 bytes
// advances the timestamp by 160, and SDP says "G722/8000".
//
// Unlike G.711 it is stateful: the encoder and decoder adapt to the signal,
// so each call needs its own G722 (NewG722) and each direction its half.
// The encoding is done by github.com/gotranspile/g722.
type G722 struct {
	enc *g722.Encoder
	dec *g722.Decoder
}

// NewG722 returns a G722 with fresh encoder and decoder state.
func NewG722() *G722 {
	return &G722{enc: g722.NewEncoder(g722Rate, 0), dec: g722.NewDecoder(g722Rate, 0)}
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
	n := min(len(dst), len(pcm)/2)
	return c.enc.Encode(dst[:n], pcm[:2*n])
}

// Decode implements Codec: two samples per byte.
func (c *G722) Decode(dst []int16, payload []byte) int {
	n := min(len(dst)/2, len(payload))
	return c.dec.Decode(dst[:2*n], payload[:n])
}

// ResetDecoder implements DecoderResetter: the decoder starts afresh, as
// for a new stream from the far end.
func (c *G722) ResetDecoder() {
	c.dec = g722.NewDecoder(g722Rate, 0)
}
