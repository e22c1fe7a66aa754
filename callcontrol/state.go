package callcontrol

import "strconv"

// State is where the phone is in its life cycle.
type State int32

// The phone's states.
const (
	// Idle: on hook, no call.
	Idle State = iota
	// DialTone: off hook, dial tone, nothing dialled yet.
	DialTone
	// Dialing: collecting digits against the dial plan.
	Dialing
	// Calling: INVITE sent; ringback on 180, early media on 183 with SDP.
	Calling
	// Ringing: an incoming call, on hook, the bell ringing.
	Ringing
	// Connected: in a call.
	Connected
	// Failed: the call could not be made (or the phone is not ready);
	// busy, congestion or error tone until on-hook.
	Failed
	// Disconnected: the far end hung up while the handset is still up;
	// busy tone until on-hook.
	Disconnected
)

// String returns the state's name as used in logs and events, e.g.
// "dial-tone".
func (s State) String() string {
	switch s {
	case Idle:
		return "idle"
	case DialTone:
		return "dial-tone"
	case Dialing:
		return "dialing"
	case Calling:
		return "calling"
	case Ringing:
		return "ringing"
	case Connected:
		return "connected"
	case Failed:
		return "failed"
	case Disconnected:
		return "disconnected"
	}
	return "state(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText makes a State appear by name in JSON events.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
