package sdpneg

import "errors"

// ErrNoCommonCodec reports an offer or answer with no usable audio stream:
// no audio m= line, a rejected one (port 0), or no codec in common. A SIP
// layer answers it with 488 Not Acceptable Here.
var ErrNoCommonCodec = errors.New("sdpneg: no common codec")

// ErrMalformed reports SDP that cannot be parsed or lacks what a call needs
// (such as a connection address).
var ErrMalformed = errors.New("sdpneg: malformed SDP")

// errLocal reports unusable local parameters.
var errLocal = errors.New("sdpneg: bad local parameters")
