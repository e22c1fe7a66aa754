package provision

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testLimit bounds the bodies TestGet fetches.
const testLimit = 128 << 10

// startTLS starts an HTTPS server on l (nil: 127.0.0.1, port 0) and stops
// it when the test ends.
func startTLS(t *testing.T, l net.Listener, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	if l != nil {
		srv.Listener.Close()
		srv.Listener = l
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// trustingClient returns a client that trusts srv's certificate.
func trustingClient(t *testing.T, srv *httptest.Server) *HTTPSClient {
	t.Helper()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, block, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := NewHTTPClient(caFile)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testHandler serves the paths TestGet asks for.
func testHandler(plainURL string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s %s|host=%s|ua=%s|accept=%s|close=%v|accept-encoding=%q",
			r.Method, r.RequestURI, r.Proto, r.Host, r.UserAgent(), r.Header.Get("Accept"), r.Close, r.Header.Get("Accept-Encoding"))
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		for i := range 100 {
			fmt.Fprintf(w, "%04d%s\n", i, strings.Repeat("-", 995))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, testLimit+1))
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusGone)
	})
	mux.Handle("/dir/relative", http.RedirectHandler("../echo", http.StatusMovedPermanently))
	mux.HandleFunc("/absolute", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://"+r.Host+"/echo?from=absolute", http.StatusTemporaryRedirect)
	})
	mux.Handle("/plain", http.RedirectHandler(plainURL+"/echo", http.StatusFound))
	// /hop/N redirects to /hop/N-1 with each redirect status in turn;
	// /hop/0 is /echo.
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			http.Redirect(w, r, "/echo", http.StatusSeeOther)
			return
		}
		codes := []int{301, 302, 303, 307, 308}
		http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), codes[n%len(codes)])
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	return mux
}

func TestGet(t *testing.T) {
	plain := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(plain.Close)
	srv := startTLS(t, nil, testHandler(plain.URL))
	c := trustingClient(t, srv)
	host := strings.TrimPrefix(srv.URL, "https://")
	echo := func(uri string) string {
		return "GET " + uri + " HTTP/1.1|host=" + host + "|ua=handset/test|accept=*/*|close=true|accept-encoding=\"\""
	}
	chunked := ""
	for i := range 100 {
		chunked += fmt.Sprintf("%04d%s\n", i, strings.Repeat("-", 995))
	}
	tests := []struct {
		name    string
		path    string
		status  int
		reason  string
		body    string
		final   string // the path that answered; "": path
		err     error
		errText string
	}{
		{name: "good fetch", path: "/echo?a=b%20c", status: 200, reason: "OK", body: echo("/echo?a=b%20c")},
		{name: "chunked body", path: "/chunked", status: 200, reason: "OK", body: chunked},
		{name: "404", path: "/missing.toml", status: 404, reason: "Not Found"},
		{name: "410", path: "/gone", status: 410, reason: "Gone"},
		{name: "relative redirect", path: "/dir/relative", status: 200, reason: "OK", body: echo("/echo"), final: "/echo"},
		{name: "absolute redirect", path: "/absolute", status: 200, reason: "OK", body: echo("/echo?from=absolute"), final: "/echo?from=absolute"},
		{name: "five redirects of each kind", path: "/hop/4", status: 200, reason: "OK", body: echo("/echo"), final: "/echo"},
		{name: "six redirects", path: "/hop/5", err: errTooManyRedirects},
		{name: "redirect loop", path: "/loop", err: errTooManyRedirects},
		{name: "redirect to http", path: "/plain", err: errNotHTTPS, errText: "redirected to " + plain.URL + "/echo: only https://"},
		{name: "body over the limit", path: "/big", err: errTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Get(context.Background(), srv.URL+tt.path, "handset/test", testLimit)
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("err = %v, want %v with %q", err, tt.err, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			final := tt.final
			if final == "" {
				final = tt.path
			}
			if resp.Status != tt.status || resp.Reason != tt.reason || string(resp.Body) != tt.body || resp.URL.String() != srv.URL+final {
				t.Errorf("got %d %q from %s, body %q\nwant %d %q from %s, body %q", resp.Status, resp.Reason, resp.URL, resp.Body, tt.status, tt.reason, srv.URL+final, tt.body)
			}
		})
	}
}

