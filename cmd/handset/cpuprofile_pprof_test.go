//go:build pprof

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestCPUProfile(t *testing.T) {
	prof := filepath.Join(t.TempDir(), "cpu.pprof")
	stop, err := startCPUProfile(prof)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) { // a profile is gzipped protobuf
		t.Fatalf("profile starts % x, want gzip", b[:min(len(b), 4)])
	}
	if _, err := startCPUProfile(filepath.Join(t.TempDir(), "none", "cpu.pprof")); err == nil {
		t.Fatal("profile into a missing directory accepted")
	}
}
