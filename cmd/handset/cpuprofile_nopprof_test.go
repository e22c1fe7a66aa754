//go:build !pprof

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCPUProfileNeedsTag(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.pprof")
	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"run", "--sim", "--config", filepath.Join(dir, "none.toml"), "--cpuprofile", prof},
		strings.NewReader(""), &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "-tags pprof") {
		t.Fatalf("exit %d, stderr %q; want %d and how to get a profiler", code, stderr.String(), exitUsage)
	}
	if _, err := os.Stat(prof); !os.IsNotExist(err) {
		t.Fatalf("profile file: %v, want none", err)
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"run", "-h"}, nil, &stdout, &stderr); code != exitOK ||
		!strings.Contains(stderr.String(), "needs a build with -tags pprof") {
		t.Fatalf("help (exit %d) does not say --cpuprofile needs -tags pprof:\n%s", code, stderr.String())
	}
}
