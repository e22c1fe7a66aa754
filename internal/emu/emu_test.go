package emu_test

import (
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

// The checks boot QEMU and take minutes: they run only when asked.
// HANDSET_EMU_KEEP=1 keeps each check's shared folder (binaries, run.sh,
// the guest's reports, logs and recordings) for a look afterwards.
const (
	enableVar = "HANDSET_EMU"
	keepVar   = "HANDSET_EMU_KEEP"
)

// env is what every check shares: the booted kernel and the binaries.
type env struct {
	root string // the repository
	boot string // vmlinuz and initramfs.cpio.gz (scripts/emu/prepare)
	bin  string // guest-arm64, guest-armv6, handset-arm64, handset-armv6
}

var (
	setupOnce sync.Once
	shared    env
	setupErr  error
	binDir    string // removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// setup skips t unless HANDSET_EMU=1, and otherwise prepares the kernel and
// builds the binaries once for all checks.
func setup(t *testing.T) env {
	t.Helper()
	if os.Getenv(enableVar) != "1" {
		t.Skipf("set %s=1 to boot the QEMU checks (scripts/test does)", enableVar)
	}
	setupOnce.Do(func() { shared, setupErr = prepare() })
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return shared
}

func prepare() (env, error) {
	for _, tool := range []string{"qemu-system-aarch64", "pulseaudio", "pactl", "pacat", "parec"} {
		if _, err := exec.LookPath(tool); err != nil {
			return env{}, fmt.Errorf("%s is missing (scripts/test installs it): %w", tool, err)
		}
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		return env{}, err
	}
	e := env{root: root}
	start := time.Now()
	cmd := exec.Command(filepath.Join(root, "scripts/emu/prepare"))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return env{}, fmt.Errorf("scripts/emu/prepare: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	e.boot = lines[len(lines)-1]
	fmt.Fprintf(os.Stderr, "emu: kernel and initramfs ready in %v: %s\n", time.Since(start).Round(time.Millisecond), e.boot)

	start = time.Now()
	if binDir, err = os.MkdirTemp("", "handset-emu-bin-"); err != nil {
		return env{}, err
	}
	e.bin = binDir
	for _, b := range []struct{ name, pkg, goarch, goarm string }{
		{"guest-arm64", "./internal/emu/guest", "arm64", ""},
		{"guest-armv6", "./internal/emu/guest", "arm", "6"},
	} {
		if err := e.build(b.name, b.pkg, b.goarch, b.goarm); err != nil {
			return env{}, err
		}
	}
	fmt.Fprintf(os.Stderr, "emu: guest binaries built in %v\n", time.Since(start).Round(time.Millisecond))
	return e, nil
}

// build builds a static binary of pkg for the guest into e.bin.
func (e env) build(name, pkg, goarch, goarm string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(e.bin, name), pkg)
	cmd.Dir = e.root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch, "GOARM="+goarm, "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s: %w\n%s", name, err, out)
	}
	return nil
}

// share makes the folder the guest mounts at /host: bin/ with the named
// binaries, run.sh, the given files, and an empty out/.
func (e env) share(t *testing.T, runSh string, files map[string]string, bins ...string) string {
	t.Helper()
	dir := t.TempDir()
	if os.Getenv(keepVar) != "" {
		var err error
		if dir, err = os.MkdirTemp("", "handset-emu-"+t.Name()+"-"); err != nil {
			t.Fatal(err)
		}
		t.Logf("the shared folder stays in %s", dir)
	}
	for _, d := range []string{"bin", "out"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range bins {
		if err := copyFile(filepath.Join(e.bin, b), filepath.Join(dir, "bin", b)); err != nil {
			t.Fatal(err)
		}
	}
	files["run.sh"] = runSh
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func copyFile(from, to string) error {
	if err := os.Link(from, to); err == nil {
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
