// Package mediapath is the phone's audio engine: the pump that moves one
// 20 ms period at a time between the sound card and the network, and the
// RTP streams (one per call) with their SDP offer/answer and RTCP.
//
// The pump (Engine.Run) is one goroutine that owns the sound card. It runs
// at 8 kHz, or at 16 kHz when G.722 is configured; whatever rate and
// channels the card grants are converted (mediapath/resample). Each period
// it reads the mouthpiece; pops the jitter buffer and decodes, conceals a
// lost packet (mediapath/plc) or plays comfort noise (mediapath/cn); mixes
// local tones and writes the earpiece; turns the mouthpiece down when only
// the far end talks (mediapath/echo, if enabled); and encodes and sends a
// packet — voice, RFC 4733 events for a queued DTMF key, or comfort noise
// while the mouthpiece is silent and the far end takes CN — and an RTCP
// report every 5 s or so. The card paces it: its Read blocks until a
// period has been captured (and its Write until there is room).
//
// Each Stream has a receive goroutine that files packets into its adaptive
// jitter buffer and reports DTMF, and one that reads RTCP (round-trip
// time, the far end's view of our stream). Neither allocates per packet or
// period. On Linux RTP goes out and in through raw non-blocking system
// calls (rawudp_linux.go), which spare the Go runtime's thread wake-ups. When the card fails or is unplugged the pump keeps the call's
// media flowing on the injected clock, with silence, and reopens the card
// every second.
//
// mediapath imports hal, its leaf packages (mediapath/codec, tone, jitter,
// plc, cn, echo, resample, rfc4733, rtcp, sdpneg) and pion/rtp; call
// control sees its types, never the other way round.
package mediapath
