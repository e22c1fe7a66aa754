package board

import "errors"

// Errors a caller can branch on.
var (
	// ErrWiring reports a [board] section the drivers cannot use: an
	// unknown model, a keypad layout that does not fit the matrix, one line
	// given two jobs.
	ErrWiring = errors.New("board: bad wiring")
	// ErrNoHardware reports a model with no GPIO hardware ("sim"), which
	// the caller runs with hal/sim instead.
	ErrNoHardware = errors.New("board: model has no hardware")
	// ErrClosed reports use of a part after Close.
	ErrClosed = errors.New("board: closed")
	// ErrUnknownLED reports an LED name that is none of hal's lamps.
	ErrUnknownLED = errors.New("board: unknown LED")
	// ErrBadPattern reports an LED pattern hal does not define.
	ErrBadPattern = errors.New("board: unknown LED pattern")
)
