package testpeer

import (
	"fmt"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// defaultSippTimeout bounds a scenario when SippConfig.Timeout is 0.
	defaultSippTimeout = 10 * time.Second
	// sippWaitSlack is how long Wait gives sipp past its own -timeout
	// before killing it.
	sippWaitSlack = 5 * time.Second
	sippStopGrace = 2 * time.Second
	// sippBindTimeout bounds how long StartSipp waits for sipp's socket.
	sippBindTimeout = 5 * time.Second
	sippBindPoll    = 10 * time.Millisecond
	// reportTail is how much of each sipp log goes into an error.
	reportTail = 3000
)

// SippConfig describes one SIPp run.
type SippConfig struct {
	// Scenario is a scenario file (a path ending in .xml, relative to the
	// test's directory or absolute) or the name of a built-in scenario
	// such as "uac" or "uas".
	Scenario string
	// Remote is the host:port to send to; "" for a scenario that waits for
	// calls (UAS).
	Remote string
	// Local is the loopback IP to bind, e.g. 127.0.0.1 (the default) or
	// 127.0.0.2.
	Local string
	// Port is the local SIP port; 0 picks a free one.
	Port int
	// Args are extra sipp arguments, e.g. "-s", "1001", "-ap", "secret" or
	// "-key", "domain", "handset.test". They come after ours, so they may
	// override them (e.g. "-m").
	Args []string
	// Timeout bounds the whole run; 0 means 10 s.
	Timeout time.Duration
}

// Sipp is one running SIPp process.
type Sipp struct {
	name    string // the scenario, for messages
	dir     string
	addr    netip.AddrPort
	timeout time.Duration
	proc    *process

	once sync.Once
	err  error
}

// StartSipp runs sipp as a child process for one call (-m 1) with its
// traces in a fresh t.TempDir(), returns once its SIP socket is bound, and
// kills it when the test ends. It skips the test if sipp is not installed
// (fails if HANDSET_REQUIRE_PEERS=1).
func StartSipp(t testing.TB, cfg SippConfig) *Sipp {
	t.Helper()
	bin := requireBinary(t, "sipp", "sip-tester")
	s, args, err := newSipp(cfg, t.TempDir())
	if err != nil {
		t.Fatalf("testpeer: start sipp: %v", err)
	}
	out, err := os.Create(filepath.Join(s.dir, "sipp.out"))
	if err != nil {
		t.Fatalf("testpeer: start sipp: %v", err)
	}
	defer out.Close() // the child has its own copy
	s.proc, err = startProcess(bin, args, s.dir, out)
	if err != nil {
		t.Fatalf("testpeer: start sipp: %v", err)
	}
	t.Cleanup(func() { s.proc.stop(sippStopGrace) })
	s.waitBound()
	return s
}

// waitBound returns once sipp's SIP socket is bound, so that a peer started
// next does not send into the void, or once sipp has exited (Wait reports
// why), or after sippBindTimeout.
func (s *Sipp) waitBound() {
	deadline := time.NewTimer(sippBindTimeout)
	defer deadline.Stop()
	for !udpPortBound(int(s.addr.Port())) {
		pause := time.NewTimer(sippBindPoll)
		select {
		case <-s.proc.done:
			pause.Stop()
			return
		case <-deadline.C:
			pause.Stop()
			return
		case <-pause.C:
		}
	}
}

