// Package jitter holds a small fixed-depth jitter buffer: it puts RTP
// payloads back in sequence order, drops late and duplicate packets, and
// hands the audio engine one payload per period, or a gap to conceal.
//
// The buffer copies payloads into slots allocated once by New, so Push and
// Pop never allocate. It is not safe for concurrent use; the engine guards
// it. An adaptive buffer sized in milliseconds will replace it later.
//
// jitter imports the standard library only.
package jitter
