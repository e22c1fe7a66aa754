package testpeer

import "errors"

var (
	// errBadConfig marks a KamailioConfig or SippConfig that cannot work.
	errBadConfig = errors.New("testpeer: bad config")
	// errNotReady means a peer did not answer in time after starting.
	errNotReady = errors.New("testpeer: peer not ready")
	// errExited means a peer's process ended on its own.
	errExited = errors.New("testpeer: peer exited")
	// errSippFailed means a SIPp scenario did not complete successfully.
	errSippFailed = errors.New("testpeer: sipp scenario failed")
	// errSippTimeout means a SIPp scenario ran past its Timeout.
	errSippTimeout = errors.New("testpeer: sipp timed out")
)
