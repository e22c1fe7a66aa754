// Package hal holds the small interfaces behind which the phone's hardware
// lives: the hook switch, the keypad, the bell, the LEDs, the sound card and
// the clock.
//
// hal imports the standard library only. Drivers for real parts (periph GPIO,
// ALSA) live in package board; simulated parts live in package hal/sim; fakes
// for tests live in package hal/haltest. Only cmd/handset picks which
// implementation the phone runs with.
package hal
