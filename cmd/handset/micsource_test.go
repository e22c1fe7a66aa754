package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"handset/wav"
)

func TestMicSource(t *testing.T) {
	dir := t.TempDir()
	wide := filepath.Join(dir, "wide.wav")
	f, err := os.Create(wide)
	if err != nil {
		t.Fatal(err)
	}
	w, err := wav.NewWriter(f, 16000, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]int16{100, 300, -50, -150}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	notWAV := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notWAV, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec     string
		rate     int
		first    []int16 // the first samples heard; nil: not checked
		closer   bool
		wantFail bool
	}{
		{spec: "silence", rate: 8000, first: []int16{0, 0}},
		{spec: "tone:440", rate: 8000},
		{spec: "tone:4000", wantFail: true},
		{spec: wide, rate: 16000, first: []int16{200, -100, 200}, closer: true},
		{spec: notWAV, wantFail: true},
		{spec: filepath.Join(dir, "none.wav"), wantFail: true},
	}
	for _, tc := range tests {
		src, rate, err := micSource(tc.spec, slog.New(slog.DiscardHandler))
		if (err != nil) != tc.wantFail {
			t.Fatalf("%s: err %v, want failure %v", tc.spec, err, tc.wantFail)
		}
		if err != nil {
			continue
		}
		if rate != tc.rate {
			t.Errorf("%s: rate %d, want %d", tc.spec, rate, tc.rate)
		}
		if tc.first != nil {
			got := make([]int16, len(tc.first))
			src.Fill(got)
			for i := range got {
				if got[i] != tc.first[i] {
					t.Errorf("%s: heard %v, want %v", tc.spec, got, tc.first)
					break
				}
			}
		}
		c, ok := src.(io.Closer)
		if ok != tc.closer {
			t.Errorf("%s: io.Closer %v, want %v", tc.spec, ok, tc.closer)
		}
		if ok {
			if err := c.Close(); err != nil {
				t.Errorf("%s: close: %v", tc.spec, err)
			}
		}
	}
}
