package sipstack

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"handset/hal"
)

// startKamailio runs Kamailio with testdata/<cfg> on 127.0.0.1:port until
// the end of the test. Without kamailio the test is skipped, unless
// HANDSET_REQUIRE_PEERS=1.
func startKamailio(t *testing.T, cfg string, port int) {
	t.Helper()
	bin, err := exec.LookPath("kamailio")
	if err != nil {
		if os.Getenv("HANDSET_REQUIRE_PEERS") == "1" {
			t.Fatalf("kamailio not found and HANDSET_REQUIRE_PEERS=1: %v", err)
		}
		t.Skip("kamailio not installed; skipping")
	}
	mods, _ := filepath.Glob("/usr/lib/*/kamailio/modules")
	mods = append(mods, "/usr/lib/kamailio/modules", "/usr/lib64/kamailio/modules")
	modDir := ""
	for _, m := range mods {
		if _, err := os.Stat(filepath.Join(m, "auth.so")); err == nil {
			modDir = m
			break
		}
	}
	if modDir == "" {
		if os.Getenv("HANDSET_REQUIRE_PEERS") == "1" {
			t.Fatal("kamailio modules not found and HANDSET_REQUIRE_PEERS=1")
		}
		t.Skip("kamailio modules (auth.so) not found; skipping")
	}
	f, err := filepath.Abs(filepath.Join("testdata", cfg))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out bytes.Buffer
	cmd := exec.Command(bin, "-f", f, "-L", modDir, "-l", "udp:127.0.0.1:"+strconv.Itoa(port),
		"-Y", dir, "-P", filepath.Join(dir, "k.pid"), "-E", "-DD", "-m", "16", "-M", "4")
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Kamailio forks helpers
	if err := cmd.Start(); err != nil {
		t.Fatalf("start kamailio: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			t.Logf("kamailio output:\n%s", out.String())
		}
	})
	// Wait until Kamailio has bound the port.
	deadline := time.Now().Add(eventTimeout)
	for time.Now().Before(deadline) {
		if c, err := listenUDP("127.0.0.1", port); err != nil {
			return
		} else {
			c.Close()
		}
		select {
		case <-done:
			t.Fatalf("kamailio exited:\n%s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("kamailio did not bind its port")
}

// Kamailio's auth module challenges with SHA-256: we answer it, register
// for the 40 s Kamailio grants, and un-register on shutdown.
func TestKamailioRegisterSHA256(t *testing.T) {
	port := freeUDPPort(t, "127.0.0.1")
	startKamailio(t, "kamailio_sha256.cfg", port)
	u := startUA(t, "alice", registrarConfig(port), hal.SystemClock{})
	if r := waitFor[Registered](t, u.UA); r.Expires != 40*time.Second {
		t.Fatalf("Registered = %+v", r)
	}
	u.stop(t)
	for _, ev := range drain(u.UA) {
		if _, ok := ev.(Unregistered); ok {
			return
		}
	}
	t.Error("no Unregistered on shutdown")
}

// With a wrong password Kamailio challenges again: a clear failure.
func TestKamailioWrongPassword(t *testing.T) {
	port := freeUDPPort(t, "127.0.0.1")
	startKamailio(t, "kamailio_sha256.cfg", port)
	cfg := registrarConfig(port)
	cfg.Password = "wrong"
	u := startUA(t, "alice", cfg, hal.SystemClock{})
	f := waitFor[RegistrationFailed](t, u.UA)
	if f.Code != 401 || f.RetryIn < 1600*time.Millisecond {
		t.Fatalf("RegistrationFailed = %+v", f)
	}
}
