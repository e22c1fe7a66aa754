package codec

import "math/bits"

// G.711 A-law works on 13-bit linear samples; its two lowest segments both
// have a step of 2, so only the top 12 bits of a 16-bit sample matter: the
// magnitude m = |s| >> 4 lies in [0, 2048). Negative samples use the one's
// complement as magnitude (the ITU-T G.191 convention), which makes the
// quantiser symmetric: EncodeAlaw(^s) == EncodeAlaw(s) ^ 0x80 for every s.
//
// Segment 0 covers m in [0, 16) with the step m itself; segment e >= 1 covers
// [16<<(e-1), 32<<(e-1)) and the step is the four bits below m's top bit.
// The code (sign bit set for positive) is sent with the even bits inverted
// (XOR 0x55): 0xD5 is the smallest positive value, 0x55 the smallest
// negative one.
const alawToggle = 0x55

// EncodeAlaw returns the G.711 A-law code for the 16-bit linear sample s.
func EncodeAlaw(s int16) byte {
	sign := byte(0x80)
	v := int32(s)
	if v < 0 {
		v = ^v
		sign = 0
	}
	m := uint32(v) >> 4
	var seg, step uint32
	if m < 16 {
		step = m
	} else {
		seg = uint32(bits.Len32(m)) - 4
		step = (m >> (seg - 1)) & 0x0F
	}
	return (sign | byte(seg<<4) | byte(step)) ^ alawToggle
}

// DecodeAlaw returns the 16-bit linear value of the G.711 A-law code b: the
// middle of the code's decision interval, scaled by 8.
func DecodeAlaw(b byte) int16 {
	c := b ^ alawToggle
	seg := uint32(c>>4) & 0x07
	step := int32(c & 0x0F)
	var v int32
	if seg == 0 {
		v = step<<4 + 8
	} else {
		v = (step<<4 + 16<<4 + 8) << (seg - 1)
	}
	if c&0x80 == 0 {
		return int16(-v)
	}
	return int16(v)
}

// PCMA is G.711 A-law at 8 kHz, static RTP payload type 8.
type PCMA struct{}

// Name implements Codec.
func (PCMA) Name() string { return "PCMA" }

// PayloadType implements Codec.
func (PCMA) PayloadType() uint8 { return 8 }

// SampleRate implements Codec.
func (PCMA) SampleRate() int { return 8000 }

// ClockRate implements Codec.
func (PCMA) ClockRate() int { return 8000 }

// Encode implements Codec: one byte per sample.
func (PCMA) Encode(dst []byte, pcm []int16) int {
	n := min(len(dst), len(pcm))
	for i, s := range pcm[:n] {
		dst[i] = EncodeAlaw(s)
	}
	return n
}

// Decode implements Codec: one sample per byte.
func (PCMA) Decode(dst []int16, payload []byte) int {
	n := min(len(dst), len(payload))
	for i, b := range payload[:n] {
		dst[i] = DecodeAlaw(b)
	}
	return n
}
