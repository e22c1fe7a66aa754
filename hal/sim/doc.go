// Package sim holds simulated phone hardware for running handset on a PC and
// in tests: a hook switch, a keypad, a bell, status lamps and a sound card.
//
// The sound card (SoundCard) takes its microphone from a Source (a sine
// tone, a looping WAV recording or silence) and records the earpiece into a
// WAV file. In real-time mode it keeps time like a duplex card on one
// clock: Read blocks until a period has been captured, and playback starts
// once its ring is full and then drains one period per period, so Write
// blocks until there is room. The pump it paces therefore sees the latency
// of a real card's buffer. Without real time it runs as fast as the
// caller. OnCapture and OnPlay tell a measurement when each period was
// heard and when it plays. Unplug and Plug simulate a USB card that
// disappears and comes back.
//
// sim imports hal and wav (and the standard library) only. Time comes from
// the injected hal.Clock.
package sim
