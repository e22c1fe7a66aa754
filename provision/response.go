package provision

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxHeadSize bounds the status lines and header fields of one answer,
// interim (1xx) answers included; it bounds each chunk-size line and the
// trailer section of a chunked body too.
const maxHeadSize = 64 << 10

// responseHead is what the status line and header fields of an HTTP/1.x
// answer say (RFC 9112 sections 4 to 6).
type responseHead struct {
	status   int
	reason   string
	location string // the Location field; "" without one
	chunked  bool
	length   int64 // the body's length when not chunked; -1: until the server closes
}

// readResponse reads the answer to a GET: its head and, when it is a 2xx
// answer, its body of at most limit bytes.
func readResponse(r *bufio.Reader, limit int64) (responseHead, []byte, error) {
	h, err := readHead(r)
	if err != nil || h.status/100 != 2 {
		return h, nil, err
	}
	body, err := readBody(r, h, limit)
	return h, body, err
}

// readHead reads an answer's status line and header fields, skipping
// interim (1xx) answers, and works out how its body is framed. It is
// strict: obsolete line folding, a space before a field's colon, control
// characters, and differing Content-Length values are errors.
func readHead(r *bufio.Reader) (responseHead, error) {
	lr := &lineReader{r: r, left: maxHeadSize}
	for {
		h, err := lr.head()
		switch {
		case err != nil:
			return responseHead{}, err
		case h.status == 101:
			return responseHead{}, fmt.Errorf("%w: 101 Switching Protocols, unasked", errBadResponse)
		case h.status >= 200:
			return h, nil
		}
	}
}

// head reads one status line and its header fields.
func (lr *lineReader) head() (responseHead, error) {
	line, err := lr.line()
	if err != nil {
		return responseHead{}, fmt.Errorf("read status line: %w", err)
	}
	h := responseHead{length: -1}
	if h.status, h.reason, err = parseStatusLine(line); err != nil {
		return responseHead{}, err
	}
	var lengths, codings []string
	for {
		line, err := lr.line()
		if err != nil {
			return responseHead{}, fmt.Errorf("read header: %w", err)
		}
		if len(line) == 0 {
			break
		}
		name, value, err := parseField(line)
		switch {
		case err != nil:
			return responseHead{}, err
		case strings.EqualFold(name, "Content-Length"):
			lengths = appendList(lengths, value)
		case strings.EqualFold(name, "Transfer-Encoding"):
			codings = appendList(codings, value)
			if len(codings) == 0 {
				return responseHead{}, fmt.Errorf("%w: empty Transfer-Encoding", errUnsupportedCoding)
			}
		case strings.EqualFold(name, "Location"):
			if h.location != "" {
				return responseHead{}, fmt.Errorf("%w: several Location fields", errBadResponse)
			}
			h.location = value
		}
	}
	switch {
	case h.status < 200 || h.status == 204 || h.status == 304:
		h.length = 0
	case codings != nil:
		if len(codings) != 1 || !strings.EqualFold(codings[0], "chunked") {
			return responseHead{}, fmt.Errorf("%w: Transfer-Encoding %q", errUnsupportedCoding, strings.Join(codings, ", "))
		}
		h.chunked = true
	case lengths != nil:
		if h.length, err = parseLength(lengths); err != nil {
			return responseHead{}, err
		}
	}
	return h, nil
}

// parseStatusLine parses "HTTP/1.x NNN reason"; the reason may be absent.
func parseStatusLine(line []byte) (status int, reason string, err error) {
	version, rest, ok := bytes.Cut(line, []byte(" "))
	ok = ok && len(version) == len("HTTP/1.1") && bytes.HasPrefix(version, []byte("HTTP/1.")) && isDigits(version[7:])
	code, text, _ := bytes.Cut(rest, []byte(" "))
	ok = ok && len(code) == 3 && isDigits(code) && code[0] >= '1' && code[0] <= '5' && !bytes.ContainsFunc(text, isCTL)
	if !ok {
		return 0, "", fmt.Errorf("%w: status line %s", errBadResponse, clip(line))
	}
	status, _ = strconv.Atoi(string(code))
	return status, string(text), nil
}

