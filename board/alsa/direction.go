package alsa

// Direction is one side of a duplex sound card.
type Direction int

// The two directions. Their values index per-direction arrays.
const (
	Playback Direction = iota // the earpiece
	Capture                   // the mouthpiece
)

// String returns "playback" or "capture".
func (d Direction) String() string {
	switch d {
	case Playback:
		return "playback"
	case Capture:
		return "capture"
	}
	return "direction?"
}

// suffix is the last letter of the direction's device node, pcmC0D0p.
func (d Direction) suffix() byte {
	if d == Capture {
		return 'c'
	}
	return 'p'
}
