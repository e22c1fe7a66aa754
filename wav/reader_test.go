package wav

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// wavBytes builds a file from its chunks after the RIFF/WAVE header.
func wavBytes(chunks ...[]byte) []byte {
	body := []byte("WAVE")
	for _, c := range chunks {
		body = append(body, c...)
	}
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(len(body)))
	return append(out, body...)
}

func chunk(id string, data []byte) []byte {
	out := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	out = append(out, data...)
	if len(data)%2 == 1 {
		out = append(out, 0)
	}
	return out
}

// chunkSized is a chunk whose header claims size regardless of data.
func chunkSized(id string, size uint32, data []byte) []byte {
	out := append([]byte(id), binary.LittleEndian.AppendUint32(nil, size)...)
	return append(out, data...)
}

func fmtBody(tag, channels uint16, rate uint32, bits uint16) []byte {
	le := binary.LittleEndian
	align := channels * bits / 8
	b := le.AppendUint16(nil, tag)
	b = le.AppendUint16(b, channels)
	b = le.AppendUint32(b, rate)
	b = le.AppendUint32(b, rate*uint32(align))
	b = le.AppendUint16(b, align)
	return le.AppendUint16(b, bits)
}

func extensibleBody(channels uint16, sub uint16) []byte {
	le := binary.LittleEndian
	b := fmtBody(formatExtensible, channels, 8000, 16)
	b = le.AppendUint16(b, 22)  // cbSize
	b = le.AppendUint16(b, 16)  // valid bits
	b = le.AppendUint32(b, 0)   // channel mask
	b = le.AppendUint16(b, sub) // sub-format tag
	return append(b, pcmSubFormat[:]...)
}

// goodFile is a WAV file Read and NewStream accept, with what it holds.
type goodFile struct {
	name     string
	file     []byte
	channels int
	want     []int16
}

func goodFiles() []goodFile {
	samples := []byte{1, 0, 2, 0, 0xff, 0xff, 0, 0x80}
	want := []int16{1, 2, -1, -32768}
	return []goodFile{
		{"plain mono", wavBytes(chunk("fmt ", fmtBody(1, 1, 8000, 16)), chunk("data", samples)), 1, want},
		{"stereo", wavBytes(chunk("fmt ", fmtBody(1, 2, 8000, 16)), chunk("data", samples)), 2, want},
		{"unknown chunks skipped, odd size padded", wavBytes(
			chunk("LIST", []byte("INFOabc")), chunk("fmt ", fmtBody(1, 1, 8000, 16)),
			chunk("fact", []byte{4, 0, 0, 0}), chunk("data", samples), chunk("junk", []byte{1})), 1, want},
		{"fmt with cbSize", wavBytes(chunk("fmt ", append(fmtBody(1, 1, 8000, 16), 0, 0)), chunk("data", samples)), 1, want},
		{"extensible PCM", wavBytes(chunk("fmt ", extensibleBody(1, 1)), chunk("data", samples)), 1, want},
		{"streamed, size unknown", wavBytes(chunk("fmt ", fmtBody(1, 1, 8000, 16)), chunkSized("data", unknownSize, append(samples, 7))), 1, want},
		{"streamed stereo, half a frame dropped", wavBytes(chunk("fmt ", fmtBody(1, 2, 8000, 16)), chunkSized("data", unknownSize, append(samples, 7, 0))), 2, want},
	}
}

