package testpeer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// RunWithHandset builds cmd/handset as it ships (static, stripped) into a
// temporary directory, runs tests with its path, removes it and returns
// tests' exit code. It is for TestMain: a package's end-to-end tests share
// one build.
func RunWithHandset(run func(bin string) int) int {
	dir, err := os.MkdirTemp("", "handset-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "handset")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "handset/cmd/handset")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building handset:", err)
		return 1
	}
	return run(bin)
}
