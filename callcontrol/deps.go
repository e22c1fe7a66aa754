package callcontrol

import (
	"handset/hal"
	"handset/mediapath"
	"handset/mediapath/tone"
	"handset/sipstack"
)

// SIP is what call control needs of the SIP user agent (sipstack.UA).
type SIP interface {
	// Dial sends an INVITE with the SDP offer to target: dialled digits
	// (made sip:DIGITS@domain) or a full sip: URI. It returns the call's ID
	// at once; progress comes as events.
	Dial(target string, offer []byte) (callID string, err error)
	// Ring sends 180 Ringing for an incoming call.
	Ring(callID string) error
	// Answer sends 200 OK with the SDP answer for an incoming call, or
	// answers a peer's re-INVITE (after an Updated event).
	Answer(callID string, sdp []byte) error
	// Reject ends an incoming call that was not answered, with code (486,
	// 488, 603…).
	Reject(callID string, code int) error
	// Hangup ends a call whatever its state: CANCEL before the answer, BYE
	// after it.
	Hangup(callID string) error
	// Events delivers what happens on the SIP side.
	Events() <-chan sipstack.Event
}

// Media is what call control needs of the audio engine (mediapath.Engine).
type Media interface {
	// PlayTone plays a call-progress tone into the earpiece until StopTone
	// or another PlayTone; tone.None stops.
	PlayTone(k tone.Kind)
	// PlayKeyTone plays a short DTMF feedback tone for a key.
	PlayKeyTone(k hal.Key)
	// NewStream binds an RTP port for a call about to be set up.
	NewStream() (Stream, error)
	// Attach connects the pump to s: capture goes out, received audio
	// plays. Only one stream is attached at a time.
	Attach(s Stream) error
	// Detach disconnects the current stream (it stays open).
	Detach()
	// SendDTMF sends k to the far end of the attached stream (RFC 4733).
	SendDTMF(k hal.Key)
	// Stats returns the attached (or last) stream's counters.
	Stats() mediapath.Stats
}

// Stream is one call's RTP session, with its SDP offer/answer.
type Stream interface {
	// Offer returns our SDP offer.
	Offer() ([]byte, error)
	// AcceptOffer negotiates the peer's offer and returns our answer. The
	// error wraps sdpneg.ErrNoCommonCodec when nothing matches.
	AcceptOffer(offer []byte) ([]byte, error)
	// AcceptAnswer takes the peer's answer to our Offer.
	AcceptAnswer(answer []byte) error
	Close() error
}
