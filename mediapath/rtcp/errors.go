package rtcp

import "errors"

var (
	errShort   = errors.New("rtcp: packet too short")
	errVersion = errors.New("rtcp: not version 2")
	errLength  = errors.New("rtcp: length field past the end")
	errTooMany = errors.New("rtcp: too many report blocks")
	errCNAME   = errors.New("rtcp: CNAME longer than 255 bytes")
)
