package sim

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"handset/wav"
)

// writeMic writes samples (interleaved) as a WAV file and returns its path
// and size in bytes.
func writeMic(t *testing.T, rate, channels int, samples []int16) (string, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mic.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := wav.NewWriter(f, rate, channels)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(samples); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, st.Size()
}

// ramp is n samples that differ from each other.
func ramp(n int) []int16 {
	s := make([]int16, n)
	for i := range s {
		s[i] = int16(i*7919 - 30000)
	}
	return s
}

// logLines is a logger that keeps what it was told.
func logLines() (*slog.Logger, *strings.Builder) {
	var b strings.Builder
	return slog.New(slog.NewTextHandler(&b, nil)), &b
}

func openMic(t *testing.T, path string, log *slog.Logger) *WAVFileSource {
	t.Helper()
	s, err := OpenWAVFile(path, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestWAVFilePlaysWhatWAVSourcePlays(t *testing.T) {
	tests := []struct {
		name           string
		rate, channels int
		samples        []int16
	}{
		{"mono, shorter than a second", 8000, 1, ramp(300)},
		// A rate of 100 Hz makes the reading buffer (a second) 100
		// frames: the file takes several refills.
		{"mono, several seconds", 100, 1, ramp(250)},
		{"stereo averaged, several seconds", 100, 2, ramp(2 * 333)},
		{"one frame", 8000, 2, []int16{-5, 8}},
	}
	log, logged := logLines()
	for _, tc := range tests {
		for _, period := range []int{1, 7, 160} {
			file := openMic(t, writeMicPath(t, tc.rate, tc.channels, tc.samples), log)
			if file.Rate() != tc.rate {
				t.Fatalf("%s: rate %d, want %d", tc.name, file.Rate(), tc.rate)
			}
			mem := NewWAVSource(tc.samples, tc.channels)
			got, want := make([]int16, period), make([]int16, period)
			for i := 0; i < 3*len(tc.samples)+period; i += period { // round the loop thrice
				file.Fill(got)
				mem.Fill(want)
				if !slices.Equal(got, want) {
					t.Fatalf("%s, periods of %d, at %d: got %v, want %v", tc.name, period, i, got, want)
				}
			}
		}
	}
	if logged.Len() != 0 {
		t.Errorf("logged %q", logged.String())
	}
}

func writeMicPath(t *testing.T, rate, channels int, samples []int16) string {
	t.Helper()
	path, _ := writeMic(t, rate, channels, samples)
	return path
}

func TestWAVFileEmptyIsSilence(t *testing.T) {
	log, logged := logLines()
	s := openMic(t, writeMicPath(t, 8000, 1, nil), log)
	buf := []int16{1, 2, 3}
	s.Fill(buf)
	if !slices.Equal(buf, []int16{0, 0, 0}) || logged.Len() != 0 {
		t.Fatalf("got %v, logged %q", buf, logged.String())
	}
}

func TestOpenWAVFileRejects(t *testing.T) {
	dir := t.TempDir()
	notWAV := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notWAV, []byte("not a recording"), 0o600); err != nil {
		t.Fatal(err)
	}
	cut, size := writeMic(t, 8000, 1, ramp(100))
	if err := os.Truncate(cut, size-10); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		want       error
	}{
		{"missing", filepath.Join(dir, "none.wav"), os.ErrNotExist},
		{"not WAV", notWAV, wav.ErrNotWAV},
		{"cut short", cut, wav.ErrMalformed},
	}
	for _, tc := range tests {
		_, err := OpenWAVFile(tc.path, slog.New(slog.DiscardHandler))
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), "microphone") {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestWAVFileCutDuringTheCall(t *testing.T) {
	samples := ramp(250)
	path, size := writeMic(t, 100, 1, samples)
	log, logged := logLines()
	s := openMic(t, path, log)
	buf := make([]int16, 60)
	s.Fill(buf) // reads the first second (100 samples), plays 60
	if err := os.Truncate(path, size-2*250+2*130); err != nil {
		t.Fatal(err) // 130 samples left in the file
	}
	s.Fill(buf) // 40 from the first second, then 30 before the cut
	want := append(slices.Clone(samples[60:130]), make([]int16, 50)...)
	got := slices.Clone(buf)
	s.Fill(buf)
	got = append(got, buf...)
	if !slices.Equal(got, want) {
		t.Fatalf("around the cut got %v, want %v", got, want)
	}
	for range 10 {
		s.Fill(buf)
	}
	if n := strings.Count(logged.String(), "\n"); n != 1 || !strings.Contains(logged.String(), "cut short") {
		t.Fatalf("logged %d lines, want 1 about the cut: %q", n, logged.String())
	}
	if slices.ContainsFunc(buf, func(v int16) bool { return v != 0 }) {
		t.Fatalf("after the cut got %v, want silence", buf)
	}
}

// brokenFile fails every Read once broken is set.
type brokenFile struct {
	*bytes.Reader
	broken bool
}

func (b *brokenFile) Read(p []byte) (int, error) {
	if b.broken {
		return 0, errors.New("input/output error")
	}
	return b.Reader.Read(p)
}

func (*brokenFile) Close() error { return nil }

func TestWAVFileReadErrorIsLoggedOnce(t *testing.T) {
	path := writeMicPath(t, 100, 2, ramp(2*250))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := &brokenFile{Reader: bytes.NewReader(b)}
	log, logged := logLines()
	s, err := newWAVFileSource(f, "mic.wav", log)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 160)
	s.Fill(buf) // 100 frames read, then the error
	f.broken = true
	s.Fill(buf)
	s.Fill(buf)
	if strings.Count(logged.String(), "\n") != 1 || !strings.Contains(logged.String(), "input/output error") {
		t.Fatalf("logged %q, want the error once", logged.String())
	}
	if slices.ContainsFunc(buf, func(v int16) bool { return v != 0 }) {
		t.Fatalf("after the error got %v, want silence", buf)
	}
}

func TestWAVFileClose(t *testing.T) {
	log, logged := logLines()
	s, err := OpenWAVFile(writeMicPath(t, 8000, 1, ramp(300)), log)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 160)
	s.Fill(buf)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	s.Fill(buf)
	if slices.ContainsFunc(buf, func(v int16) bool { return v != 0 }) || logged.Len() != 0 {
		t.Fatalf("after Close got %v, logged %q", buf, logged.String())
	}
}