func TestReadAccepts(t *testing.T) {
	for _, tc := range goodFiles() {
		got, rate, ch, err := Read(bytes.NewReader(tc.file))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if rate != 8000 || ch != tc.channels || len(got) != len(tc.want) {
			t.Errorf("%s: %d Hz %d ch %d samples", tc.name, rate, ch, len(got))
			continue
		}
		for i := range tc.want {
			if got[i] != tc.want[i] {
				t.Errorf("%s: sample %d = %d, want %d", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}

// badFile is a WAV file Read and NewStream reject, with the error.
type badFile struct {
	name string
	file []byte
	want error
}

func badFiles() []badFile {
	good := chunk("fmt ", fmtBody(1, 1, 8000, 16))
	data := chunk("data", []byte{1, 0, 2, 0})
	return []badFile{
		{"empty", nil, ErrNotWAV},
		{"short", []byte("RIFF"), ErrNotWAV},
		{"not RIFF", append([]byte("RIFX\x00\x00\x00\x00WAVE"), good...), ErrNotWAV},
		{"not WAVE", append([]byte("RIFF\x00\x00\x00\x00AVI "), good...), ErrNotWAV},
		{"no chunks", wavBytes(), ErrMalformed},
		{"no data", wavBytes(good), ErrMalformed},
		{"data before fmt", wavBytes(data, good), ErrMalformed},
		{"two fmt", wavBytes(good, good, data), ErrMalformed},
		{"fmt too short", wavBytes(chunk("fmt ", make([]byte, 14)), data), ErrMalformed},
		{"fmt huge", wavBytes(chunkSized("fmt ", 1<<20, nil)), ErrMalformed},
		{"fmt cut short", wavBytes(chunkSized("fmt ", 16, make([]byte, 8))), ErrMalformed},
		{"8-bit", wavBytes(chunk("fmt ", fmtBody(1, 1, 8000, 8)), data), ErrUnsupported},
		{"24-bit", wavBytes(chunk("fmt ", fmtBody(1, 1, 8000, 24)), data), ErrUnsupported},
		{"float", wavBytes(chunk("fmt ", fmtBody(3, 1, 8000, 32)), data), ErrUnsupported},
		{"mu-law", wavBytes(chunk("fmt ", fmtBody(7, 1, 8000, 8)), data), ErrUnsupported},
		{"3 channels", wavBytes(chunk("fmt ", fmtBody(1, 3, 8000, 16)), data), ErrUnsupported},
		{"0 channels", wavBytes(chunk("fmt ", fmtBody(1, 0, 8000, 16)), data), ErrUnsupported},
		{"rate 0", wavBytes(chunk("fmt ", fmtBody(1, 1, 0, 16)), data), ErrMalformed},
		{"bad block align", wavBytes(chunk("fmt ", func() []byte {
			b := fmtBody(1, 1, 8000, 16)
			b[12] = 4
			return b
		}()), data), ErrMalformed},
		{"extensible float", wavBytes(chunk("fmt ", extensibleBody(1, 3)), data), ErrUnsupported},
		{"extensible too short", wavBytes(chunk("fmt ", fmtBody(formatExtensible, 1, 8000, 16)), data), ErrMalformed},
		{"data cut short", wavBytes(good, chunkSized("data", 100, []byte{1, 0})), ErrMalformed},
		{"data half a frame", wavBytes(chunk("fmt ", fmtBody(1, 2, 8000, 16)), chunk("data", []byte{1, 0})), ErrMalformed},
		{"unknown chunk cut short", wavBytes(good, chunkSized("LIST", 50, []byte("abc"))), ErrMalformed},
		{"chunk header cut short", append(wavBytes(good), 'd', 'a'), ErrMalformed},
	}
}

func TestReadRejects(t *testing.T) {
	for _, tc := range badFiles() {
		_, _, _, err := Read(bytes.NewReader(tc.file))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(wavBytes(chunk("fmt ", fmtBody(1, 1, 8000, 16)), chunk("data", []byte{1, 0})))
	f.Add(wavBytes(chunk("fmt ", extensibleBody(2, 1)), chunk("data", []byte{1, 0, 2, 0})))
	f.Fuzz(func(t *testing.T, b []byte) {
		samples, rate, ch, err := Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		if rate <= 0 || (ch != 1 && ch != 2) || len(samples)%ch != 0 {
			t.Fatalf("accepted %d Hz %d ch %d samples", rate, ch, len(samples))
		}
	})
}