func TestGetIPv6(t *testing.T) {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	srv := startTLS(t, l, testHandler(""))
	if !strings.HasPrefix(srv.URL, "https://[::1]:") {
		t.Fatalf("server at %s", srv.URL)
	}
	resp, err := trustingClient(t, srv).Get(context.Background(), srv.URL+"/echo", "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	want := "GET /echo HTTP/1.1|host=" + strings.TrimPrefix(srv.URL, "https://") + "|ua=|accept=*/*|close=true|accept-encoding=\"\""
	if resp.Status != 200 || string(resp.Body) != want {
		t.Errorf("got %d %q, want 200 %q", resp.Status, resp.Body, want)
	}
}

func TestGetRefusesBadCertificates(t *testing.T) {
	srv := startTLS(t, nil, testHandler(""))
	untrusting, err := NewHTTPClient("")
	if err != nil {
		t.Fatal(err)
	}
	var unknown x509.UnknownAuthorityError
	if _, err := untrusting.Get(context.Background(), srv.URL+"/echo", "", 1000); !errors.As(err, &unknown) {
		t.Errorf("Get from an untrusted server: %v, want an unknown authority", err)
	}

	// The certificate is for 127.0.0.1, ::1 and example.com only.
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	var wrongName x509.HostnameError
	_, err = trustingClient(t, srv).Get(context.Background(), "https://localhost:"+port+"/echo", "", 1000)
	var dialErr *net.OpError
	switch {
	case errors.As(err, &dialErr) && dialErr.Op == "dial":
		t.Skipf("localhost does not reach 127.0.0.1: %v", err)
	case !errors.As(err, &wrongName):
		t.Errorf("Get from localhost: %v, want a host name error", err)
	}
}

func TestGetRefusesBadInput(t *testing.T) {
	c, err := NewHTTPClient("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url, userAgent string
		err            error
	}{
		{url: "http://127.0.0.1:1/handset.toml", err: errNotHTTPS},
		{url: "ftp://127.0.0.1:1/handset.toml", err: errNotHTTPS},
		{url: "127.0.0.1/handset.toml", err: errNotHTTPS},
		{url: "https:///handset.toml", err: errBadURL},
		{url: "https://[::1/handset.toml", err: errBadURL},
		{url: "https://host\n/handset.toml", err: errBadURL},
		{url: "https://127.0.0.1:1/", userAgent: "handset\r\nX-Evil: 1"},
	}
	for i, tt := range tests {
		_, err := c.Get(context.Background(), tt.url, tt.userAgent, 1000)
		if err == nil || tt.err != nil && !errors.Is(err, tt.err) {
			t.Errorf("#%d: Get(%q, %q) = %v, want %v", i, tt.url, tt.userAgent, err, tt.err)
		}
	}
}

func TestNewHTTPClientCAFile(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{filepath.Join(dir, "missing.pem"), notPEM} {
		if c, err := NewHTTPClient(name); err == nil || c != nil {
			t.Errorf("NewHTTPClient(%s) = %v, %v; want an error", name, c, err)
		}
	}
}

// silentTCP accepts connections and never answers; it reports each one
// on accepted and, when the client closed it, on closed.
func silentTCP(t *testing.T) (url string, accepted, closed <-chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	acc, cl := make(chan struct{}, 1), make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := l.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		acc <- struct{}{}
		io.Copy(io.Discard, conn) // the client hello, then until the client closes
		cl <- struct{}{}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
	})
	return "https://" + l.Addr().String() + "/handset.toml", acc, cl
}

// silentHTTPS takes requests and never answers them; it reports each one
// on accepted and, when the client closed its connection, on closed.
func silentHTTPS(t *testing.T) (srv *httptest.Server, accepted, closed <-chan struct{}) {
	t.Helper()
	acc, cl := make(chan struct{}, 1), make(chan struct{}, 1)
	stop := make(chan struct{})
	srv = startTLS(t, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acc <- struct{}{}
		select {
		case <-r.Context().Done(): // the client went away
			cl <- struct{}{}
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop) }) // before srv.Close, which waits for the handler
	return srv, acc, cl
}

func TestGetAbandonsSilentServer(t *testing.T) {
	const patience = 10 * time.Second
	tests := []struct {
		name      string
		handshake bool // the server is silent from the start, not after the request
		timeout   bool // the client's time limit ends the wait, not its context
	}{
		{name: "no handshake, cancelled", handshake: true},
		{name: "no handshake, timed out", handshake: true, timeout: true},
		{name: "no answer, cancelled"},
		{name: "no answer, timed out", timeout: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				url              string
				accepted, closed <-chan struct{}
				c                *HTTPSClient
			)
			if tt.handshake {
				url, accepted, closed = silentTCP(t)
				var err error
				if c, err = NewHTTPClient(""); err != nil {
					t.Fatal(err)
				}
			} else {
				var srv *httptest.Server
				srv, accepted, closed = silentHTTPS(t)
				url = srv.URL + "/handset.toml"
				c = trustingClient(t, srv)
			}
			c.timeout = time.Minute
			if tt.timeout {
				c.timeout = 500 * time.Millisecond
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			result := make(chan error, 1)
			go func() {
				_, err := c.Get(ctx, url, "", 1000)
				result <- err
			}()
			want := errTimedOut
			if !tt.timeout {
				select {
				case <-accepted:
				case <-time.After(patience):
					t.Fatal("the server got no connection or request")
				}
				cancel()
				want = context.Canceled
			}
			select {
			case err := <-result:
				if !errors.Is(err, want) {
					t.Errorf("Get = %v, want %v", err, want)
				}
			case <-time.After(patience):
				t.Fatal("Get did not give up")
			}
			if tt.timeout {
				// On a very busy machine the time may run out before the
				// server saw the connection or the request; then there is
				// nothing to see closed.
				select {
				case <-accepted:
				default:
					t.Log("the time ran out before the server saw the client")
					return
				}
			}
			select {
			case <-closed:
			case <-time.After(patience):
				t.Fatal("Get left its connection open")
			}
		})
	}
}
