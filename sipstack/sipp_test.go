package sipstack

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sippTimeout bounds a whole sipp run; scenarios also get -timeout.
const sippTimeout = 40 * time.Second

// sippBin finds sipp. Without it the test is skipped, unless
// HANDSET_REQUIRE_PEERS=1 demands the peers be installed.
func sippBin(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("sipp")
	if err != nil {
		if os.Getenv("HANDSET_REQUIRE_PEERS") == "1" {
			t.Fatalf("sipp not found and HANDSET_REQUIRE_PEERS=1: %v", err)
		}
		t.Skip("sipp not installed (Debian package sip-tester); skipping")
	}
	return p
}

// sippRun is one sipp process playing a scenario from testdata.
type sippRun struct {
	t    *testing.T
	name string
	dir  string
	port int
	cmd  *exec.Cmd
	out  bytes.Buffer
	done chan error
}

// startSipp runs testdata/<scenario> for one call on a free port of
// 127.0.0.1 (or of the address given with -i in args); s.port tells which.
// args add the remote address for a UAC scenario and any other options. A
// port taken meanwhile is retried with another.
func startSipp(t *testing.T, scenario string, args ...string) *sippRun {
	t.Helper()
	bin := sippBin(t)
	sf, err := filepath.Abs(filepath.Join("testdata", scenario))
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 0; ; attempt++ {
		s := &sippRun{t: t, name: scenario, dir: t.TempDir(), port: freeUDPPort(t, ip(args)), done: make(chan error, 1)}
		full := []string{"-sf", sf, "-m", "1", "-timeout", "20s", "-timeout_error", "-nostdin",
			"-p", strconv.Itoa(s.port), "-trace_msg", "-trace_err",
			"-message_file", filepath.Join(s.dir, "messages.log"), "-error_file", filepath.Join(s.dir, "errors.log")}
		if !hasArg(args, "-i") {
			full = append(full, "-i", "127.0.0.1")
		}
		s.cmd = exec.Command(bin, append(full, args...)...)
		s.cmd.Dir = s.dir
		s.cmd.Stdout = &s.out
		s.cmd.Stderr = &s.out
		if err := s.cmd.Start(); err != nil {
			t.Fatalf("start sipp: %v", err)
		}
		go func() { s.done <- s.cmd.Wait() }()
		if s.waitBound(ip(args)) {
			t.Cleanup(func() {
				select {
				case err := <-s.done:
					s.done <- err
				default:
					s.cmd.Process.Kill()
					s.done <- <-s.done
				}
				if t.Failed() {
					s.dump()
				}
			})
			return s
		}
		if attempt == 3 || !strings.Contains(s.out.String(), "Unable to bind") {
			s.dump()
			t.Fatalf("sipp %s did not start", scenario)
		}
	}
}

// wait checks that sipp ended its scenario successfully.
func (s *sippRun) wait() {
	s.t.Helper()
	var err error
	select {
	case err = <-s.done:
		s.done <- err // for the cleanup
	case <-time.After(sippTimeout):
		s.cmd.Process.Kill()
		err = <-s.done
		s.done <- err
		s.t.Errorf("sipp %s did not finish", s.name)
	}
	if err != nil {
		s.t.Fatalf("sipp %s: %v", s.name, err)
	}
}

// dump logs what sipp saw, for a failed test.
func (s *sippRun) dump() {
	msgs, _ := os.ReadFile(filepath.Join(s.dir, "messages.log"))
	errs, _ := os.ReadFile(filepath.Join(s.dir, "errors.log"))
	s.t.Logf("sipp %s output:\n%s\n--- errors ---\n%s\n--- messages ---\n%s", s.name, s.out.String(), errs, msgs)
}

// waitBound waits until sipp has bound its port, so that the first
// request to it is not lost (and retried only after 500 ms). It reports
// false when sipp ended first.
func (s *sippRun) waitBound(ip string) bool {
	deadline := time.Now().Add(sippTimeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			return false
		default:
		}
		c, err := listenUDP(ip, s.port)
		if err != nil {
			// Taken: by sipp, unless sipp is failing to bind just now.
			select {
			case err := <-s.done:
				s.done <- err
				return false
			case <-time.After(20 * time.Millisecond):
				return true
			}
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

func listenUDP(ip string, port int) (*net.UDPConn, error) {
	return net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(ip), Port: port})
}

// ip returns the -i argument, or 127.0.0.1.
func ip(args []string) string {
	for i, a := range args {
		if a == "-i" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return "127.0.0.1"
}

func hasArg(args []string, a string) bool {
	for _, x := range args {
		if x == a {
			return true
		}
	}
	return false
}
