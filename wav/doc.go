// Package wav reads and writes 16-bit PCM WAV files: the simulator's
// microphone input and speaker recording, and test fixtures.
//
// Writer streams samples to an io.WriteSeeker without allocating per call
// and fixes the RIFF and data sizes on Close. Read parses a whole file,
// skipping chunks it does not know, and accepts only 16-bit PCM with one or
// two channels. Stream reads the same files a piece at a time from a
// reader that can seek, and goes back to the start for a loop, without
// allocating per read: a long recording never sits in memory whole.
//
// wav imports the standard library only.
package wav