// parseField splits a field line, "name: value", trimming the value's
// surrounding spaces and tabs.
func parseField(line []byte) (name, value string, err error) {
	if line[0] == ' ' || line[0] == '\t' {
		return "", "", fmt.Errorf("%w: obsolete line folding: %s", errBadResponse, clip(line))
	}
	n, v, ok := bytes.Cut(line, []byte(":"))
	v = bytes.Trim(v, " \t")
	if !ok || len(n) == 0 || bytes.ContainsFunc(n, notTokenChar) || bytes.ContainsFunc(v, isCTL) {
		return "", "", fmt.Errorf("%w: field line %s", errBadResponse, clip(line))
	}
	return string(n), string(v), nil
}

// appendList appends the non-empty elements of a comma-separated field
// value to list.
func appendList(list []string, value string) []string {
	if list == nil {
		list = []string{}
	}
	for _, e := range strings.Split(value, ",") {
		if e = strings.Trim(e, " \t"); e != "" {
			list = append(list, e)
		}
	}
	return list
}

// parseLength checks that Content-Length values are all one non-negative
// decimal number, and returns it.
func parseLength(values []string) (int64, error) {
	if len(values) == 0 {
		return 0, fmt.Errorf("%w: empty Content-Length", errBadResponse)
	}
	for _, v := range values {
		if v != values[0] {
			return 0, fmt.Errorf("%w: differing Content-Length values %q and %q", errBadResponse, values[0], v)
		}
	}
	n, err := strconv.ParseInt(values[0], 10, 64)
	if !isDigits([]byte(values[0])) || err != nil {
		return 0, fmt.Errorf("%w: Content-Length %q", errBadResponse, values[0])
	}
	return n, nil
}

// readBody reads the body h frames from r, at most limit bytes of it; a
// longer body is errTooLarge, read no further than limit+1 bytes.
func readBody(r *bufio.Reader, h responseHead, limit int64) ([]byte, error) {
	switch {
	case h.chunked:
		return readChunked(r, limit)
	case h.length > limit:
		return nil, tooLarge(limit)
	case h.length >= 0:
		body := make([]byte, h.length)
		if n, err := io.ReadFull(r, body); err != nil {
			return nil, fmt.Errorf("read body: %d of %d bytes: %w", n, h.length, truncated(err))
		}
		return body, nil
	}
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, tooLarge(limit)
	}
	return body, nil
}

// tooLarge is errTooLarge with the limit.
func tooLarge(limit int64) error {
	return fmt.Errorf("%w (over %d bytes)", errTooLarge, limit)
}

// truncated turns an end of input before the body's end into errTruncated.
func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errTruncated
	}
	return err
}

// lineReader reads the lines of an answer's framing while its byte budget
// lasts.
type lineReader struct {
	r    *bufio.Reader
	left int
}

// line returns the next line without its CRLF (or bare LF, which RFC 9112
// section 2.2 lets a recipient take as a line end).
func (lr *lineReader) line() ([]byte, error) {
	var line []byte
	for {
		frag, err := lr.r.ReadSlice('\n')
		lr.left -= len(frag)
		if lr.left < 0 {
			return nil, fmt.Errorf("%w (over %d bytes)", errHeadTooLarge, maxHeadSize)
		}
		line = append(line, frag...)
		switch {
		case err == nil:
			return bytes.TrimSuffix(line[:len(line)-1], []byte("\r")), nil
		case errors.Is(err, io.EOF):
			return nil, io.ErrUnexpectedEOF
		case !errors.Is(err, bufio.ErrBufferFull):
			return nil, err
		}
	}
}

// isDigits reports whether b is one or more ASCII digits.
func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isCTL reports a control character other than HTAB; the rest (VCHAR,
// SP, HTAB and obs-text) may appear in a field value or a reason phrase.
func isCTL(r rune) bool {
	return r < ' ' && r != '\t' || r == 0x7f
}

// notTokenChar reports a character that cannot be part of a token
// (RFC 9110 section 5.6.2), such as a field name.
func notTokenChar(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

// clip quotes the start of a line for an error message.
func clip(line []byte) string {
	const shown = 64
	if len(line) > shown {
		return strconv.Quote(string(line[:shown])) + "..."
	}
	return strconv.Quote(string(line))
}
