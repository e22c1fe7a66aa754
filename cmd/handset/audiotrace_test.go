package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestAudioTrace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace")
	tr, err := newAudioTrace(path)
	if err != nil {
		t.Fatal(err)
	}
	tr.captured(0, time.Unix(0, 1500))
	tr.played(160, time.Unix(2, 7))
	if n := testing.AllocsPerRun(100, func() { tr.captured(320, time.Unix(3, 0)) }); n != 0 {
		t.Errorf("a trace line allocates %v times", n)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const head = "c 0 1500\np 160 2000000007\nc 320 3000000000\n"
	if len(b) < len(head) || string(b[:len(head)]) != head {
		t.Errorf("trace starts %q, want %q", b[:min(len(b), len(head))], head)
	}
	if _, err := newAudioTrace(filepath.Join(t.TempDir(), "no", "such", "dir")); err == nil {
		t.Error("a trace in a missing directory was created")
	}
}
