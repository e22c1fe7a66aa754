// Package sdpneg negotiates a call's audio with SDP offer/answer (RFC 3264):
// it writes the phone's offer, answers a peer's offer, and reads the peer's
// answer, agreeing on one codec (G722, PCMU or PCMA), RFC 4733
// telephone-event, RFC 3389 comfort noise,
// the packet time, the direction and where to send RTP.
//
// The SDP is kept lean, since it travels in UDP SIP messages that must stay
// under 1300 bytes. Parsing and marshalling use github.com/pion/sdp/v3.
//
// sdpneg imports mediapath/codec and pion/sdp.
package sdpneg
