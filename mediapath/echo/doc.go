// Package echo is a simple echo suppressor for the handset: while the far
// end talks and the microphone hears nothing much louder than the echo of
// it would be, the microphone is turned down, so the far end does not hear
// itself. It is not an echo canceller: during double talk the near end
// passes at full level, echo and all.
//
// A Suppressor works on caller-owned frames and never allocates after New.
// It is not safe for concurrent use.
//
// echo imports the standard library only.
package echo
