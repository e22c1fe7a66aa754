// Package mediapath is the phone's audio engine: the pump that moves one
// 20 ms period at a time between the sound card and the network, and the
// RTP streams (one per call) with their SDP offer/answer.
//
// The pump (Engine.Run) is one goroutine that owns the sound card. Each
// period it reads the mouthpiece, converts to 8 kHz mono, encodes and sends
// an RTP packet (or RFC 4733 events for a queued DTMF key), then pops the
// jitter buffer, decodes (silence on loss), mixes local tones and writes the
// earpiece; the card's blocking Write paces it. Each Stream has a receive
// goroutine that files packets into its jitter buffer and reports DTMF.
// Neither allocates per packet or period. When the card fails or is
// unplugged the pump keeps the call's media flowing on the injected clock,
// with silence, and reopens the card every second.
//
// mediapath imports hal, its leaf packages (mediapath/codec, tone, jitter,
// rfc4733, sdpneg) and pion/rtp; call control sees its types, never the
// other way round.
package mediapath
