// Package resample converts mono 16-bit PCM between sample rates with a
// polyphase windowed-sinc filter: the rates of real sound cards (8, 16,
// 44.1, 48 kHz and others) and the audio engine's 8 or 16 kHz.
//
// A Resampler is a stream: it keeps the filter's history between calls, so
// periods join without seams. Its filter is built once by New; Process
// works on caller-owned buffers and never allocates. It is not safe for
// concurrent use.
//
// resample imports the standard library only.
package resample
