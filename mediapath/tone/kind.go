package tone

// Kind names a call-progress tone the phone plays into the earpiece.
type Kind int

// The tones of a plan.
const (
	None        Kind = iota
	Dial             // off-hook, ready to dial
	StutterDial      // dial tone that tells of waiting voicemail
	Ringback         // the far end is ringing
	Busy             // the far end is busy (486, 600)
	Congestion       // the call failed: network, invalid number, timeout (reorder)
	CallWaiting      // a second call is ringing during a call
	OffHookWarn      // handset left off the hook (howler)
	Error            // the phone is not configured or not working
	Ringtone         // an incoming call, through the sound card (played while the bell is on)
)

// String returns the tone's name as used in events and logs.
func (k Kind) String() string {
	switch k {
	case None:
		return "none"
	case Dial:
		return "dial"
	case StutterDial:
		return "stutter-dial"
	case Ringback:
		return "ringback"
	case Busy:
		return "busy"
	case Congestion:
		return "congestion"
	case CallWaiting:
		return "call-waiting"
	case OffHookWarn:
		return "off-hook-warning"
	case Error:
		return "error"
	case Ringtone:
		return "ringtone"
	}
	return "unknown"
}
