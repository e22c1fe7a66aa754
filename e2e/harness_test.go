package e2e

import (
	"bufio"
	"bytes"
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

	"handset/internal/testpeer"
	"handset/mediapath/detect"
	"handset/wav"
)

// handsetBin is the binary under test, built once by TestMain.
var handsetBin string

func TestMain(m *testing.M) {
	os.Exit(testpeer.RunWithHandset(func(bin string) int {
		handsetBin = bin
		return m.Run()
	}))
}

// event is one JSON line the phone printed.
type event map[string]any

func (e event) kind() string { s, _ := e["event"].(string); return s }

func (e event) str(key string) string {
	switch v := e[key].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func (e event) num(key string) float64 { f, _ := e[key].(float64); return f }

// phone is a running "handset --sim" process.
type phone struct {
	t       *testing.T
	name    string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	speaker string
	stderr  *lockedBuffer
	mu      sync.Mutex
	seen    []event
	claimed []bool
	base    int           // waits look at events from here on
	arrived chan struct{} // pulsed when an event arrives
	exited  chan struct{}
}

type phoneOpts struct {
	config string  // the TOML file's text
	mic    float64 // Hz of the microphone tone; 0 = silence
	quiet  bool    // log at info, not debug (for measurements)
}

// startPhone starts a simulated phone with the given config and waits for it
// to be ready. Cleanup quits it and, on failure, shows its log.
func startPhone(t *testing.T, name string, o phoneOpts) *phone {
	t.Helper()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, name+".toml")
	if err := os.WriteFile(cfgPath, []byte(o.config), 0o600); err != nil {
		t.Fatal(err)
	}
	mic := "silence"
	if o.mic > 0 {
		mic = fmt.Sprintf("tone:%g", o.mic)
	}
	p := &phone{
		t:       t,
		name:    name,
		arrived: make(chan struct{}, 1),
		speaker: filepath.Join(dir, name+"-speaker.wav"),
		stderr:  &lockedBuffer{},
		exited:  make(chan struct{}),
	}
	level := "debug"
	if o.quiet {
		level = "info"
	}
	p.cmd = exec.Command(handsetBin, "--sim", "--terminal", "off", "--config", cfgPath,
		"--mic", mic, "--speaker", p.speaker, "--log-level", level)
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go p.read(stdout)
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("--- phone %s events:\n%s", name, p.history())
			t.Logf("--- phone %s log (tail):\n%s", name, tail(p.stderr.String(), 80))
		}
	})
	p.waitEvent("ready", nil, 15*time.Second)
	return p
}

func (p *phone) read(r io.Reader) {
	defer close(p.exited)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			e = event{"event": "unparsable", "line": sc.Text()}
		}
		p.mu.Lock()
		p.seen = append(p.seen, e)
		p.claimed = append(p.claimed, false)
		p.mu.Unlock()
		select {
		case p.arrived <- struct{}{}:
		default:
		}
	}
	p.cmd.Wait()
}

// do sends one console command.
func (p *phone) do(cmd string) {
	p.t.Helper()
	if _, err := io.WriteString(p.stdin, cmd+"\n"); err != nil {
		p.t.Fatalf("phone %s: %s: %v", p.name, cmd, err)
	}
}

// waitEvent waits for an event of kind, matching match if set, that came
// after the last checkpoint and that no earlier wait returned. Events of
// one step may come in any order, so waits for them may too.
func (p *phone) waitEvent(kind string, match func(event) bool, timeout time.Duration) event {
	p.t.Helper()
	deadline := time.After(timeout)
	for {
		if e, ok := p.claim(kind, match); ok {
			return e
		}
		select {
		case <-p.arrived:
		case <-p.exited:
			if e, ok := p.claim(kind, match); ok {
				return e
			}
			p.t.Fatalf("phone %s exited while waiting for %s", p.name, kind)
		case <-deadline:
			p.t.Fatalf("phone %s: no %s event within %v", p.name, kind, timeout)
		}
	}
}

func (p *phone) claim(kind string, match func(event) bool) (event, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := p.base; i < len(p.seen); i++ {
		e := p.seen[i]
		if !p.claimed[i] && e.kind() == kind && (match == nil || match(e)) {
			p.claimed[i] = true
			return e, true
		}
	}
	return nil, false
}

// checkpoint makes later waits ignore every event so far.
func (p *phone) checkpoint() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.base = len(p.seen)
}

// waitState waits until the phone enters state.
func (p *phone) waitState(state string, timeout time.Duration) {
	p.t.Helper()
	p.waitEvent("state", func(e event) bool { return e.str("to") == state }, timeout)
}

// never fails if an event of kind comes within d from now.
func (p *phone) never(kind string, d time.Duration) {
	p.t.Helper()
	p.checkpoint()
	time.Sleep(d)
	if e, ok := p.claim(kind, nil); ok {
		p.t.Fatalf("phone %s: unexpected %s event: %v", p.name, kind, e)
	}
}

// stop quits the phone (which un-registers) and waits for it to exit.
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
		p.t.Errorf("phone %s did not quit within 15 s", p.name)
	}
}

// heard stops the phone and reports how long its earpiece played freq.
func (p *phone) heard(freq float64) time.Duration {
	p.t.Helper()
	p.stop()
	b, err := os.ReadFile(p.speaker)
	if err != nil {
		p.t.Fatal(err)
	}
	samples, rate, _, err := wav.Read(bytes.NewReader(b))
	if err != nil {
		p.t.Fatalf("phone %s speaker: %v", p.name, err)
	}
	var total time.Duration
	for _, s := range detect.Find(samples, rate, freq, 200*time.Millisecond) {
		total += s.End - s.Start
	}
	return total
}

func (p *phone) history() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, e := range p.seen {
		j, _ := json.Marshal(e)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func itoa(n int) string { return fmt.Sprint(n) }
