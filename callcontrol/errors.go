package callcontrol

import "errors"

// Errors New and Run return. They are wrapped with detail; test with
// errors.Is.
var (
	// ErrMissingDep reports a nil dependency in Deps.
	ErrMissingDep = errors.New("callcontrol: missing dependency")
	// ErrBadConfig reports a Config that cannot drive a phone.
	ErrBadConfig = errors.New("callcontrol: bad config")
	// ErrAlreadyRunning reports a second call of Phone.Run.
	ErrAlreadyRunning = errors.New("callcontrol: already running")
)
