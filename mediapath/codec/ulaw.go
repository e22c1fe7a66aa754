package codec

import "math/bits"

// G.711 µ-law works on 14-bit linear samples. A 16-bit sample is taken as
// its top 14 bits. Negative samples use the one's complement as magnitude
// (the ITU-T G.191 convention), which makes the quantiser symmetric:
// EncodeUlaw(^s) == EncodeUlaw(s) ^ 0x80 for every s.
//
// With the bias of 33 added to the 14-bit magnitude m, b = m + 33 lies in
// [33, 8192) and the segment is the position of b's top bit minus 5; the
// four bits below the top bit are the step within the segment. The code
// (sign bit set for negative) is sent inverted: 0xFF is +0 and 0x80 the
// largest positive value.
const (
	ulawBias = 33     // in 14-bit units
	ulawMaxB = 0x1FFF // largest biased magnitude: 8158 + 33, clipped above
)

// EncodeUlaw returns the G.711 µ-law code for the 16-bit linear sample s.
func EncodeUlaw(s int16) byte {
	var sign byte // set for negative samples, before the inversion
	m := int32(s)
	if m < 0 {
		m = ^m
		sign = 0x80
	}
	b := uint32(m>>2) + ulawBias
	if b > ulawMaxB {
		b = ulawMaxB
	}
	seg := uint32(bits.Len32(b)) - 6 // b >= 33: its top bit is bit 5 or above
	step := (b >> (seg + 1)) & 0x0F
	return ^(sign | byte(seg<<4) | byte(step))
}

// DecodeUlaw returns the 16-bit linear value of the G.711 µ-law code b: the
// middle of the code's decision interval, scaled by 4. Both zero codes (0x7F
// and 0xFF) decode to 0.
func DecodeUlaw(b byte) int16 {
	c := ^b
	seg := uint32(c>>4) & 0x07
	step := int32(c & 0x0F)
	// Biased magnitude at the interval's middle, in 16-bit units:
	// ((2*step + 33) << seg) * 4, minus the bias 33*4.
	v := ((2*step+ulawBias)<<seg)*4 - ulawBias*4
	if c&0x80 != 0 {
		return int16(-v)
	}
	return int16(v)
}

// PCMU is G.711 µ-law at 8 kHz, static RTP payload type 0.
type PCMU struct{}

// Name implements Codec.
func (PCMU) Name() string { return "PCMU" }

// PayloadType implements Codec.
func (PCMU) PayloadType() uint8 { return 0 }

// SampleRate implements Codec.
func (PCMU) SampleRate() int { return 8000 }

// ClockRate implements Codec.
func (PCMU) ClockRate() int { return 8000 }

// Encode implements Codec: one byte per sample.
func (PCMU) Encode(dst []byte, pcm []int16) int {
	n := min(len(dst), len(pcm))
	for i, s := range pcm[:n] {
		dst[i] = EncodeUlaw(s)
	}
	return n
}

// Decode implements Codec: one sample per byte.
func (PCMU) Decode(dst []int16, payload []byte) int {
	n := min(len(dst), len(payload))
	for i, b := range payload[:n] {
		dst[i] = DecodeUlaw(b)
	}
	return n
}
