package hal

// Bell switches the phone's bell (or ring relay) on and off. The ring
// cadence is played by the caller; a Bell only knows on and off.
type Bell interface {
	SetBell(on bool) error
}
