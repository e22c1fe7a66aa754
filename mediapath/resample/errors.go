package resample

import "errors"

// errRate reports a sample rate that is not positive or too far from the
// other one.
var errRate = errors.New("resample: unusable rates")
