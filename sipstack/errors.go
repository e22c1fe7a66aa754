package sipstack

import (
	"errors"
	"fmt"
)

var (
	// ErrConfig reports a Config that New cannot use; the wrapping error
	// names the field.
	ErrConfig = errors.New("sipstack: bad config")
	// ErrNotRunning reports a call verb used before Run is ready or after it
	// began shutting down.
	ErrNotRunning = errors.New("sipstack: not running")
	// ErrUnknownCall reports a call ID the stack does not know (never seen,
	// or already over).
	ErrUnknownCall = errors.New("sipstack: unknown call")
	// ErrCallState reports a verb that does not fit the call's state, such
	// as Ring on an outbound call or Answer on a call that is already up.
	ErrCallState = errors.New("sipstack: not possible in the call's state")
	// ErrBadTarget reports a Dial target that is neither digits nor a sip:
	// URI.
	ErrBadTarget = errors.New("sipstack: bad dial target")
	// ErrNoSDP reports a missing SDP body for Dial or Answer.
	ErrNoSDP = errors.New("sipstack: SDP body required")
	// ErrBadCode reports a Reject status outside 300–699.
	ErrBadCode = errors.New("sipstack: bad status code")

	errAlreadyRun      = errors.New("sipstack: Run called twice")
	errListenerStopped = errors.New("listener stopped")
	errNoDomain        = fmt.Errorf("%w: no domain configured for dialled digits", ErrBadTarget)
)
