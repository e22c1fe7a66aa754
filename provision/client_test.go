package provision

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"handset/config"
	"handset/hal/haltest"
)

const testMAC = "b827eb000001"

// fakeServer is a provisioning server on loopback with a self-signed
// certificate, serving the files in its map under /phones/.
type fakeServer struct {
	srv    *httptest.Server
	caFile string // the server's certificate, as a PEM file

	mu     sync.Mutex
	files  map[string]string // name → content; a missing name is a 404
	status int               // when not 0, every request gets it
	hits   int
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	s := &fakeServer{files: make(map[string]string)}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	s.srv.StartTLS()
	t.Cleanup(s.srv.Close)
	s.caFile = filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
	if err := os.WriteFile(s.caFile, block, 0o644); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	if s.status != 0 {
		w.WriteHeader(s.status)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, "/phones/")
	content, found := s.files[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	fmt.Fprint(w, content)
}

// set serves content as name; "" stops serving it.
func (s *fakeServer) set(name, content string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if content == "" {
		delete(s.files, name)
		return
	}
	s.files[name] = content
}

func (s *fakeServer) fail(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

func (s *fakeServer) hitCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

// url is the provisioning URL of the server.
func (s *fakeServer) url() string { return s.srv.URL + "/phones/" }

// syncBuffer is a log destination safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testPhone is a phone's files and a Client for them.
type testPhone struct {
	files  Files
	dhcp   string
	log    *syncBuffer
	clock  *haltest.Clock
	client *Client
}

// newTestPhone makes a phone whose SD card holds local ("" for no file)
// and whose client trusts the server's certificate when trust is set.
func newTestPhone(t *testing.T, s *fakeServer, local string, trust bool) *testPhone {
	t.Helper()
	dir := t.TempDir()
	p := &testPhone{
		files: Files{Local: filepath.Join(dir, "boot", "handset.toml"), Cache: filepath.Join(dir, "data", "provisioning"), MAC: testMAC},
		dhcp:  filepath.Join(dir, "run", "dhcp-opt66"),
		log:   &syncBuffer{},
		clock: haltest.NewClock(time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)),
	}
	if local != "" {
		writeFile(t, p.files.Local, local)
	}
	caFile := ""
	if trust {
		caFile = s.caFile
	}
	hc, err := NewHTTPClient(caFile)
	if err != nil {
		t.Fatal(err)
	}
	p.client = New(Options{
		Files:    p.files,
		DHCPFile: p.dhcp,
		Log:      slog.New(slog.NewTextHandler(p.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Clock:    p.clock,
		HTTP:     hc,
	})
	return p
}

// cached returns the cached copy of a server file, or "" when there is none.
func (p *testPhone) cached(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(p.files.Cache, name))
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// load returns the phone's layered configuration, which must be valid.
func (p *testPhone) load(t *testing.T) config.Config {
	t.Helper()
	c, err := p.files.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

const (
	goodCommon = `version = 1
[account]
domain = "pbx.example.com"
expiry = 600
[media]
jitter_ms = 80
[tones]
country = "de"
`
	goodMAC = `version = 1
[account]
user = "1001"
password = "from-the-server"
expiry = 900
[media]
jitter_ms = 100
`
)

// localFile is an SD-card file pointing at the server, with more
// sections before [provisioning] and more provisioning keys.
func localFile(s *fakeServer, sections, provisioning string) string {
	return "version = 1\n" + sections + "[provisioning]\nurl = \"" + s.url() + "\"\n" + provisioning
}

func TestSyncAppliesLayeredFiles(t *testing.T) {
	s := newFakeServer(t)
	s.set("handset.toml", goodCommon)
	s.set(testMAC+".toml", goodMAC)
	p := newTestPhone(t, s, localFile(s, "[account]\npassword = \"from-the-card\"\nexpiry = 1200\n", ""), true)

	changed, err := p.client.Sync(context.Background())
	if err != nil || !changed {
		t.Fatalf("Sync = %v, %v; want a change\n%s", changed, err, p.log)
	}
	if p.cached(t, "handset.toml") != goodCommon || p.cached(t, testMAC+".toml") != goodMAC {
		t.Errorf("cache does not hold the server's files")
	}
	for _, name := range []string{"handset.toml", testMAC + ".toml"} {
		if fi, err := os.Stat(filepath.Join(p.files.Cache, name)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want 0600", name, err, fi.Mode().Perm())
		}
	}
	c := p.load(t)
	a := c.Account
	switch {
	case a.Domain != "pbx.example.com" || c.Tones.Country != config.CountryDE:
		t.Errorf("keys only the common file sets: domain %q, country %q", a.Domain, c.Tones.Country)
	case a.User != "1001" || c.Media.Jitter != 100*time.Millisecond:
		t.Errorf("the per-MAC file does not win over the common file: user %q, jitter %v", a.User, c.Media.Jitter)
	case string(a.Password) != "from-the-card" || a.Expiry != 1200*time.Second:
		t.Errorf("the SD card's file does not win over both: password %s, expiry %v", a.Password, a.Expiry)
	}
	if strings.Contains(p.log.String(), "from-the-") {
		t.Errorf("the log shows a password:\n%s", p.log)
	}

	changed, err = p.client.Sync(context.Background())
	if err != nil || changed {
		t.Errorf("second Sync = %v, %v; want no change", changed, err)
	}
}

func TestSyncRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name, common, mac string
		want              string // in the log and the error
	}{
		{"unknown key", goodCommon, "version = 1\n[account]\nuser = \"1001\"\nexipry = 60\n", "/phones/" + testMAC + ".toml:4: account.exipry: unknown key"},
		{"syntax error", "version = 1\n[account\n", goodMAC, "/phones/handset.toml:2: account: expected"},
		{"out of range", goodCommon, "version = 1\n[account]\nuser = \"1001\"\n[media]\njitter_ms = 5000\n", "/phones/" + testMAC + ".toml:5: media.jitter_ms: must be between 20 and 500"},
		{"no version", "[account]\ndomain = \"pbx.example.com\"\n", goodMAC, "/phones/handset.toml: version: missing"},
		{"a rule between keys", "version = 1\n[account]\ndomain = \"other.example.com\"\n", "version = 1\n[account]\nuser = \"\"\n", "/phones/handset.toml:3: account.user: required when account.domain is set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeServer(t)
			s.set("handset.toml", goodCommon)
			s.set(testMAC+".toml", goodMAC)
			p := newTestPhone(t, s, localFile(s, "", ""), true)
			if _, err := p.client.Sync(context.Background()); err != nil {
				t.Fatalf("first Sync: %v", err)
			}
			before := p.load(t)

			s.set("handset.toml", tt.common)
			s.set(testMAC+".toml", tt.mac)
			changed, err := p.client.Sync(context.Background())
			if !errors.Is(err, ErrRejected) || changed {
				t.Fatalf("Sync = %v, %v; want ErrRejected", changed, err)
			}
			if !strings.Contains(p.log.String(), tt.want) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nlog:\n%s\nwant %q in both", err, p.log, tt.want)
			}
			if p.cached(t, "handset.toml") != goodCommon || p.cached(t, testMAC+".toml") != goodMAC {
				t.Errorf("the cache lost the last good files")
			}
			if after := p.load(t); after.Account.Domain != before.Account.Domain || after.Account.User != before.Account.User {
				t.Errorf("configuration changed after a refused fetch")
			}
		})
	}
}

