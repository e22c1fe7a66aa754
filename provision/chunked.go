package provision

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// readChunked reads a chunked body (RFC 9112 section 7.1) of at most limit
// bytes; a longer one is errTooLarge, and no chunk is read past the limit.
// Chunk extensions and trailer fields are checked for syntax and ignored.
//
//	chunked-body = *chunk last-chunk trailer-section CRLF
//	chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//	last-chunk   = 1*("0") [ chunk-ext ] CRLF
func readChunked(r *bufio.Reader, limit int64) ([]byte, error) {
	lr := &lineReader{r: r}
	var body []byte
	for {
		lr.left = maxHeadSize
		line, err := lr.line()
		if err != nil {
			return nil, fmt.Errorf("read chunk size: %w", truncated(err))
		}
		size, err := parseChunkSize(line)
		switch {
		case err != nil:
			return nil, err
		case size == 0:
			return body, readTrailers(lr)
		case size > limit-int64(len(body)):
			return nil, tooLarge(limit)
		}
		n := len(body)
		body = append(body, make([]byte, size)...)
		if _, err := io.ReadFull(r, body[n:]); err != nil {
			return nil, fmt.Errorf("read chunk: %w", truncated(err))
		}
		line, err = lr.line()
		switch {
		case err != nil:
			return nil, fmt.Errorf("read chunk end: %w", truncated(err))
		case len(line) != 0:
			return nil, fmt.Errorf("%w: chunk data not followed by CRLF", errBadResponse)
		}
	}
}

// parseChunkSize parses "chunk-size [ chunk-ext ]": hexadecimal digits,
// then any extensions, which are only checked for control characters.
func parseChunkSize(line []byte) (int64, error) {
	hex, ext, _ := bytes.Cut(line, []byte(";"))
	hex = bytes.TrimRight(hex, " \t")
	n, err := strconv.ParseInt(string(hex), 16, 64)
	if len(hex) == 0 || bytes.ContainsFunc(hex, notHexDigit) || err != nil || bytes.ContainsFunc(ext, isCTL) {
		return 0, fmt.Errorf("%w: chunk size line %s", errBadResponse, clip(line))
	}
	return n, nil
}

// readTrailers reads the trailer section up to its empty line.
func readTrailers(lr *lineReader) error {
	for {
		line, err := lr.line()
		if err != nil {
			return fmt.Errorf("read trailer: %w", truncated(err))
		}
		if len(line) == 0 {
			return nil
		}
		if _, _, err := parseField(line); err != nil {
			return err
		}
	}
}

// notHexDigit reports a character that is not a hexadecimal digit.
func notHexDigit(r rune) bool {
	return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F')
}
