package g722

// qmf is the delay line of a 24-tap quadrature mirror filter, kept as two
// phases of 12 pairs: the first and the second sample of each pair. Each
// phase is a ring stored twice over, so the newest 12 values are always one
// contiguous window and a new pair costs two stores per phase instead of a
// shift of the whole line. The zero value is a silent line.
type qmf struct {
	pos   int // index of the oldest pair in the window
	first [24]int32
	secnd [24]int32
}

// push appends a pair and returns the filter's two phase sums over the
// newest 12 pairs: the first samples against the even taps h0, h2, …, h22
// and the second against the odd ones h1, h3, …, h23, oldest first. With
// samples within 16 bits each sum stays within ±2^28, so their sum and
// difference fit an int32.
func (q *qmf) push(x0, x1 int32) (even, odd int32) {
	p := q.pos
	if p >= 12 {
		p = 0 // unreachable; tells the compiler p+12 is in range
	}
	q.first[p], q.first[p+12] = x0, x0
	q.secnd[p], q.secnd[p+12] = x1, x1
	p++
	if p == 12 {
		p = 0
	}
	q.pos = p
	f := (*[12]int32)(q.first[p : p+12])
	s := (*[12]int32)(q.secnd[p : p+12])
	// The taps written out so they become immediate operands; two partial
	// sums per phase shorten the chains of adds.
	even = f[0]*3 + f[1]*-11 + f[2]*12 + f[3]*32 + f[4]*-210 + f[5]*951
	even += f[6]*3876 + f[7]*-805 + f[8]*362 + f[9]*-156 + f[10]*53 + f[11]*-11
	odd = s[0]*-11 + s[1]*53 + s[2]*-156 + s[3]*362 + s[4]*-805 + s[5]*3876
	odd += s[6]*951 + s[7]*-210 + s[8]*32 + s[9]*12 + s[10]*-11 + s[11]*3
	return even, odd
}
