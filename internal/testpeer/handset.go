package testpeer

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

// Event is one JSON line a simulated phone printed.
type Event map[string]any

// Kind is the event's "event" field.
func (e Event) Kind() string { s, _ := e["event"].(string); return s }

// Str returns field key as text.
func (e Event) Str(key string) string {
	switch v := e[key].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// Num returns numeric field key (0 when absent).
func (e Event) Num(key string) float64 { f, _ := e[key].(float64); return f }

// Handset is a running "handset --sim" process: console commands go to its
// stdin, its JSON events are collected for waits.
type Handset struct {
	t       testing.TB
	name    string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	stderr  *LogBuffer
	mu      sync.Mutex
	seen    []Event
	claimed []bool
	base    int           // waits look at events from here on
	arrived chan struct{} // pulsed when an event arrives
	exited  chan struct{}
}

// StartHandset runs bin --sim with config (TOML text, written to a temp
// file) and extra flags, and waits for its ready event. Cleanup quits it
// and, when the test failed, logs its events and the tail of its log.
func StartHandset(t testing.TB, bin, name, config string, flags ...string) *Handset {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), name+".toml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	h := &Handset{t: t, name: name, stderr: &LogBuffer{},
		arrived: make(chan struct{}, 1), exited: make(chan struct{})}
	args := append([]string{"--sim", "--terminal", "off", "--config", cfg}, flags...)
	h.cmd = exec.Command(bin, args...)
	h.cmd.Stderr = h.stderr
	stdout, err := h.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if h.stdin, err = h.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go h.read(stdout)
	t.Cleanup(func() {
		h.Stop()
		if t.Failed() {
			t.Logf("--- phone %s events:\n%s", name, h.history())
			t.Logf("--- phone %s log (tail):\n%s", name, Tail(h.stderr.String(), 80))
		}
	})
	h.WaitEvent("ready", nil, 15*time.Second)
	return h
}

func (h *Handset) read(r io.Reader) {
	defer close(h.exited)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			e = Event{"event": "unparsable", "line": sc.Text()}
		}
		h.mu.Lock()
		h.seen = append(h.seen, e)
		h.claimed = append(h.claimed, false)
		h.mu.Unlock()
		select {
		case h.arrived <- struct{}{}:
		default:
		}
	}
	h.cmd.Wait()
}

// Pid is the process id.
func (h *Handset) Pid() int { return h.cmd.Process.Pid }

// Do sends one console command.
func (h *Handset) Do(cmd string) {
	h.t.Helper()
	if _, err := io.WriteString(h.stdin, cmd+"\n"); err != nil {
		h.t.Fatalf("phone %s: %s: %v", h.name, cmd, err)
	}
}

// WaitEvent waits for an event of kind, matching match if set, that came
// after the last Checkpoint and that no earlier wait returned. Events of
// one step may come in any order, so waits for them may too.
func (h *Handset) WaitEvent(kind string, match func(Event) bool, timeout time.Duration) Event {
	h.t.Helper()
	deadline := time.After(timeout)
	for {
		if e, ok := h.Claim(kind, match); ok {
			return e
		}
		select {
		case <-h.arrived:
		case <-h.exited:
			if e, ok := h.Claim(kind, match); ok {
				return e
			}
			h.t.Fatalf("phone %s exited while waiting for %s", h.name, kind)
		case <-deadline:
			h.t.Fatalf("phone %s: no %s event within %v", h.name, kind, timeout)
		}
	}
}

// Claim returns, without waiting, the first unclaimed event of kind since
// the last Checkpoint for which match (if set) holds.
func (h *Handset) Claim(kind string, match func(Event) bool) (Event, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := h.base; i < len(h.seen); i++ {
		e := h.seen[i]
		if !h.claimed[i] && e.Kind() == kind && (match == nil || match(e)) {
			h.claimed[i] = true
			return e, true
		}
	}
	return nil, false
}

// Checkpoint makes later waits ignore every event so far.
func (h *Handset) Checkpoint() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.base = len(h.seen)
}

// WaitState waits until the phone enters state.
func (h *Handset) WaitState(state string, timeout time.Duration) {
	h.t.Helper()
	h.WaitEvent("state", func(e Event) bool { return e.Str("to") == state }, timeout)
}

// Never fails if an event of kind comes within d from now.
func (h *Handset) Never(kind string, d time.Duration) {
	h.t.Helper()
	h.Checkpoint()
	time.Sleep(d)
	if e, ok := h.Claim(kind, nil); ok {
		h.t.Fatalf("phone %s: unexpected %s event: %v", h.name, kind, e)
	}
}

// Stop quits the phone (which un-registers) and waits for it to exit;
// after 15 s it is killed and the test fails.
func (h *Handset) Stop() {
	select {
	case <-h.exited:
		return
	default:
	}
	io.WriteString(h.stdin, "quit\n")
	h.stdin.Close()
	select {
	case <-h.exited:
	case <-time.After(15 * time.Second):
		h.cmd.Process.Kill()
		<-h.exited
		h.t.Errorf("phone %s did not quit within 15 s", h.name)
	}
}

func (h *Handset) history() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var b strings.Builder
	for _, e := range h.seen {
		j, _ := json.Marshal(e)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

// Tail returns the last n lines of s.
func Tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// RunWithHandset builds cmd/handset as it ships (static, stripped) into a
// temporary directory, runs tests with its path, removes it and returns
// tests' exit code. It is for TestMain: a package's end-to-end tests share
// one build. buildArgs go to go build before the package (e.g. "-tags",
// "pprof").
func RunWithHandset(run func(bin string) int, buildArgs ...string) int {
	dir, err := os.MkdirTemp("", "handset-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "handset")
	args := append([]string{"build", "-trimpath", "-ldflags=-s -w", "-o", bin}, buildArgs...)
	build := exec.Command("go", append(args, "handset/cmd/handset")...)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building handset:", err)
		return 1
	}
	return run(bin)
}
