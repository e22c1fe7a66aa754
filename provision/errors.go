package provision

import "errors"

var (
	// ErrNoServer reports that no provisioning server is configured: no
	// [provisioning] url, and no DHCP option 66 (or dhcp = false).
	ErrNoServer = errors.New("provision: no provisioning server")
	// ErrRejected reports fetched files that have problems; the phone keeps
	// the configuration it had.
	ErrRejected = errors.New("provision: fetched configuration refused")
	// ErrNotFound reports a server that has neither this phone's file nor
	// the common one.
	ErrNotFound = errors.New("provision: the server has no configuration for this phone")
	// ErrNoMAC reports that no network interface has a MAC address.
	ErrNoMAC = errors.New("provision: no network interface with a MAC address")
	// errNotHTTPS reports an address, or a redirect, that is not https.
	errNotHTTPS = errors.New("only https:// is used for provisioning")
	// errTooLarge reports a file far larger than any real configuration.
	errTooLarge = errors.New("file too large")
	// errBadURL reports an address the HTTPS client cannot fetch.
	errBadURL = errors.New("bad URL")
	// errTimedOut reports a server that did not answer in full in time.
	errTimedOut = errors.New("no complete answer in time")
	// errTooManyRedirects reports a chain of redirects that did not end.
	errTooManyRedirects = errors.New("too many redirects")
	// errBadResponse reports an answer that breaks HTTP/1.1's syntax
	// (RFC 9112).
	errBadResponse = errors.New("malformed HTTP response")
	// errHeadTooLarge reports status lines and header fields, or chunk
	// lines and trailers, past their size limit.
	errHeadTooLarge = errors.New("HTTP response header too large")
	// errUnsupportedCoding reports a transfer coding other than chunked.
	errUnsupportedCoding = errors.New("unsupported transfer coding")
	// errTruncated reports a body that ended before its announced end.
	errTruncated = errors.New("HTTP response body cut short")
)
