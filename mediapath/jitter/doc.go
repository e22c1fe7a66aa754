// Package jitter is the adaptive jitter buffer: it puts RTP payloads back
// in order, hands the audio engine the packet due in each period, and
// moves its playout delay with the network — starting small, growing when
// packets come late, shrinking when the network calms, and dropping or
// stretching a period now and then so that the far end's clock and the
// sound card's never drift apart.
//
// The buffer is sized in time, not packets. It handles reordering,
// duplicates, sequence wrap-around, timestamp jumps (new talkspurts after
// silence, restarts) and packets that hold no audio (RFC 4733 events,
// which use up sequence numbers). Comfort-noise packets are kept in order
// like audio.
//
// Payloads are copied into slots allocated once by New, so Push and Pop
// never allocate. A Buffer is not safe for concurrent use; the engine
// guards it.
//
// jitter imports the standard library only.
package jitter
