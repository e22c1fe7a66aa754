package archtest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// rules maps a package pattern to the packages of ours it may import; an
// entry ending in "/..." covers the package and everything below it.
// Packages of ours not listed here may import anything but cmd.
var rules = map[string][]string{
	"handset/hal":         {},
	"handset/hal/haltest": {"handset/hal"},
	"handset/hal/sim":     {"handset/hal", "handset/wav"},
	"handset/config":      {},
	"handset/dialplan":    {},
	"handset/wav":         {},
	"handset/mediapath/...": {"handset/hal", "handset/mediapath/...",
		"handset/wav"},
	"handset/sipstack":    {"handset/hal"},
	"handset/callcontrol": {"handset/hal", "handset/dialplan", "handset/sipstack", "handset/mediapath/..."},
	"handset/console":     {"handset/hal", "handset/hal/sim"},
	"handset/provision":   {"handset/config", "handset/hal"},
	"handset/board/...":   {"handset/hal", "handset/config", "handset/board/...", "handset/mediapath/..."},
}

// thirdParty lists modules a package must never reach, even indirectly.
var thirdParty = map[string][]string{
	"handset/hal":         {"periph.io/", "github.com/yobert/", "github.com/emiago/", "github.com/pion/"},
	"handset/mediapath":   {"periph.io/", "github.com/yobert/", "github.com/emiago/"},
	"handset/sipstack":    {"periph.io/", "github.com/yobert/", "github.com/pion/"},
	"handset/callcontrol": {"periph.io/", "github.com/yobert/"},
}

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T, goarch string) []pkg {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-e", "-json", "./...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "GOARM=6", "CGO_ENABLED=0", "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list (%s): %v", goarch, err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func covers(pattern, path string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return pattern == path
}

func allowed(from, to string) (ok, ruled bool) {
	for pattern, allow := range rules {
		if !covers(pattern, from) {
			continue
		}
		ruled = true
		for _, a := range allow {
			if covers(a, to) {
				return true, true
			}
		}
	}
	return false, ruled
}

func TestImportRules(t *testing.T) {
	for _, arch := range []string{"amd64", "arm", "arm64"} {
		for _, p := range listPackages(t, arch) {
			for _, imp := range p.Imports {
				if !strings.HasPrefix(imp, "handset/") {
					continue
				}
				if strings.HasPrefix(imp, "handset/cmd/") {
					t.Errorf("%s (%s) imports %s: nothing imports a command", p.ImportPath, arch, imp)
				}
				ok, ruled := allowed(p.ImportPath, imp)
				if ruled && !ok && !strings.HasPrefix(imp, "handset/internal/") {
					t.Errorf("%s (%s) may not import %s (docs/ARCHITECTURE.md)", p.ImportPath, arch, imp)
				}
			}
			for prefix, bad := range thirdParty {
				if p.ImportPath != prefix {
					continue
				}
				for _, d := range p.Deps {
					for _, b := range bad {
						if strings.HasPrefix(d, b) {
							t.Errorf("%s (%s) reaches %s", p.ImportPath, arch, d)
						}
					}
				}
			}
		}
	}
}
