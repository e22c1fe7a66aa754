package mediapath

import "errors"

// ErrNoFreePort reports that every even port of the RTP range is taken.
var ErrNoFreePort = errors.New("mediapath: no free RTP port")

// ErrStreamClosed reports use of a Stream after Close.
var ErrStreamClosed = errors.New("mediapath: stream closed")

// ErrForeignStream reports a Stream handed to an Engine that did not make it.
var ErrForeignStream = errors.New("mediapath: stream of another engine")

// ErrRunning reports a second Run of an Engine that is already running.
var ErrRunning = errors.New("mediapath: engine already running")

// ErrBadConfig reports an Engine configuration that cannot work.
var ErrBadConfig = errors.New("mediapath: bad config")

// errCardFormat reports a sound card period the pump cannot convert.
var errCardFormat = errors.New("mediapath: unusable sound card format")
