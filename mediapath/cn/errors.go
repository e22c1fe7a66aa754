package cn

import "errors"

// errEmpty reports a CN payload without its noise-level byte.
var errEmpty = errors.New("cn: empty payload")
