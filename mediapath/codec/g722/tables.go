package g722

// The constants of ITU-T G.722. Each comment names the Recommendation's
// table and the blocks that use it; tables indexed differently from the
// Recommendation's say how.

// q6Levels are the 29 decision levels of the lower-band 6-bit quantizer
// (QUANTL, table Q6 from its second entry), in units of the step size
// divided by 2^12, at indices 2 to 30. The padding around them is a level
// no error signal reaches: see Encoder.encodeLow.
var q6Levels = [32]int32{
	never, never,
	35, 72, 110, 150, 190, 233, 276, 323, 370, 422,
	473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121,
	1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
	never,
}

// never pads q6Levels. Above every real level, it is never at or below an
// error signal that lies below the second level, which is where the fine
// search of Encoder.encodeLow meets it; times the largest step size (2^14)
// it still fits an int32.
const never = 1 << 16

// ilNeg and ilPos are the lower-band codes (tables ILN and ILP) for a
// negative or non-negative error signal, by quantizer interval: interval k
// holds the magnitudes with exactly k decision levels at or below them.
var (
	ilNeg = [32]int32{
		63, 62, 31, 30, 29, 28, 27, 26, 25, 24,
		23, 22, 21, 20, 19, 18, 17, 16, 15, 14,
		13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
	}
	ilPos = [32]int32{
		61, 60, 59, 58, 57, 56, 55, 54, 53, 52,
		51, 50, 49, 48, 47, 46, 45, 44, 43, 42,
		41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
	}
)

// qm6 is the lower-band 6-bit inverse quantizer (INVQAL, table QM6), by
// code, scaled by 2^15 against the step size. Codes 0-3 are never sent.
var qm6 = [64]int32{
	-136, -136, -136, -136, -24808, -21904, -19008, -16704,
	-14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
	-7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
	-3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
	24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
	10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
	4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
	1688, 1360, 1040, 728, 432, 136, -432, -136,
}

// il4Neg and il4Pos are the top 4 bits of the lower-band code (il >> 2)
// for a negative or non-negative error signal, by coarse interval c: the
// 6-bit intervals 4c-2 to 4c+1 share them (0 and 1 for c = 0).
var (
	il4Neg = [8]int32{15, 7, 6, 5, 4, 3, 2, 1}
	il4Pos = [8]int32{15, 14, 13, 12, 11, 10, 9, 8}
)

// qm4 is the lower-band 4-bit inverse quantizer (INVQBL, table QM4), by the
// top 4 bits of the 6-bit code. It feeds the predictor and step-size
// adaptation in both encoder and decoder.
var qm4 = [16]int32{
	0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
	20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
}

// wl4 is the lower-band log step-size multiplier (table WL through RIL4),
// by the top 4 bits of the code.
var wl4 = [16]int32{
	-60, 3042, 1198, 538, 334, 172, 58, -30,
	3042, 1198, 538, 334, 172, 58, -30, -60,
}

// ilb is the mantissa table of the log-to-linear step-size conversion
// (SCALEL and SCALEH, table ILB).
var ilb = [32]int32{
	2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383,
	2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
	2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371,
	3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
}

// qm2 is the higher-band 2-bit inverse quantizer (INVQAH, table QM2), by
// code: bit 1 is the sign (set for non-negative), bit 0 the small
// magnitude.
var qm2 = [4]int32{-7408, -1616, 7408, 1616}

// wh2 is the higher-band log step-size multiplier (table WH through RIH2),
// by code.
var wh2 = [4]int32{798, -214, 798, -214}

const (
	// q2Level is the higher band's single decision level (QUANTH), in
	// units of the step size divided by 2^12.
	q2Level = 564
	// nbLowMax and nbHighMax bound the log step sizes (LOGSCL, LOGSCH).
	nbLowMax  = 18432
	nbHighMax = 22528
	// lowShift and highShift place the step sizes of the two bands
	// (SCALEL, SCALEH).
	lowShift  = 8
	highShift = 10
)
