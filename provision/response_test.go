package provision

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// endless is a server that never stops sending.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

type responseCase struct {
	name    string
	in      string
	endless bool  // endless bytes follow in
	limit   int64 // 0: 100
	status  int
	reason  string
	loc     string
	body    string
	err     error
}

const chunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"

func responseCases() []responseCase {
	big := strings.Repeat("x", maxHeadSize)
	interim := "HTTP/1.1 103 Early Hints\r\nLink: </" + strings.Repeat("s", 1000) + ">\r\n\r\n"
	return []responseCase{
		// Good answers.
		{name: "content-length", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", status: 200, reason: "OK", body: "hello"},
		{name: "content-length with junk after", in: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokay", status: 200, reason: "OK", body: "ok"},
		{name: "repeated equal content-length", in: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2, 2\r\n\r\nok", status: 200, reason: "OK", body: "ok"},
		{name: "chunked with extensions and trailers", in: chunkedHead + "5;name=value\r\nhello\r\n6 ; x ; y=\"q\"\r\n world\r\n0;last\r\nExpires: never\r\nX-Sum: 1\r\n\r\n", status: 200, reason: "OK", body: "hello world"},
		{name: "chunked, upper-case coding and hex", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n000\r\n\r\n", status: 200, reason: "OK", body: "0123456789"},
		{name: "chunked wins over content-length", in: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", status: 200, reason: "OK", body: "ok"},
		{name: "close-delimited", in: "HTTP/1.0 200 OK\r\nServer: x\r\n\r\nall of\r\nit", status: 200, reason: "OK", body: "all of\r\nit"},
		{name: "interim answers skipped", in: "HTTP/1.1 100 Continue\r\n\r\n" + interim + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", status: 200, reason: "OK", body: "ok"},
		{name: "bare LF line ends", in: "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", status: 200, reason: "OK", body: "ok"},
		{name: "no reason", in: "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", status: 200, body: "ok"},
		{name: "reason with spaces and obs-text", in: "HTTP/1.1 200 All\tis \xe9 well\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "All\tis \xe9 well"},
		{name: "204 has no body", in: "HTTP/1.1 204 No Content\r\n\r\nignored", endless: true, status: 204, reason: "No Content"},
		{name: "body of a 404 not read", in: "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n", endless: true, status: 404, reason: "Not Found"},
		{name: "redirect", in: "HTTP/1.1 302 Found\r\nLocation:  /next?a=b \r\n\r\n", status: 302, reason: "Found", loc: "/next?a=b"},
		{name: "body at the limit", in: "HTTP/1.1 200 OK\r\n\r\n" + strings.Repeat("b", 100), status: 200, reason: "OK", body: strings.Repeat("b", 100)},
		{name: "chunked body at the limit", in: chunkedHead + "32\r\n" + strings.Repeat("c", 50) + "\r\n32\r\n" + strings.Repeat("c", 50) + "\r\n0\r\n\r\n", status: 200, reason: "OK", body: strings.Repeat("c", 100)},

		// Bad status lines.
		{name: "no answer", in: "", err: io.ErrUnexpectedEOF},
		{name: "HTTP/2 status line", in: "HTTP/2 200 OK\r\n\r\n", err: errBadResponse},
		{name: "two-digit status", in: "HTTP/1.1 20 OK\r\n\r\n", err: errBadResponse},
		{name: "status 600", in: "HTTP/1.1 600 Odd\r\n\r\n", err: errBadResponse},
		{name: "no status", in: "HTTP/1.1 OK\r\n\r\n", err: errBadResponse},
		{name: "not HTTP", in: "ICY 200 OK\r\n\r\n", err: errBadResponse},
		{name: "double space", in: "HTTP/1.1  200 OK\r\n\r\n", err: errBadResponse},
		{name: "control character in reason", in: "HTTP/1.1 200 O\x00K\r\n\r\n", err: errBadResponse},
		{name: "unasked 101", in: "HTTP/1.1 101 Switching Protocols\r\n\r\n", err: errBadResponse},

		// Bad header fields.
		{name: "header cut off", in: "HTTP/1.1 200 OK\r\nContent-Len", err: io.ErrUnexpectedEOF},
		{name: "obsolete line folding", in: "HTTP/1.1 200 OK\r\nX-A: 1\r\n  more\r\n\r\n", err: errBadResponse},
		{name: "space before the first field", in: "HTTP/1.1 200 OK\r\n X-A: 1\r\n\r\n", err: errBadResponse},
		{name: "space before the colon", in: "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok", err: errBadResponse},
		{name: "no colon", in: "HTTP/1.1 200 OK\r\nContent-Length 2\r\n\r\nok", err: errBadResponse},
		{name: "control character in a value", in: "HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n", err: errBadResponse},
		{name: "two locations", in: "HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\n\r\n", err: errBadResponse},
		{name: "over-long header", in: "HTTP/1.1 200 OK\r\nX-Big: " + big + "\r\n\r\n", err: errHeadTooLarge},
		{name: "endless header line", in: "HTTP/1.1 200 OK\r\nX-Big: ", endless: true, err: errHeadTooLarge},
		{name: "too many interim answers", in: strings.Repeat(interim, maxHeadSize/len(interim)+1), err: errHeadTooLarge},

		// Bad framing.
		{name: "differing content-lengths", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", err: errBadResponse},
		{name: "differing content-lengths in one field", in: "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!", err: errBadResponse},
		{name: "negative content-length", in: "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n", err: errBadResponse},
		{name: "signed content-length", in: "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello", err: errBadResponse},
		{name: "empty content-length", in: "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", err: errBadResponse},
		{name: "content-length overflows", in: "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", err: errBadResponse},
		{name: "gzip", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", err: errUnsupportedCoding},
		{name: "gzip then chunked", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", err: errUnsupportedCoding},
		{name: "chunked twice", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", err: errUnsupportedCoding},
		{name: "empty transfer-encoding", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n", err: errUnsupportedCoding},
		{name: "bad chunk size", in: chunkedHead + "zz\r\nhello\r\n0\r\n\r\n", err: errBadResponse},
		{name: "empty chunk size", in: chunkedHead + "\r\nhello\r\n0\r\n\r\n", err: errBadResponse},
		{name: "0x chunk size", in: chunkedHead + "0x5\r\nhello\r\n0\r\n\r\n", err: errBadResponse},
		{name: "chunk size overflows", in: chunkedHead + "fffffffffffffffff\r\n", err: errBadResponse},
		{name: "chunk not followed by CRLF", in: chunkedHead + "5\r\nhelloXX\r\n0\r\n\r\n", err: errBadResponse},
		{name: "bad trailer", in: chunkedHead + "0\r\n folded\r\n\r\n", err: errBadResponse},
		{name: "endless chunk extension", in: chunkedHead + "5;", endless: true, err: errHeadTooLarge},

		// Bodies cut short.
		{name: "truncated content-length body", in: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", err: errTruncated},
		{name: "truncated chunk", in: chunkedHead + "5\r\nhel", err: errTruncated},
		{name: "no last chunk", in: chunkedHead + "5\r\nhello\r\n", err: errTruncated},
		{name: "no end of trailers", in: chunkedHead + "0\r\nX-A: 1\r\n", err: errTruncated},

		// Bodies over the limit.
		{name: "content-length over the limit", in: "HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", endless: true, err: errTooLarge},
		{name: "close-delimited over the limit", in: "HTTP/1.1 200 OK\r\n\r\n", endless: true, err: errTooLarge},
		{name: "one chunk over the limit", in: chunkedHead + "65\r\n", endless: true, err: errTooLarge},
		{name: "chunks over the limit", in: chunkedHead + "32\r\n" + strings.Repeat("c", 50) + "\r\n33\r\n", endless: true, err: errTooLarge},
		{name: "small limit", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", limit: 4, err: errTooLarge},
	}
}

func TestReadResponse(t *testing.T) {
	for _, tt := range responseCases() {
		t.Run(tt.name, func(t *testing.T) {
			var in io.Reader = strings.NewReader(tt.in)
			if tt.endless {
				in = io.MultiReader(in, endless{})
			}
			limit := tt.limit
			if limit == 0 {
				limit = 100
			}
			h, body, err := readResponse(bufio.NewReader(in), limit)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.status != tt.status || h.reason != tt.reason || h.location != tt.loc || string(body) != tt.body {
				t.Errorf("got %d %q, location %q, body %q; want %d %q, location %q, body %q", h.status, h.reason, h.location, body, tt.status, tt.reason, tt.loc, tt.body)
			}
		})
	}
}

func FuzzReadResponse(f *testing.F) {
	for _, tt := range responseCases() {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		const limit = 64
		h, body, err := readResponse(bufio.NewReaderSize(strings.NewReader(string(in)), 16), limit)
		switch {
		case err != nil:
			return
		case h.status < 200 || h.status > 599 || h.status == 101:
			t.Errorf("final status %d", h.status)
		case len(body) > limit:
			t.Errorf("body of %d bytes over the limit %d", len(body), limit)
		case h.status/100 != 2 && body != nil:
			t.Errorf("body read for status %d", h.status)
		}
	})
}
