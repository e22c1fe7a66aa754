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

// readAll reads a stream to its end in pieces of piece samples.
func readAll(s *Stream, piece int) ([]int16, error) {
	var all []int16
	buf := make([]int16, piece)
	for {
		n, err := s.Read(buf)
		all = append(all, buf[:n]...)
		if err == io.EOF {
			return all, nil
		}
		if err != nil {
			return all, err
		}
		if n == 0 {
			return all, errors.New("Read returned nothing and no error")
		}
	}
}

// bigFile is a stereo file longer than a Stream's reading buffer.
func bigFile(frames int) ([]byte, []int16) {
	want := make([]int16, 2*frames)
	var data []byte
	for i := range want {
		want[i] = int16(i*37 - 20000)
		data = binary.LittleEndian.AppendUint16(data, uint16(want[i]))
	}
	return wavBytes(chunk("LIST", []byte("INFO")), chunk("fmt ", fmtBody(1, 2, 16000, 16)), chunk("data", data)), want
}

func TestStreamReadsWhatReadReads(t *testing.T) {
	files := goodFiles()
	big, want := bigFile(3000)
	files = append(files, goodFile{"longer than the reading buffer", big, 2, want})
	for _, tc := range files {
		for _, piece := range []int{2, 3, 160, 4096} {
			s, err := NewStream(bytes.NewReader(tc.file))
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if s.Channels() != tc.channels || s.Frames() != int64(len(tc.want)/tc.channels) {
				t.Fatalf("%s: %d channels %d frames, want %d and %d", tc.name, s.Channels(), s.Frames(), tc.channels, len(tc.want)/tc.channels)
			}
			for pass := range 2 { // and again after Rewind
				got, err := readAll(s, piece)
				if err != nil {
					t.Fatalf("%s, pieces of %d, pass %d: %v", tc.name, piece, pass, err)
				}
				if !slices.Equal(got, tc.want) {
					t.Fatalf("%s, pieces of %d, pass %d: %d samples differ from Read's %d", tc.name, piece, pass, len(got), len(tc.want))
				}
				if err := s.Rewind(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

func TestStreamRejects(t *testing.T) {
	for _, tc := range badFiles() {
		if _, err := NewStream(bytes.NewReader(tc.file)); !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
}

// failingReader fails every Read with errDisk once fail is set.
type failingReader struct {
	*bytes.Reader
	fail bool
}

var errDisk = errors.New("input/output error")

func (f *failingReader) Read(b []byte) (int, error) {
	if f.fail {
		return 0, errDisk
	}
	return f.Reader.Read(b)
}

func TestStreamFileBrokenAfterOpen(t *testing.T) {
	file, want := bigFile(3000)
	path := filepath.Join(t.TempDir(), "mic.wav")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := NewStream(f)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 1000)
	if n, err := s.Read(buf); n != len(buf) || err != nil {
		t.Fatalf("first read: %d, %v", n, err)
	}
	// Cut the file in the middle of a frame of the next read.
	if err := os.Truncate(path, int64(len(file)-2*len(want)+2*1500+2)); err != nil {
		t.Fatal(err)
	}
	n, err := s.Read(buf)
	if n != 500 || !errors.Is(err, ErrMalformed) {
		t.Fatalf("read across the cut: %d samples, %v; want 500 and ErrMalformed", n, err)
	}
	if !slices.Equal(buf[:n], want[1000:1500]) {
		t.Fatal("the samples before the cut differ")
	}

	r := &failingReader{Reader: bytes.NewReader(file)}
	if s, err = NewStream(r); err != nil {
		t.Fatal(err)
	}
	r.fail = true
	if n, err := s.Read(buf); n != 0 || !errors.Is(err, errDisk) {
		t.Fatalf("failing reader: %d samples, %v", n, err)
	}
}

func TestStreamReadDoesNotAllocate(t *testing.T) {
	file, _ := bigFile(3000)
	s, err := NewStream(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 2000)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := s.Read(buf); err == io.EOF {
			s.Rewind()
		}
	})
	if allocs != 0 {
		t.Fatalf("Read allocates %v times", allocs)
	}
}

func FuzzStream(f *testing.F) {
	f.Add(wavBytes(chunk("fmt ", fmtBody(1, 1, 8000, 16)), chunk("data", []byte{1, 0})))
	f.Add(wavBytes(chunk("fmt ", extensibleBody(2, 1)), chunkSized("data", unknownSize, []byte{1, 0, 2, 0, 3})))
	f.Fuzz(func(t *testing.T, b []byte) {
		want, _, _, readErr := Read(bytes.NewReader(b))
		s, err := NewStream(bytes.NewReader(b))
		if (err == nil) != (readErr == nil) {
			t.Fatalf("NewStream: %v; Read: %v", err, readErr)
		}
		if err != nil {
			return
		}
		got, err := readAll(s, 7)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("stream read %d samples (%v), Read %d", len(got), err, len(want))
		}
	})
}
