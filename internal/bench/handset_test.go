package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// event is one JSON line the phone printed.
type event map[string]any

func (e event) kind() string { s, _ := e["event"].(string); return s }

// phone is a running "handset --sim" process.
type phone struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	log    lockedWriter
	events chan event
	exited chan struct{}
}

// startPhone runs the handset binary in the simulator with config (TOML
// text) and extra flags, and stops it when the test ends.
func startPhone(t *testing.T, config string, flags ...string) *phone {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "handset.toml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	p := &phone{t: t, events: make(chan event, 1024), exited: make(chan struct{})}
	args := append([]string{"--sim", "--terminal", "off", "--config", cfg, "--log-level", "info"}, flags...)
	p.cmd = exec.Command(handsetBin, args...)
	p.log.w = new(strings.Builder)
	p.cmd.Stderr = &p.log
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go p.read(out)
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("--- handset log:\n%s", tail(p.log.String(), 60))
		}
	})
	p.wait("ready", nil, 15*time.Second)
	return p
}

func (p *phone) pid() int { return p.cmd.Process.Pid }

func (p *phone) read(r io.Reader) {
	defer close(p.exited)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			select {
			case p.events <- e:
			default: // nobody waits for these
			}
		}
	}
	p.cmd.Wait()
}

// do sends one console command.
func (p *phone) do(cmd string) {
	p.t.Helper()
	if _, err := io.WriteString(p.stdin, cmd+"\n"); err != nil {
		p.t.Fatalf("handset: %s: %v", cmd, err)
	}
}

// wait returns the next event of kind that match accepts (nil: any),
// skipping others.
func (p *phone) wait(kind string, match func(event) bool, timeout time.Duration) event {
	p.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case e := <-p.events:
			if e.kind() == kind && (match == nil || match(e)) {
				return e
			}
		case <-p.exited:
			p.t.Fatalf("handset exited while waiting for %s", kind)
		case <-deadline:
			p.t.Fatalf("handset: no %s event within %v", kind, timeout)
		}
	}
}

// stop quits the phone and waits for it to exit.
func (p *phone) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	io.WriteString(p.stdin, "quit\n")
	p.stdin.Close()
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
		p.t.Errorf("handset did not quit within 15 s")
	}
}

// handsetConfig is a phone's TOML: account 1001, SIP on port, through
// proxy (and registering there when register is set), one codec, RTP
// ports from rtp, the card's ring in periods (0: the default).
func handsetConfig(proxy string, register bool, port int, codec string, rtp, ring int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "version = 1\n\n[account]\nuser = \"1001\"\npassword = %q\ndomain = %q\n", users["1001"], domain)
	if register {
		fmt.Fprintf(&b, "registrar = %q\nregister = true\n", proxy)
	} else {
		b.WriteString("register = false\n")
	}
	fmt.Fprintf(&b, "outbound_proxy = %q\nlocal_ip = \"127.0.0.1\"\nlocal_port = %d\n", proxy, port)
	fmt.Fprintf(&b, "\n[media]\ncodecs = [%q]\nrtp_port_min = %d\nrtp_port_max = %d\n", codec, rtp, rtp+98)
	if ring > 0 {
		fmt.Fprintf(&b, "\n[audio]\nbuffer_periods = %d\n", ring)
	}
	return b.String()
}

type lockedWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
