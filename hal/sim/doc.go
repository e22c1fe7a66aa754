// Package sim holds simulated phone hardware for running handset on a PC and
// in tests: a hook switch, a keypad, a bell, status lamps and a sound card.
//
// The sound card (SoundCard) takes its microphone from a Source (a sine
// tone, a looping WAV recording or silence) and records the earpiece into a
// WAV file. In real-time mode its playback Write blocks on a deadline
// schedule like a hardware ring buffer, so it paces the audio pump; without
// it, it runs as fast as the caller. Unplug and Plug simulate a USB card
// that disappears and comes back.
//
// sim imports hal and wav (and the standard library) only. Time comes from
// the injected hal.Clock.
package sim
