package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The shipped binary leaves runtime/pprof (and what it drags in) out; a
// build with -tags pprof has it for --cpuprofile.
func TestProfilerLinkedOnlyWithTag(t *testing.T) {
	for _, tc := range []struct {
		tags string
		want bool
	}{{"", false}, {"pprof", true}} {
		out, err := exec.Command("go", "list", "-tags", tc.tags, "-deps", ".").Output()
		if err != nil {
			t.Fatalf("go list -tags %q: %v", tc.tags, err)
		}
		if got := slices.Contains(strings.Fields(string(out)), "runtime/pprof"); got != tc.want {
			t.Errorf("-tags %q: runtime/pprof linked %v, want %v", tc.tags, got, tc.want)
		}
	}
}