func TestSyncServerDownKeepsLastGood(t *testing.T) {
	s := newFakeServer(t)
	s.set("handset.toml", goodCommon)
	s.set(testMAC+".toml", goodMAC)
	p := newTestPhone(t, s, localFile(s, "", ""), true)
	if _, err := p.client.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}

	s.fail(http.StatusServiceUnavailable)
	if changed, err := p.client.Sync(context.Background()); err == nil || changed || errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "503") {
		t.Errorf("Sync against a 503 = %v, %v", changed, err)
	}
	s.srv.Close()
	if changed, err := p.client.Sync(context.Background()); err == nil || changed {
		t.Errorf("Sync against a stopped server = %v, %v", changed, err)
	}
	if c := p.load(t); c.Account.User != "1001" || c.Account.Domain != "pbx.example.com" {
		t.Errorf("after the server went down: account %+v, want the last good one", c.Account)
	}
}

func TestSyncUntrustedCertificate(t *testing.T) {
	s := newFakeServer(t)
	s.set("handset.toml", goodCommon)
	s.set(testMAC+".toml", goodMAC)
	p := newTestPhone(t, s, localFile(s, "", ""), false)
	changed, err := p.client.Sync(context.Background())
	if err == nil || changed || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("Sync with an untrusted certificate = %v, %v", changed, err)
	}
	if p.cached(t, "handset.toml") != "" || p.cached(t, testMAC+".toml") != "" {
		t.Errorf("files from an untrusted server were stored")
	}
}

