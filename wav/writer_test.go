package wav

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// memFile is an in-memory io.WriteSeeker.
type memFile struct {
	b   []byte
	off int64
}

func (m *memFile) Write(p []byte) (int, error) {
	end := m.off + int64(len(p))
	if end > int64(len(m.b)) {
		m.b = slices.Grow(m.b, int(end)-len(m.b))[:end]
	}
	copy(m.b[m.off:], p)
	m.off = end
	return len(p), nil
}

func (m *memFile) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += m.off
	case io.SeekEnd:
		off += int64(len(m.b))
	}
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	m.off = off
	return off, nil
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		rate     int
		channels int
		chunks   [][]int16
	}{
		{"mono", 8000, 1, [][]int16{{0, 1, -1, 32767, -32768}, {100, -100}}},
		{"stereo", 48000, 2, [][]int16{{1, 2, 3, 4}, {-5, 6}}},
		{"empty", 16000, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f memFile
			w, err := NewWriter(&f, tc.rate, tc.channels)
			if err != nil {
				t.Fatal(err)
			}
			var want []int16
			for _, c := range tc.chunks {
				if err := w.Write(c); err != nil {
					t.Fatal(err)
				}
				want = append(want, c...)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if got := int64(len(f.b)); got != headerSize+2*int64(len(want)) || f.off != got {
				t.Fatalf("file is %d bytes, offset %d; want %d", got, f.off, headerSize+2*len(want))
			}
			if riff := binary.LittleEndian.Uint32(f.b[4:]); riff != uint32(len(f.b)-8) {
				t.Errorf("RIFF size %d, want %d", riff, len(f.b)-8)
			}
			got, rate, ch, err := Read(bytes.NewReader(f.b))
			if err != nil {
				t.Fatal(err)
			}
			if rate != tc.rate || ch != tc.channels {
				t.Errorf("got %d Hz %d ch, want %d Hz %d ch", rate, ch, tc.rate, tc.channels)
			}
			if len(got) != len(want) {
				t.Fatalf("got %d samples, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("sample %d: got %d, want %d", i, got[i], want[i])
				}
			}
		})
	}
}

func TestWriterToFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := NewWriter(f, 8000, 1)
	if err != nil {
		t.Fatal(err)
	}
	frame := make([]int16, 160)
	for i := range frame {
		frame[i] = int16(i * 100)
	}
	for i := 0; i < 50; i++ {
		if err := w.Write(frame); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := w.Write(frame); err == nil {
		t.Fatal("Write after Close succeeded")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _, _, err := Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 50*160 || got[159] != 15900 {
		t.Fatalf("got %d samples, last of first frame %d", len(got), got[159])
	}
}

func TestWriterAfterCrashStillReads(t *testing.T) {
	var f memFile
	w, err := NewWriter(&f, 8000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]int16{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	// No Close: the header still says "no samples", which is valid.
	got, rate, _, err := Read(bytes.NewReader(f.b))
	if err != nil || rate != 8000 || len(got) != 0 {
		t.Fatalf("got %d samples, %d Hz, %v", len(got), rate, err)
	}
}

func TestNewWriterRejects(t *testing.T) {
	tests := []struct {
		name     string
		rate, ch int
	}{
		{"zero rate", 0, 1},
		{"negative rate", -8000, 1},
		{"no channels", 8000, 0},
		{"three channels", 8000, 3},
	}
	for _, tc := range tests {
		if _, err := NewWriter(&memFile{}, tc.rate, tc.ch); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err %v, want ErrUnsupported", tc.name, err)
		}
	}
	if _, err := NewWriter(nil, 8000, 1); err == nil {
		t.Error("nil destination accepted")
	}
}

func TestWritePartialFrame(t *testing.T) {
	w, err := NewWriter(&memFile{}, 8000, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]int16{1, 2, 3}); err == nil {
		t.Fatal("odd sample count accepted for stereo")
	}
}

func TestWriteAllocs(t *testing.T) {
	w, err := NewWriter(&memFile{b: make([]byte, 0, 1<<20)}, 8000, 1)
	if err != nil {
		t.Fatal(err)
	}
	frame := make([]int16, 160)
	if err := w.Write(frame); err != nil { // warm-up sizes the buffer
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() {
		if err := w.Write(frame); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("Write allocates %v times per call", n)
	}
}
