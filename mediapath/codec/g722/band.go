package g722

// band is the adaptive state of one sub-band's ADPCM coder, the same in
// the encoder and the decoder: the log step size and the pole-zero
// predictor. Its zero value is the initial state of the Recommendation.
type band struct {
	nb     int32    // log step size (NBL or NBH)
	s      int32    // signal estimate
	sz     int32    // zero-section part of s
	r1x2   int32    // reconstructed signal one sample back, doubled and clipped
	p1, p2 int32    // partially reconstructed signal sz+d 1 and 2 back, for its sign
	a1, a2 int32    // pole coefficients
	b      [6]int32 // zero coefficients
	d      [6]int32 // quantized difference signal, newest first
}

// sat16 clips x to the 16-bit range, as the Recommendation's saturating
// adders do.
func sat16(x int32) int32 {
	return min(max(x, -32768), 32767)
}

// step returns the linear step size for the band's log step size (SCALEL
// with shift lowShift, SCALEH with highShift): an ilb mantissa shifted by
// the exponent in the top bits of nb, times 4. The exponent can exceed the
// shift by one at the top of the range, so the mantissa is doubled first
// to keep the shift count non-negative.
func (b *band) step(shift int32) int32 {
	m := ilb[(b.nb>>6)&31] << 1
	return m >> uint32(shift+1-b.nb>>11) << 2
}

// adaptStep updates the log step size with the multiplier w of the code
// just sent, leaking the old value by 127/128 and clamping it to [0, limit]
// (LOGSCL, LOGSCH).
func (b *band) adaptStep(w, limit int32) {
	b.nb = min(max(b.nb*127>>7+w, 0), limit)
}

// update runs the predictor for one sample given its quantized difference
// d: reconstruction (RECONS, PARREC), coefficient adaptation (UPPOL2,
// UPPOL1, UPZERO), the delays (DELAYA) and the next estimate (FILTEP,
// FILTEZ, PREDIC). Sign tests are written as masks, -1 where two signs
// differ and 0 where they agree, or as conditional moves: they go either
// way at random, and a mispredicted branch costs more than the arithmetic.
//
// The bounds that make some of the Recommendation's saturations no-ops:
// the step sizes stay within 2^14, so |d| <= 16384*20456/2^15 = 10228.
func (b *band) update(d int32) {
	// The reconstructed signal is only ever used doubled and clipped, and
	// clipping it before doubling changes nothing.
	r0x2, r1x2 := sat16(2*(b.s+d)), b.r1x2
	// The partially reconstructed signal only lends its sign, which its
	// saturation would not change.
	p0 := b.sz + d
	diff1 := (p0 ^ b.p1) >> 31
	diff2 := (p0 ^ b.p2) >> 31

	// Pole section. (x ^ m) - m negates x where the mask m is -1. The
	// Recommendation's wd = min(±sat(4*a1), 32767) >> 7 is, over a1's
	// range, ±a1 >> 5 clipped to 9 bits.
	same1 := ^diff1
	w := min(max(((b.a1^same1)-same1)>>5, -256), 255)
	a2 := w + b.a2*32512>>15 + (128 ^ diff2) - diff2
	a2 = min(max(a2, -12288), 12288)
	// |a1| <= 15360+12288 keeps this sum within 16 bits: the saturation
	// of UPPOL1 never acts.
	a1 := b.a1*32640>>15 + (192 ^ diff1) - diff1
	lim := 15360 - a2
	a1 = min(max(a1, -lim), lim)

	// Zero section: each coefficient leaks by 255/256, then gains 128 when
	// the new difference has the sign of the old one it weights and loses
	// 128 when not; a zero difference moves nothing. Written out rather
	// than looped: it is the inner loop of the whole coder.
	var g int32 // the move for an old difference >= 0
	if d > 0 {
		g = 128
	}
	if d < 0 {
		g = -128
	}
	z, x := &b.b, &b.d
	z[0] = upzero(z[0], x[0], g)
	z[1] = upzero(z[1], x[1], g)
	z[2] = upzero(z[2], x[2], g)
	z[3] = upzero(z[3], x[3], g)
	z[4] = upzero(z[4], x[4], g)
	z[5] = upzero(z[5], x[5], g)
	x[5] = x[4]
	x[4] = x[3]
	x[3] = x[2]
	x[2] = x[1]
	x[1] = x[0]
	x[0] = d

	b.r1x2 = r0x2
	b.p2, b.p1 = b.p1, p0
	b.a1, b.a2 = a1, a2

	sp := sat16(a1*r0x2>>15 + a2*r1x2>>15)
	// The Recommendation multiplies by the doubled differences and drops
	// 15 bits; as |d| < 2^14 the doubling never saturates, and dropping 14
	// bits of the plain product is the same.
	sz := sat16(z[0]*x[0]>>14 + z[1]*x[1]>>14 + z[2]*x[2]>>14 +
		z[3]*x[3]>>14 + z[4]*x[4]>>14 + z[5]*x[5]>>14)
	b.sz = sz
	b.s = sat16(sp + sz)
}

// upzero is one step of UPZERO for coefficient bi, whose old difference is
// di, given the move g for a non-negative di. The leaked coefficient lies
// within ±32640, so adding ±128 cannot leave 16 bits and the
// Recommendation's saturation never acts.
func upzero(bi, di, g int32) int32 {
	if di < 0 {
		g = -g
	}
	return bi*32640>>15 + g
}