func TestSyncFilesComeAndGo(t *testing.T) {
	s := newFakeServer(t)
	s.set("handset.toml", "version = 1\n[tones]\ncountry = \"uk\"\n")
	p := newTestPhone(t, s, localFile(s, "", ""), true)
	step := func(name string, wantChanged bool, wantErr error, common, mac string) {
		t.Helper()
		changed, err := p.client.Sync(context.Background())
		if changed != wantChanged || !errors.Is(err, wantErr) {
			t.Errorf("%s: Sync = %v, %v; want %v, %v", name, changed, err, wantChanged, wantErr)
		}
		if got := p.cached(t, "handset.toml"); got != common {
			t.Errorf("%s: cached handset.toml = %q, want %q", name, got, common)
		}
		if got := p.cached(t, testMAC+".toml"); got != mac {
			t.Errorf("%s: cached %s.toml = %q, want %q", name, testMAC, got, mac)
		}
	}
	common := "version = 1\n[tones]\ncountry = \"uk\"\n"
	step("only the common file", true, nil, common, "")
	s.set(testMAC+".toml", goodMAC)
	step("the phone's own file appears", true, nil, common, goodMAC)
	s.set(testMAC+".toml", "")
	step("the phone's own file goes", true, nil, common, "")
	s.set("handset.toml", "")
	step("the server has nothing", false, ErrNotFound, common, "")
}

func TestSyncLocalProblemsDoNotBlockServerFiles(t *testing.T) {
	s := newFakeServer(t)
	s.set("handset.toml", goodCommon)
	s.set(testMAC+".toml", goodMAC)
	// The card's file is broken, so its url is not used: DHCP names the
	// server instead.
	p := newTestPhone(t, s, localFile(s, "[account]\nexipry = 5\n", ""), true)
	writeFile(t, p.dhcp, strings.TrimPrefix(s.url(), "https://")+"\n")
	changed, err := p.client.Sync(context.Background())
	if err != nil || !changed {
		t.Fatalf("Sync = %v, %v; want the server's files stored\n%s", changed, err, p.log)
	}
	if !strings.Contains(p.log.String(), "the SD card's file has problems") {
		t.Errorf("log does not mention the card's problems:\n%s", p.log)
	}
	if _, err := p.files.Load(); err == nil {
		t.Errorf("Load succeeded with a broken card file")
	}
}

