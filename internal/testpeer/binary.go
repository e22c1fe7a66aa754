package testpeer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RequirePeersEnv names the environment variable that turns a missing peer
// program from a skipped test into a failed one: set it to "1" where the
// peers must run (CI).
const RequirePeersEnv = "HANDSET_REQUIRE_PEERS"

// lookBinary finds a program on $PATH, then in the sbin directories, where
// Debian puts kamailio but an ordinary user's PATH does not reach.
func lookBinary(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err == nil {
		return path, nil
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin"} {
		candidate := filepath.Join(dir, name)
		if st, statErr := os.Stat(candidate); statErr == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return candidate, nil
		}
	}
	return "", fmt.Errorf("look up %s: %w", name, err)
}

// requireBinary returns the path of a peer program. When it is missing the
// test is skipped, or fails if RequirePeersEnv is "1".
func requireBinary(t testing.TB, name, debPackage string) string {
	t.Helper()
	path, err := lookBinary(name)
	if err == nil {
		return path
	}
	if os.Getenv(RequirePeersEnv) == "1" {
		t.Fatalf("testpeer: %s is not installed (Debian package %s) and %s=1: %v", name, debPackage, RequirePeersEnv, err)
		return ""
	}
	t.Skipf("testpeer: %s is not installed (Debian package %s); skipping (set %s=1 to fail instead)", name, debPackage, RequirePeersEnv)
	return ""
}
