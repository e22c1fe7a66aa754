package rfc4733

import "errors"

var (
	errShort  = errors.New("rfc4733: payload shorter than 4 bytes")
	errVolume = errors.New("rfc4733: volume above 63")
)
