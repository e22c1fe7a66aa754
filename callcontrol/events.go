package callcontrol

import (
	"time"

	"handset/mediapath"
)

// Event is something the phone reports to the outside world through
// Deps.Notify. The simulator prints events as JSON lines, with Kind naming
// the type.
type Event interface {
	// Kind names the event type, e.g. "state" or "call-ended".
	Kind() string
}

// Call directions in CallStarted.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// StateChanged reports a transition of the phone's state.
type StateChanged struct {
	From   State  `json:"from"`
	To     State  `json:"to"`
	Reason string `json:"reason,omitempty"`
}

// Tone reports the call-progress tone now playing in the earpiece ("none"
// when it stops). Key feedback tones are not reported.
type Tone struct {
	Tone string `json:"tone"`
}

// Ring reports that the bell started (On) or stopped ringing for a call.
// The cadence's individual on/off steps are not reported.
type Ring struct {
	On     bool   `json:"on"`
	CallID string `json:"call_id,omitempty"`
}

// CallStarted reports a new call: an INVITE sent (out) or an incoming call
// offered to the user (in).
type CallStarted struct {
	CallID      string `json:"call_id"`
	Direction   string `json:"direction"`
	Remote      string `json:"remote"`
	DisplayName string `json:"display_name,omitempty"`
}

// CallConnected reports that a call was answered; SetupTime runs from
// CallStarted to the answer.
type CallConnected struct {
	CallID    string        `json:"call_id"`
	SetupTime time.Duration `json:"setup_time"`
}

// CallEnded reports the end of a call, answered or not. Duration is the
// connected time (0 if never answered); Stats are the call's media counters
// (zero if no audio ever flowed).
type CallEnded struct {
	CallID   string          `json:"call_id"`
	Reason   string          `json:"reason"`
	Duration time.Duration   `json:"duration"`
	Stats    mediapath.Stats `json:"stats"`
}

// Registration reports the outcome of a REGISTER or its refresh.
type Registration struct {
	Registered bool          `json:"registered"`
	Registrar  string        `json:"registrar"`
	Code       int           `json:"code,omitempty"`
	Reason     string        `json:"reason,omitempty"`
	RetryIn    time.Duration `json:"retry_in,omitempty"`
	Expires    time.Duration `json:"expires,omitempty"`
}

// MissedCall reports an incoming call that ended before it was answered.
type MissedCall struct {
	CallID      string `json:"call_id"`
	From        string `json:"from"`
	DisplayName string `json:"display_name,omitempty"`
}

// Dialed reports a number being sent: Digits as keyed (empty for hotline,
// warm line, speed dial and redial), Target as handed to SIP.
type Dialed struct {
	Digits string `json:"digits,omitempty"`
	Target string `json:"target"`
}

// DTMFReceived reports a keypad digit the far end sent during a call: in
// the media as an RFC 4733 telephone-event (Via "rfc4733") or as a SIP INFO
// (Via "info").
type DTMFReceived struct {
	CallID string `json:"call_id,omitempty"`
	Key    string `json:"key"`
	Via    string `json:"via"`
}

// Kind implements Event.
func (StateChanged) Kind() string { return "state" }

// Kind implements Event.
func (Tone) Kind() string { return "tone" }

// Kind implements Event.
func (Ring) Kind() string { return "ring" }

// Kind implements Event.
func (CallStarted) Kind() string { return "call-started" }

// Kind implements Event.
func (CallConnected) Kind() string { return "call-connected" }

// Kind implements Event.
func (CallEnded) Kind() string { return "call-ended" }

// Kind implements Event.
func (Registration) Kind() string { return "registration" }

// Kind implements Event.
func (MissedCall) Kind() string { return "missed-call" }

// Kind implements Event.
func (Dialed) Kind() string { return "dialed" }

// Kind implements Event.
func (DTMFReceived) Kind() string { return "dtmf-received" }
