package testpeer

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Timing of the kamailio process. Generous: tests run on busy machines.
const (
	kamailioReadyTimeout = 10 * time.Second
	kamailioPingWait     = 500 * time.Millisecond
	kamailioPingPause    = 50 * time.Millisecond
	kamailioStopGrace    = 5 * time.Second
)

// KamailioConfig describes the registrar and proxy StartKamailio runs.
type KamailioConfig struct {
	Users  map[string]string // user name → password, for digest auth
	Domain string            // SIP domain and digest realm, e.g. "handset.test"
	Addr   string            // loopback UDP address; port 0 (or "") picks a free port
	// MaxExpires caps the registration time granted, in seconds; 0 means
	// 3600. A short cap makes phones refresh soon (registrar-restart tests).
	MaxExpires int
}

// Kamailio is a running (or stopped) Kamailio registrar and proxy with
// digest auth for one test. Restart must be called from the test's
// goroutine (it may call t.Fatal); the other methods from any.
//
// It answers OPTIONS, challenges REGISTER (401) and keeps registrations in
// memory with Expires clamped to [min(60, MaxExpires), MaxExpires] s, challenges requests from its
// own users (407; callers from other domains need none), and relays
// requests for a registered user to the registered contact, staying in the
// dialog (Record-Route). A request for an unknown user gets 404, for a known
// user who is not registered 480, for another domain 403. The routing
// script is kamailio.cfg.tmpl in this package.
type Kamailio struct {
	t       testing.TB
	bin     string
	dir     string
	cfgPath string
	logPath string
	addr    netip.AddrPort

	mu   sync.Mutex
	proc *process // nil while stopped
}

// StartKamailio writes a kamailio.cfg for cfg into t.TempDir(), runs kamailio
// in the foreground with its runtime files in that directory, waits until it
// answers OPTIONS, and stops it when the test ends. It skips the test if
// kamailio is not installed (fails if HANDSET_REQUIRE_PEERS=1).
func StartKamailio(t testing.TB, cfg KamailioConfig) *Kamailio {
	t.Helper()
	bin := requireBinary(t, "kamailio", "kamailio")
	addr, err := kamailioListenAddr(cfg.Addr)
	if err != nil {
		t.Fatalf("testpeer: start kamailio: %v", err)
	}
	text, err := renderKamailioCfg(cfg, addr)
	if err != nil {
		t.Fatalf("testpeer: start kamailio: %v", err)
	}
	dir := t.TempDir()
	k := &Kamailio{
		t:       t,
		bin:     bin,
		dir:     dir,
		cfgPath: filepath.Join(dir, "kamailio.cfg"),
		logPath: filepath.Join(dir, "kamailio.log"),
		addr:    addr,
	}
	if err := os.WriteFile(k.cfgPath, []byte(text), 0o644); err != nil {
		t.Fatalf("testpeer: start kamailio: %v", err)
	}
	t.Cleanup(k.Stop)
	if err := k.start(); err != nil {
		t.Fatalf("testpeer: %v\nkamailio log:\n%s", err, k.Log())
	}
	return k
}

// Addr is the UDP address kamailio listens on.
func (k *Kamailio) Addr() netip.AddrPort { return k.addr }

// Stop ends kamailio and its workers and waits until they are gone. It does
// nothing if kamailio is already stopped. If kamailio had died on its own,
// the test fails with its log.
func (k *Kamailio) Stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.proc == nil {
		return
	}
	if k.proc.exited() {
		k.t.Errorf("testpeer: kamailio on %s %v on its own: %v\nkamailio log:\n%s", k.addr, errExited, k.proc.err, k.Log())
	}
	k.proc.stop(kamailioStopGrace)
	k.proc = nil
}

// Restart stops kamailio if it runs and starts it again on the same address
// with the same users. Registrations do not survive: the location table is
// empty afterwards.
func (k *Kamailio) Restart() {
	k.t.Helper()
	k.Stop()
	if err := k.start(); err != nil {
		k.t.Fatalf("testpeer: restart: %v\nkamailio log:\n%s", err, k.Log())
	}
}

// Log returns what kamailio has logged so far (all runs), for failure
// messages.
func (k *Kamailio) Log() string {
	b, err := os.ReadFile(k.logPath)
	if err != nil {
		return fmt.Sprintf("(no kamailio log: %v)", err)
	}
	return string(b)
}

// start runs kamailio and waits until it answers OPTIONS.
func (k *Kamailio) start() error {
	out, err := os.OpenFile(k.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("start kamailio: %w", err)
	}
	defer out.Close() // the child has its own copy
	args := []string{
		"-f", k.cfgPath,
		"-DD",       // stay in the foreground, no daemon
		"-E",        // log to stderr, which goes to the log file
		"-Y", k.dir, // runtime directory
		"-P", filepath.Join(k.dir, "kamailio.pid"),
		"-w", k.dir, // working directory
		"-m", "32", // MB of shared memory
	}
	p, err := startProcess(k.bin, args, k.dir, out)
	if err != nil {
		return fmt.Errorf("start kamailio: %w", err)
	}
	if err := k.waitReady(p); err != nil {
		p.stop(kamailioStopGrace)
		return err
	}
	k.mu.Lock()
	k.proc = p
	k.mu.Unlock()
	return nil
}

// waitReady pings kamailio until it answers, dies or runs out of time.
func (k *Kamailio) waitReady(p *process) error {
	deadline := time.NewTimer(kamailioReadyTimeout)
	defer deadline.Stop()
	for {
		if p.exited() {
			return fmt.Errorf("kamailio on %s: %w at start-up: %v", k.addr, errExited, p.err)
		}
		err := ping(k.addr, kamailioPingWait)
		if err == nil {
			return nil
		}
		pause := time.NewTimer(kamailioPingPause)
		select {
		case <-deadline.C:
			pause.Stop()
			return fmt.Errorf("kamailio on %s: %w after %v: %w", k.addr, errNotReady, kamailioReadyTimeout, err)
		case <-p.done:
		case <-pause.C:
		}
		pause.Stop()
	}
}
