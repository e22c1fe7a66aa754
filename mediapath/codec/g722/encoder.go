package g722

// Encoder is the transmit half of a G.722 coder. Its zero value is ready
// to use.
type Encoder struct {
	qmf    qmf
	lo, hi band
}

// Reset returns the encoder to its initial state, as for a new stream.
func (e *Encoder) Reset() { *e = Encoder{} }

// Encode codes pcm, 16 kHz samples, into dst, one byte per pair of
// samples, and returns the bytes written: as many pairs as both have room
// for. An odd last sample is left out.
func (e *Encoder) Encode(dst []byte, pcm []int16) int {
	n := min(len(dst), len(pcm)/2)
	dst, pcm = dst[:n], pcm[:2*n]
	hi := &e.hi
	for i := range dst {
		// Analysis filter bank: one sample of each 8 kHz sub-band.
		x := pcm[2*i : 2*i+2 : 2*i+2]
		even, odd := e.qmf.push(int32(x[0]), int32(x[1]))
		xl := (even + odd) >> 14
		xh := (odd - even) >> 14

		il := e.encodeLow(xl)

		// Higher band (SUBTRA, QUANTH, INVQAH, LOGSCH, SCALEH). Bit 1 of
		// the code is the sign, bit 0 set for the smaller magnitude.
		det := hi.step(highShift)
		eh := sat16(xh - hi.s)
		var ih int32
		if eh >= 0 {
			ih = 2
		}
		if eh^eh>>31 < det*q2Level>>12 {
			ih |= 1
		}
		hi.adaptStep(wh2[ih], nbHighMax)
		hi.update(det * qm2[ih] >> 15)

		dst[i] = byte(ih<<6 | il)
	}
	return n
}

// encodeLow codes one lower-band sample into 6 bits (SUBTRA, QUANTL,
// INVQBL, LOGSCL, SCALEL) and updates the band.
func (e *Encoder) encodeLow(xl int32) int32 {
	b := &e.lo
	det := b.step(lowShift)
	el := sat16(xl - b.s)
	m := el ^ el>>31 // magnitude; -(el+1) for negative el

	// The quantizer interval k is the number of decision levels at or
	// below m. The predictor needs only the top 4 bits of the code, which
	// follow from the coarse interval c (every fourth level, from the
	// second), so c is counted first and the two low bits after it. The
	// counts are branch-free: the signal makes any branch a coin toss.
	// A level L is at or below m exactly when L*det < (m+1)<<12.
	lim := (m + 1) << 12
	c := below(q6Levels[3], det, lim) + below(q6Levels[7], det, lim) +
		below(q6Levels[11], det, lim) + below(q6Levels[15], det, lim) +
		below(q6Levels[19], det, lim) + below(q6Levels[23], det, lim) +
		below(q6Levels[27], det, lim)
	il4 := il4Pos[c&7]
	if el < 0 {
		il4 = il4Neg[c&7]
	}
	b.adaptStep(wl4[il4], nbLowMax)
	b.update(det * qm4[il4] >> 15)

	// Coarse interval c spans 6-bit intervals 4c-2 to 4c+1, split by
	// levels 4c-2 to 4c: indices 4c to 4c+2 of q6Levels, whose padding
	// leaves just the first level for c = 0.
	fine := (*[3]int32)(q6Levels[4*c&31:][:3])
	k := max(4*c-2, 0) + below(fine[0], det, lim) + below(fine[1], det, lim) + below(fine[2], det, lim)
	if el < 0 {
		return ilNeg[k&31]
	}
	return ilPos[k&31]
}

// below returns 1 when level*det < lim, else 0.
func below(level, det, lim int32) int32 {
	return int32(uint32(level*det-lim) >> 31)
}
