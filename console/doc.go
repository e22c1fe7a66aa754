// Package console is the simulator's front panel: it reads commands (lines
// on stdin, or single keys in terminal mode) and drives the simulated hook
// switch and keypad, and it prints the phone's events as JSON lines.
//
// console imports hal, hal/sim and the standard library.
package console
