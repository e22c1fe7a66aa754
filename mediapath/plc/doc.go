// Package plc conceals lost packets of a waveform codec (G.711, G.722):
// it repeats the last pitch period of what was heard, widening to two and
// three periods and fading out over consecutive losses, and blends the
// next good audio in so that neither the loss nor the recovery clicks.
//
// The method follows the outline of ITU-T G.711 Appendix I (pitch
// estimation by normalised autocorrelation, overlap-add at every seam,
// attenuation of 20 % per 10 ms after the first 10 ms, silence after
// 60 ms); the code is our own. The output lags the input by a quarter of
// the longest pitch period (3.75 ms), which gives room to smooth the start
// of a loss.
//
// A Concealer works on caller-owned frames and never allocates after New.
// It is not safe for concurrent use.
//
// plc imports the standard library only.
package plc
