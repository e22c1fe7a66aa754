package wav

import "errors"

// ErrNotWAV reports input that is not a RIFF/WAVE file.
var ErrNotWAV = errors.New("wav: not a RIFF/WAVE file")

// ErrUnsupported reports a WAV file in a format other than 16-bit PCM with
// one or two channels.
var ErrUnsupported = errors.New("wav: unsupported format")

// ErrMalformed reports a WAV file whose chunks are inconsistent or cut short.
var ErrMalformed = errors.New("wav: malformed file")

// ErrTooLarge reports a recording that would not fit in a WAV file's 32-bit
// sizes.
var ErrTooLarge = errors.New("wav: file too large")

var errClosed = errors.New("wav: writer closed")
