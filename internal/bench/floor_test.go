package bench

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"handset/internal/testpeer"
)

// floorBinEnv names a sipfloor binary to measure instead of building one
// (scripts/bench builds it, as it builds the handset).
const floorBinEnv = "HANDSET_BENCH_FLOOR_BIN"

// floorWait is how long a program idles before its memory is read.
const floorWait = 5 * time.Second

// TestBenchFloor measures the memory any phone on sipgo starts from:
// sipfloor (internal/bench/sipfloor, a sipgo user agent with a server and
// a client on one UDP port, answering OPTIONS, nothing else), built as the
// handset ships, idle for 5 s; and, measured the same way, the handset in
// the simulator, idle, not registered. It writes floor.md to
// HANDSET_BENCH_OUT.
func TestBenchFloor(t *testing.T) {
	needBench(t)
	bin := os.Getenv(floorBinEnv)
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "sipfloor")
		build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "handset/internal/bench/sipfloor")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building sipfloor: %v\n%s", err, out)
		}
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(freeUDP(t)))
	floor := startFloor(t, bin, addr)
	time.Sleep(floorWait)
	floorProc := readProc(t, pidProc(floor.Process.Pid))
	if err := askOptions(addr); err != nil {
		t.Fatalf("sipfloor on %s: %v", addr, err)
	}

	port := freeUDP(t)
	ph := startPhone(t, handsetConfig("127.0.0.1:9", false, port, "PCMU", nextRTP(), 0), "--mic", "silence")
	time.Sleep(floorWait)
	phoneProc := readProc(t, ph)

	var b strings.Builder
	b.WriteString("| program, idle 5 s | binary | RSS | … private (anon) / file-backed |\n|---|---|---|---|\n")
	row := func(name, bin string, p Proc) {
		st, err := os.Stat(bin)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s / %s |\n", name, mb(st.Size()), mb(p.RSS), mb(p.Anon), mb(p.File))
	}
	row("sipgo alone (UA on UDP, nothing else)", bin, floorProc)
	row("handset --sim, not registered", handsetBin, phoneProc)
	writeOut(t, "floor.md", b.String())
}

// startFloor runs sipfloor on addr and stops it when the test ends.
func startFloor(t *testing.T, bin, addr string) *exec.Cmd {
	t.Helper()
	var log testpeer.LogBuffer
	cmd := exec.Command(bin, "-listen", addr)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("--- sipfloor log:\n%s", log.String())
		}
	})
	return cmd
}

// pidProc is a process known by its id.
type pidProc int

func (p pidProc) pid() int { return int(p) }

// askOptions sends an OPTIONS to the agent on addr (UDP) and wants 200.
func askOptions(addr string) error {
	c, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	local := c.LocalAddr().String()
	req := "OPTIONS sip:floor@" + addr + " SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-floor-1\r\n" +
		"Max-Forwards: 70\r\n" +
		"From: <sip:bench@" + local + ">;tag=floor\r\n" +
		"To: <sip:floor@" + addr + ">\r\n" +
		"Call-ID: floor-1@bench\r\n" +
		"CSeq: 1 OPTIONS\r\n" +
		"Content-Length: 0\r\n\r\n"
	if _, err := c.Write([]byte(req)); err != nil {
		return err
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	if err != nil {
		return fmt.Errorf("no answer to OPTIONS: %w", err)
	}
	if !strings.HasPrefix(string(buf[:n]), "SIP/2.0 200") {
		return fmt.Errorf("OPTIONS answered %q", strings.SplitN(string(buf[:n]), "\r\n", 2)[0])
	}
	return nil
}
