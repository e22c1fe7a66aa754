package main

import (
	"sync"

	"handset/hal"
	"handset/mediapath/tone"
)

// ringtoneBell rings the bell and, with [audio] ringtone on, plays the
// ringtone through the sound card in step with it: the bell's cadence
// switches both.
type ringtoneBell struct {
	bell  hal.Bell
	media interface{ PlayTone(tone.Kind) }

	mu      sync.Mutex
	playing bool
}

var _ hal.Bell = (*ringtoneBell)(nil)

// SetBell implements hal.Bell.
func (r *ringtoneBell) SetBell(on bool) error {
	err := r.bell.SetBell(on)
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case on && !r.playing:
		r.media.PlayTone(tone.Ringtone)
	case !on && r.playing:
		r.media.PlayTone(tone.None)
	}
	r.playing = on
	return err
}