func TestSyncServerFromDHCP(t *testing.T) {
	s := newFakeServer(t)
	s.set("handset.toml", goodCommon)
	s.set(testMAC+".toml", goodMAC)
	p := newTestPhone(t, s, "", true) // no file on the card at all

	if _, err := p.client.Sync(context.Background()); !errors.Is(err, ErrNoServer) {
		t.Errorf("Sync before DHCP = %v, want ErrNoServer", err)
	}
	writeFile(t, p.dhcp, strings.TrimPrefix(s.url(), "https://"))
	if changed, err := p.client.Sync(context.Background()); err != nil || !changed {
		t.Fatalf("Sync over DHCP option 66 = %v, %v\n%s", changed, err, p.log)
	}
	if c := p.load(t); c.Account.User != "1001" {
		t.Errorf("user %q from the server", c.Account.User)
	}

	// The server's own files may turn DHCP off; then only a url works.
	s.set("handset.toml", goodCommon+"[provisioning]\ndhcp = false\n")
	if _, err := p.client.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.client.Sync(context.Background()); !errors.Is(err, ErrNoServer) {
		t.Errorf("Sync with dhcp = false and no url = %v, want ErrNoServer", err)
	}
}

func TestSyncRefusesRedirectToHTTP(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, goodCommon)
	}))
	t.Cleanup(plain.Close)
	s := newFakeServer(t)
	redirect := httptest.NewTLSServer(http.RedirectHandler(plain.URL+"/phones/handset.toml", http.StatusFound))
	t.Cleanup(redirect.Close)
	s.srv = redirect // trust its certificate: httptest servers share one
	p := newTestPhone(t, s, "version = 1\n[provisioning]\nurl = \""+redirect.URL+"/\"\n", true)
	changed, err := p.client.Sync(context.Background())
	if err == nil || changed || !strings.Contains(err.Error(), "only https://") {
		t.Errorf("Sync redirected to http = %v, %v", changed, err)
	}
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRunSyncsPeriodicallyAndRetries(t *testing.T) {
	s := newFakeServer(t)
	s.set("handset.toml", goodCommon)
	s.set(testMAC+".toml", goodMAC)
	p := newTestPhone(t, s, localFile(s, "", "interval_minutes = 30\n"), true)
	changes := make(chan struct{}, 10)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.client.Run(ctx, func() { changes <- struct{}{} })
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	armed := func() bool { return p.clock.Pending() == 1 }
	expectChange := func(what string) {
		t.Helper()
		select {
		case <-changes:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: changed was not called", what)
		}
	}

	expectChange("at start")
	waitFor(t, "the first wait", armed)
	hits := s.hitCount()

	// Nothing new: a sync every 30 minutes, no change.
	p.clock.Advance(29 * time.Minute)
	if s.hitCount() != hits {
		t.Fatalf("synced before the interval")
	}
	p.clock.Advance(time.Minute)
	waitFor(t, "the second sync", func() bool { return s.hitCount() == hits+2 })
	waitFor(t, "the next wait", armed)

	// A new file: changed is called.
	s.set(testMAC+".toml", strings.Replace(goodMAC, "900", "1800", 1))
	p.clock.Advance(30 * time.Minute)
	expectChange("after the server's file changed")
	waitFor(t, "the next wait", armed)

	// The server fails: retries after 1, then 2 minutes.
	s.fail(http.StatusInternalServerError)
	hits = s.hitCount()
	p.clock.Advance(30 * time.Minute)
	waitFor(t, "the failing sync", func() bool { return s.hitCount() == hits+1 })
	waitFor(t, "the retry wait", armed)
	p.clock.Advance(time.Minute)
	waitFor(t, "the first retry", func() bool { return s.hitCount() == hits+2 })
	waitFor(t, "the second retry wait", armed)
	log := p.log.String()
	if !strings.Contains(log, "retry_in=1m0s") || !strings.Contains(log, "500 Internal Server Error") {
		t.Errorf("log lacks the failure and the 1-minute retry:\n%s", log)
	}
	p.clock.Advance(time.Minute)
	if s.hitCount() != hits+2 {
		t.Errorf("retried after 1 minute again; want 2 minutes the second time")
	}
	p.clock.Advance(time.Minute)
	waitFor(t, "the second retry", func() bool { return s.hitCount() == hits+3 })
	select {
	case <-changes:
		t.Errorf("changed was called for a failed sync")
	default:
	}
}
