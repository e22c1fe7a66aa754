package sipstack

import "time"

// Event is something the SIP side reports to call control. The concrete
// types below are the only implementations.
type Event interface{ sipEvent() }

// Registered reports a successful REGISTER (or refresh).
type Registered struct {
	Registrar string
	// Expires is the binding time the registrar granted.
	Expires time.Duration
}

// RegistrationFailed reports a failed REGISTER; the stack retries by itself
// after RetryIn.
type RegistrationFailed struct {
	Registrar string
	Code      int // SIP status, 0 for a transport error or timeout
	Reason    string
	RetryIn   time.Duration
}

// Unregistered reports the binding removed on shutdown.
type Unregistered struct{ Registrar string }

// Incoming reports a new inbound call that passed the ghost-call guard. The
// stack has sent 100 Trying; call control answers with Ring, Reject or Answer.
type Incoming struct {
	CallID      string
	From        string // the caller's URI, e.g. sip:1001@pbx.example
	FromUser    string // the caller's user part, e.g. 1001
	DisplayName string
	SDP         []byte // the offer; may be empty (offer in ACK is not supported: 488)
	Source      string // ip:port the INVITE came from
}

// Progress reports a provisional response to our INVITE (180, 183).
type Progress struct {
	CallID string
	Code   int
	Reason string
	SDP    []byte // early-media answer, when the response carried one
}

// Answered reports the 2xx to our INVITE; the stack has sent the ACK.
type Answered struct {
	CallID string
	SDP    []byte
}

// Failed reports that our INVITE ended without a call: a final 3xx–6xx after
// redirects and auth were tried, or no answer at all (Code 0, or 408).
type Failed struct {
	CallID string
	Code   int
	Reason string
}

// Ended reports that an established or ringing call is over.
type Ended struct {
	CallID string
	// ByPeer is true when the far end hung up (BYE) or cancelled (CANCEL).
	ByPeer bool
	Reason string // "bye", "cancel", "timeout", "error"
}

// Updated reports an in-dialog re-INVITE from the peer (hold, resume, new
// media address) after the stack answered it with Answer's SDP.
type Updated struct {
	CallID string
	SDP    []byte
}

// DTMF reports a digit the peer sent with SIP INFO.
type DTMF struct {
	CallID string
	Digit  rune
}

func (Registered) sipEvent()         {}
func (RegistrationFailed) sipEvent() {}
func (Unregistered) sipEvent()       {}
func (Incoming) sipEvent()           {}
func (Progress) sipEvent()           {}
func (Answered) sipEvent()           {}
func (Failed) sipEvent()             {}
func (Ended) sipEvent()              {}
func (Updated) sipEvent()            {}
func (DTMF) sipEvent()               {}