// newSipp checks cfg, picks the ports and builds sipp's command line.
func newSipp(cfg SippConfig, dir string) (*Sipp, []string, error) {
	s := &Sipp{name: cfg.Scenario, dir: dir, timeout: cfg.Timeout}
	if s.timeout == 0 {
		s.timeout = defaultSippTimeout
	}
	if s.timeout < 0 {
		return nil, nil, fmt.Errorf("%w: Timeout %v is negative", errBadConfig, cfg.Timeout)
	}
	scenarioFlag := "-sn"
	scenario := cfg.Scenario
	switch {
	case scenario == "":
		return nil, nil, fmt.Errorf("%w: no Scenario", errBadConfig)
	case strings.HasSuffix(scenario, ".xml"):
		abs, err := filepath.Abs(scenario)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: Scenario %q: %w", errBadConfig, scenario, err)
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, nil, fmt.Errorf("%w: Scenario: %w", errBadConfig, err)
		}
		scenarioFlag, scenario = "-sf", abs
		s.name = filepath.Base(abs)
	}

	local := cfg.Local
	if local == "" {
		local = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(local)
	if err != nil || !ip.IsLoopback() {
		return nil, nil, fmt.Errorf("%w: Local %q is not a loopback IP", errBadConfig, cfg.Local)
	}
	if cfg.Remote != "" {
		remote, err := netip.ParseAddrPort(cfg.Remote)
		if err != nil || !remote.Addr().IsLoopback() {
			return nil, nil, fmt.Errorf("%w: Remote %q is not a loopback ip:port", errBadConfig, cfg.Remote)
		}
	}
	port := cfg.Port
	if port < 0 || port > math.MaxUint16 {
		return nil, nil, fmt.Errorf("%w: Port %d out of range", errBadConfig, port)
	}
	if port == 0 {
		if port, err = freeUDPPort(local); err != nil {
			return nil, nil, err
		}
	}
	s.addr = netip.AddrPortFrom(ip, uint16(port))
	// sipp also binds an RTP echo pair (default 6000 and 6002) and a control
	// socket (default 8888 on every interface): move them to free loopback
	// ports so parallel runs do not collide.
	mediaPort, err := freeUDPPortPair(local)
	if err != nil {
		return nil, nil, err
	}
	// The control socket is IPv4 only.
	controlIP := local
	if !ip.Is4() {
		controlIP = "127.0.0.1"
	}
	controlPort, err := freeUDPPort(controlIP)
	if err != nil {
		return nil, nil, err
	}

	args := []string{
		scenarioFlag, scenario,
		"-i", local, "-p", strconv.Itoa(port),
		"-mi", local, "-mp", strconv.Itoa(mediaPort),
		"-ci", controlIP, "-cp", strconv.Itoa(controlPort),
		"-m", "1",
		"-nostdin",
		"-timeout", strconv.Itoa(int(math.Ceil(s.timeout.Seconds()))) + "s", "-timeout_error",
		"-trace_err", "-error_file", filepath.Join(dir, "errors.log"),
		"-trace_screen", "-screen_file", filepath.Join(dir, "screen.log"),
		"-trace_msg", "-message_file", filepath.Join(dir, "messages.log"),
	}
	args = append(args, cfg.Args...)
	if cfg.Remote != "" {
		args = append(args, cfg.Remote)
	}
	return s, args, nil
}

// Addr is the address sipp's SIP socket is bound to.
func (s *Sipp) Addr() netip.AddrPort { return s.addr }

// Wait waits until sipp exits, at most about Timeout, and returns nil if the
// scenario succeeded. Otherwise the error carries the ends of sipp's error
// log, final screen, message trace and output. Later calls return the same
// result.
func (s *Sipp) Wait() error {
	s.once.Do(func() { s.err = s.wait() })
	return s.err
}

func (s *Sipp) wait() error {
	timer := time.NewTimer(s.timeout + sippWaitSlack)
	defer timer.Stop()
	select {
	case <-s.proc.done:
	case <-timer.C:
		s.proc.stop(sippStopGrace)
		return fmt.Errorf("%w: %s on %s after %v\n%s", errSippTimeout, s.name, s.addr, s.timeout, s.report())
	}
	if s.proc.err != nil {
		return fmt.Errorf("%w: %s on %s: %w\n%s", errSippFailed, s.name, s.addr, s.proc.err, s.report())
	}
	return nil
}

// Messages returns sipp's trace of every SIP message it sent and received
// so far.
func (s *Sipp) Messages() string {
	b, err := os.ReadFile(filepath.Join(s.dir, "messages.log"))
	if err != nil {
		return fmt.Sprintf("(no sipp message trace: %v)", err)
	}
	return string(b)
}

// report gathers the ends of sipp's logs for an error message.
func (s *Sipp) report() string {
	var b strings.Builder
	for _, f := range []string{"errors.log", "screen.log", "messages.log", "sipp.out"} {
		data, err := os.ReadFile(filepath.Join(s.dir, f))
		if err != nil || len(data) == 0 {
			continue
		}
		if len(data) > reportTail {
			data = append([]byte("..."), data[len(data)-reportTail:]...)
		}
		fmt.Fprintf(&b, "--- sipp %s ---\n%s\n", f, data)
	}
	return b.String()
}
