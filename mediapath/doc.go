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
// period has been captured. Playback keeps only a short lead queued in the
// card (lead.go): a few milliseconds when the pump wakes on time, more,
// at once, when it comes late.
//
// The pump also receives: each period, before playout, it drains every
// open stream's RTP socket and files the datagrams into the stream's
// adaptive jitter buffer with the kernel's arrival time, and reports DTMF.
// On Linux the RTP socket is made with raw system calls and never joins
// Go's network poller, so a packet wakes no thread: one wake-up per
// period, the card's. Each Stream keeps one goroutine that reads RTCP
// (round-trip time, the far end's view of our stream). Nothing allocates
// per packet or period. When the card fails or is unplugged the pump
// keeps the call's media flowing on the injected clock, with silence, and
// reopens the card every second.
//
// mediapath imports hal, its leaf packages (mediapath/codec, tone, jitter,
// plc, cn, echo, resample, rfc4733, rtcp, sdpneg) and pion/rtp; call
// control sees its types, never the other way round.
package mediapath
