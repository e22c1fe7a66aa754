package codec

// A slow G.711 reference written straight from the standard's segment tables
// (ITU-T G.711 Tables 1a and 2a): every segment is listed with its first
// decision value and its step, the encoder searches the 128 decision
// intervals one by one, and the decoder returns the middle of the interval.
// It shares no code with the fast encoders it checks.

type segment struct{ start, step int }

// µ-law, in 14-bit magnitude units; the last segment ends at 8159. The first
// interval of segment 0 is [0, 1); writing its start as -1 with step 2 gives
// the same intervals and decoder outputs (0, 2, 4, ...).
var ulawTable = [8]segment{
	{-1, 2}, {31, 4}, {95, 8}, {223, 16}, {479, 32}, {991, 64}, {2015, 128}, {4063, 256},
}

// A-law, in 13-bit magnitude units; the last segment ends at 4096.
var alawTable = [8]segment{
	{0, 2}, {32, 2}, {64, 4}, {128, 8}, {256, 16}, {512, 32}, {1024, 64}, {2048, 128},
}

// refInterval returns the index (0..127) of the decision interval holding
// magnitude m; magnitudes beyond the last interval clip into it.
func refInterval(table *[8]segment, m int) int {
	for seg, sg := range table {
		for k := range 16 {
			if m < sg.start+(k+1)*sg.step {
				return seg*16 + k
			}
		}
	}
	return 127
}

// refOutput is the decoder output (interval middle) of interval n.
func refOutput(table *[8]segment, n int) int {
	sg := table[n/16]
	return sg.start + (n%16)*sg.step + sg.step/2
}

// refMagnitude is a 16-bit sample's magnitude by the one's-complement rule
// for negative samples, and whether the sample is negative.
func refMagnitude(s int16) (int, bool) {
	if s < 0 {
		return int(^s), true
	}
	return int(s), false
}

func refEncodeUlaw(s int16) byte {
	m, neg := refMagnitude(s)
	n := refInterval(&ulawTable, m/4)
	if neg {
		return byte(0x7F - n)
	}
	return byte(0xFF - n)
}

func refDecodeUlaw(b byte) int16 {
	n := 0x7F - int(b&0x7F)
	v := refOutput(&ulawTable, n) * 4
	if b&0x80 == 0 {
		v = -v
	}
	return int16(v)
}

func refEncodeAlaw(s int16) byte {
	m, neg := refMagnitude(s)
	code := byte(refInterval(&alawTable, m/8))
	if !neg {
		code |= 0x80
	}
	return code ^ 0x55
}

func refDecodeAlaw(b byte) int16 {
	c := b ^ 0x55
	v := refOutput(&alawTable, int(c&0x7F)) * 8
	if c&0x80 == 0 {
		v = -v
	}
	return int16(v)
}
