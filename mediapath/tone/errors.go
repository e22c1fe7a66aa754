package tone

import "errors"

// ErrUnknownCountry reports a country code with no tone plan.
var ErrUnknownCountry = errors.New("tone: unknown country")
