// Package cn is comfort noise (RFC 3389): the one-byte noise-level
// payload, a voice activity detector that tells the sender when the
// microphone is silent, and a generator that fills the receiver's silence
// with noise at the level the far end signalled.
//
// Only the noise level is sent; spectral information in received payloads
// is accepted and ignored, as RFC 3389 §3 allows, and the noise is white.
// Levels are in -dBov, where 0 dBov is a full-scale square wave (an RMS of
// 32767) and a full-scale sine is at -3 dBov.
//
// Nothing here allocates after construction; nothing is safe for
// concurrent use.
//
// cn imports the standard library only.
package cn
