package archtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// phone is the command whose binary is the phone's software.
const phone = "handset/cmd/handset"

// TestNoHTTPClientInPhone keeps net/http's client out of the phone's
// binary: it weighs most of a megabyte, and the binary's size is most of
// the phone's memory. provision has a small HTTPS client of its own.
//
// net/http itself stays among the phone's dependencies: sipgo's sip
// package, gobwas/ws and icholy/digest import it for a few functions and
// types, and the linker drops the rest. So no package of ours that the
// phone links may import net/http (test files aside), and the linked
// binary must hold no method of net/http's Client or Transport.
func TestNoHTTPClientInPhone(t *testing.T) {
	for _, arch := range []string{"amd64", "arm", "arm64"} {
		pkgs := listPackages(t, arch)
		var linked []string
		for _, p := range pkgs {
			if p.ImportPath == phone {
				linked = append(p.Deps, phone)
			}
		}
		if linked == nil {
			t.Fatalf("go list (%s) does not show %s", arch, phone)
		}
		for _, p := range pkgs {
			if slices.Contains(linked, p.ImportPath) && slices.Contains(p.Imports, "net/http") {
				t.Errorf("%s (%s) imports net/http, and %s links it", p.ImportPath, arch, phone)
			}
		}
	}

	if testing.Short() {
		t.Skip("links the phone's binary")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "handset")
	build := exec.Command("go", "build", "-o", bin, "./cmd/handset")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm", "GOARM=6", "CGO_ENABLED=0", "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	nm := exec.Command("go", "tool", "nm", bin)
	nm.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := nm.Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	var client []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, " net/http.(*Client).") || strings.Contains(line, " net/http.(*Transport).") {
			client = append(client, strings.TrimSpace(line))
		}
	}
	if len(client) > 0 {
		t.Errorf("the phone's binary (linux/arm) links net/http's client, %d symbols, such as:\n%s", len(client), strings.Join(client[:min(len(client), 5)], "\n"))
	}
}
