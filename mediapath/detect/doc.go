// Package detect finds tones in 16-bit PCM: the power of one frequency
// (Goertzel), the stretches where a frequency dominates, and the strongest
// frequency in a band. Tests, the demo and the self-test use it to check what
// the phone actually played.
//
// All arithmetic is float64, so products never overflow on 32-bit ARM.
// detect imports the standard library only.
package detect
