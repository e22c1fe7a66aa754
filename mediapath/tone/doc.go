// Package tone holds the call-progress tone plans of the countries the phone
// knows (dial, ringback, busy, congestion, call waiting, stutter dial,
// off-hook warning, error; and the bell cadence) and the Generator that
// mixes them, and DTMF key feedback, into earpiece frames.
//
// Locally generated tones go to the earpiece only, never to the far end.
// The Generator is not safe for concurrent use; the audio engine owns it.
//
// tone imports the standard library only.
package tone
