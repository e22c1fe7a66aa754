// Package g722 is ITU-T G.722 wideband speech coding at 64 kbit/s (mode 1):
// 16 kHz 16-bit PCM in, one byte per pair of samples out, and back.
//
// The coder splits the signal with a 24-tap quadrature mirror filter bank
// into a lower band (0–4 kHz), coded with 6-bit adaptive differential PCM,
// and a higher band (4–8 kHz), coded with 2 bits. Each band adapts its step
// size and a pole-zero predictor to the signal; the lower band drives its
// predictor from the 4 most significant of its 6 bits, so a decoder in
// mode 2 or 3 stays in step with the encoder.
//
// The arithmetic follows the G.722 fixed-point definition and is bit-exact
// with github.com/gotranspile/g722, which the tests compare it against,
// with one exception: when the decoder's synthesis filter overshoots 16
// bits (loud or clipped input can cause it) the sample is clipped, where
// that coder lets it wrap around into a click.
//
// Encoder and Decoder are plain values whose zero value is a coder in its
// initial state; each holds one direction of one stream and is not safe for
// concurrent use. Encode and Decode work on caller-owned buffers and never
// allocate.
//
// g722 imports nothing; its tests import github.com/gotranspile/g722.
package g722
