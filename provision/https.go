package provision

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

const (
	// requestTimeout bounds one Get, redirects included, from connecting
	// to the last byte.
	requestTimeout = 30 * time.Second
	// maxRedirects is how many redirects one Get follows.
	maxRedirects = 5
)

// HTTPSClient fetches files with HTTP/1.1 GET over TLS, one connection per
// request, closed after it. It does what provisioning needs and no more,
// so that the phone's binary does without net/http's client.
type HTTPSClient struct {
	tls     *tls.Config
	timeout time.Duration // bounds one Get; requestTimeout but in tests
}

// Response is a server's final answer to a Get.
type Response struct {
	// Status is the status code, such as 200, and Reason the text the
	// server put after it, such as "OK".
	Status int
	Reason string
	// Body is the body of a 2xx answer; other answers' bodies are not read.
	Body []byte
	// URL is the address that answered, after any redirects.
	URL *url.URL
}

// NewHTTPClient returns the HTTPS client for provisioning: it trusts the
// system's CA certificates and, when caFile is not "", the PEM certificates
// in caFile too; it speaks TLS 1.2 or later, follows at most 5 redirects and
// only to https:// addresses, and gives up on a request after 30 seconds.
func NewHTTPClient(caFile string) (*HTTPSClient, error) {
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("provisioning ca_file: %w", err)
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("provisioning ca_file %s: no PEM certificate in it", caFile)
		}
	}
	return &HTTPSClient{
		tls:     &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		timeout: requestTimeout,
	}, nil
}

// Get fetches rawURL, an https:// address, sending userAgent unless it is
// "". It follows up to 5 redirects (301, 302, 303, 307, 308; a Location
// relative to the address that sent it is fine), each to an https://
// address only; a redirect without a Location is the final answer. The
// body of a 2xx answer may be at most limit bytes, else the error is
// errTooLarge. The server's certificate must be valid for the address's
// host. Get gives up, and closes its connection, when ctx ends or 30
// seconds after it started.
func (c *HTTPSClient) Get(ctx context.Context, rawURL, userAgent string, limit int64) (*Response, error) {
	if strings.ContainsFunc(userAgent, isCTL) {
		return nil, fmt.Errorf("user agent %q: control character", userAgent)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBadURL, err)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, c.timeout, fmt.Errorf("%w (%v)", errTimedOut, c.timeout))
	defer cancel()
	for redirects := 0; ; redirects++ {
		h, body, err := c.get(ctx, u, userAgent, limit)
		switch {
		case err != nil && redirects > 0:
			return nil, fmt.Errorf("redirected to %s: %w", u.Redacted(), err)
		case err != nil:
			return nil, err
		case !isRedirect(h.status) || h.location == "":
			return &Response{Status: h.status, Reason: h.reason, Body: body, URL: u}, nil
		case redirects == maxRedirects:
			return nil, fmt.Errorf("%w: stopped after %d", errTooManyRedirects, maxRedirects)
		}
		if u, err = u.Parse(h.location); err != nil {
			return nil, fmt.Errorf("redirect: %w: %w", errBadURL, err)
		}
	}
}

// isRedirect reports the status codes whose Location Get follows.
func isRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// get makes one request on a connection of its own. It returns the
// answer's head and, for a 2xx answer, its body.
func (c *HTTPSClient) get(ctx context.Context, u *url.URL, userAgent string, limit int64) (responseHead, []byte, error) {
	if u.Scheme != "https" {
		return responseHead{}, nil, fmt.Errorf("%w (got %s://)", errNotHTTPS, u.Scheme)
	}
	host, port := u.Hostname(), u.Port()
	if host == "" {
		return responseHead{}, nil, fmt.Errorf("%w: no host in %s", errBadURL, u.Redacted())
	}
	if port == "" {
		port = "443"
	}
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return responseHead{}, nil, failure(ctx, err)
	}
	// Closing the connection when ctx ends stops whichever step waits on
	// it: the handshake, the request, or the answer.
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()
	cfg := c.tls.Clone()
	cfg.ServerName = host
	conn := tls.Client(raw, cfg)
	defer conn.Close()
	if err := conn.HandshakeContext(ctx); err != nil {
		return responseHead{}, nil, failure(ctx, err)
	}
	h, body, err := exchange(conn, u, userAgent, limit)
	if err != nil {
		return responseHead{}, nil, failure(ctx, err)
	}
	return h, body, nil
}

// exchange sends the request for u on conn and reads the answer.
func exchange(conn io.ReadWriter, u *url.URL, userAgent string, limit int64) (responseHead, []byte, error) {
	var req strings.Builder
	req.WriteString("GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\n")
	if userAgent != "" {
		req.WriteString("User-Agent: " + userAgent + "\r\n")
	}
	req.WriteString("Accept: */*\r\nConnection: close\r\n\r\n")
	if _, err := io.WriteString(conn, req.String()); err != nil {
		return responseHead{}, nil, fmt.Errorf("send request: %w", err)
	}
	return readResponse(bufio.NewReader(conn), limit)
}

// failure returns why ctx ended, when it has, rather than the error that
// followed from it (such as a closed connection).
func failure(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	return err
}
