package g722

// Decoder is the receive half of a G.722 coder. Its zero value is ready
// to use.
type Decoder struct {
	qmf    qmf
	lo, hi band
}

// Reset returns the decoder to its initial state, as for a new stream.
func (d *Decoder) Reset() { *d = Decoder{} }

// Decode decodes payload, one byte per pair of 16 kHz samples, into dst
// and returns the samples written: two for each byte that dst has room
// for. Every byte value is valid input.
func (d *Decoder) Decode(dst []int16, payload []byte) int {
	n := min(len(dst)/2, len(payload))
	dst, payload = dst[:2*n], payload[:n]
	lo, hi := &d.lo, &d.hi
	for i, code := range payload {
		// Lower band: the sample from all 6 bits (INVQAL, RECONS, LIMIT),
		// the adaptation from the top 4 as in the encoder (INVQBL, LOGSCL,
		// SCALEL).
		il, il4 := int32(code&63), int32(code>>2&15)
		det := lo.step(lowShift)
		rl := limit(lo.s + det*qm6[il]>>15)
		lo.adaptStep(wl4[il4], nbLowMax)
		lo.update(det * qm4[il4] >> 15)

		// Higher band (INVQAH, RECONS, LIMIT, LOGSCH, SCALEH).
		ih := int32(code >> 6)
		det = hi.step(highShift)
		dh := det * qm2[ih] >> 15
		rh := limit(hi.s + dh)
		hi.adaptStep(wh2[ih], nbHighMax)
		hi.update(dh)

		// Synthesis filter bank: two 16 kHz samples from the pair of
		// sub-band samples, scaled by 2^-11 and clipped to 16 bits. (The
		// coder this one replaced let an overshoot wrap around, a loud
		// click; its output is otherwise the same, bit for bit.)
		even, odd := d.qmf.push(rl+rh, rl-rh)
		y := dst[2*i : 2*i+2 : 2*i+2]
		y[0] = clip16(odd >> 11)
		y[1] = clip16(even >> 11)
	}
	return 2 * n
}

// limit clips a reconstructed sub-band sample to 15 bits (LIMIT).
func limit(x int32) int32 { return min(max(x, -16384), 16383) }

// clip16 clips x to a 16-bit sample.
func clip16(x int32) int16 { return int16(min(max(x, -32768), 32767)) }
