package wav

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Format tags of the fmt chunk.
const (
	formatPCM        = 0x0001
	formatExtensible = 0xFFFE
)

// pcmSubFormat is KSDATAFORMAT_SUBTYPE_PCM without its leading format tag:
// the GUID that WAVE_FORMAT_EXTENSIBLE files carry for integer PCM.
var pcmSubFormat = [14]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// maxFmtSize bounds the fmt chunk; real ones are 16, 18 or 40 bytes.
const maxFmtSize = 1024

// unknownSize is the data size streaming writers put in a header when they
// cannot seek back: the samples run to the end of the file.
const unknownSize = 0xFFFFFFFF

// Read parses a whole WAV file: 16-bit PCM (plain or
// WAVE_FORMAT_EXTENSIBLE) with one or two channels. Chunks other than fmt and
// data are skipped; reading stops after the data chunk. Samples come back
// interleaved.
func Read(r io.Reader) (samples []int16, rate, channels int, err error) {
	rate, channels, size, err := readHeader(r)
	if err != nil {
		return nil, 0, 0, err
	}
	if samples, err = readData(r, size, channels); err != nil {
		return nil, 0, 0, err
	}
	return samples, rate, channels, nil
}

// readHeader reads a WAV file up to its first sample: the RIFF header, the
// fmt chunk, the data chunk's header and any chunk between them. It returns
// the data chunk's size as written (unknownSize for a streamed file).
func readHeader(r io.Reader) (rate, channels int, size uint32, err error) {
	var riff [12]byte
	if _, err := io.ReadFull(r, riff[:]); err != nil {
		return 0, 0, 0, fmt.Errorf("wav: read header: %w", ErrNotWAV)
	}
	if string(riff[0:4]) != "RIFF" || string(riff[8:12]) != "WAVE" {
		return 0, 0, 0, fmt.Errorf("wav: header %q: %w", riff[:], ErrNotWAV)
	}
	haveFmt := false
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return 0, 0, 0, fmt.Errorf("wav: no data chunk: %w", ErrMalformed)
			}
			return 0, 0, 0, fmt.Errorf("wav: chunk header cut short: %w", ErrMalformed)
		}
		id := string(ch[0:4])
		size := binary.LittleEndian.Uint32(ch[4:])
		switch id {
		case "fmt ":
			if haveFmt {
				return 0, 0, 0, fmt.Errorf("wav: second fmt chunk: %w", ErrMalformed)
			}
			if rate, channels, err = readFmt(r, size); err != nil {
				return 0, 0, 0, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return 0, 0, 0, fmt.Errorf("wav: data chunk before fmt chunk: %w", ErrMalformed)
			}
			return rate, channels, size, nil
		default:
			if _, err := io.CopyN(io.Discard, r, int64(size)+int64(size&1)); err != nil {
				return 0, 0, 0, fmt.Errorf("wav: chunk %q cut short: %w", id, ErrMalformed)
			}
		}
	}
}

// readFmt parses a fmt chunk of size bytes (and its pad byte).
func readFmt(r io.Reader, size uint32) (rate, channels int, err error) {
	if size < 16 || size > maxFmtSize {
		return 0, 0, fmt.Errorf("wav: fmt chunk of %d bytes: %w", size, ErrMalformed)
	}
	b := make([]byte, size+size&1)
	if _, err := io.ReadFull(r, b); err != nil {
		return 0, 0, fmt.Errorf("wav: fmt chunk cut short: %w", ErrMalformed)
	}
	le := binary.LittleEndian
	tag := le.Uint16(b[0:])
	channels = int(le.Uint16(b[2:]))
	rate = int(le.Uint32(b[4:]))
	align := int(le.Uint16(b[12:]))
	bits := int(le.Uint16(b[14:]))
	switch tag {
	case formatPCM:
	case formatExtensible:
		// cbSize(2) validBits(2) channelMask(4) subFormat(16) follow the
		// 16 basic bytes.
		if size < 40 || le.Uint16(b[16:]) < 22 {
			return 0, 0, fmt.Errorf("wav: extensible fmt chunk of %d bytes: %w", size, ErrMalformed)
		}
		if sub := le.Uint16(b[24:]); sub != formatPCM || !bytes.Equal(b[26:40], pcmSubFormat[:]) {
			return 0, 0, fmt.Errorf("wav: extensible sub-format %#04x is not integer PCM: %w", sub, ErrUnsupported)
		}
	default:
		return 0, 0, fmt.Errorf("wav: format tag %#04x is not PCM: %w", tag, ErrUnsupported)
	}
	if bits != 16 {
		return 0, 0, fmt.Errorf("wav: %d bits per sample, want 16: %w", bits, ErrUnsupported)
	}
	if channels != 1 && channels != 2 {
		return 0, 0, fmt.Errorf("wav: %d channels, want 1 or 2: %w", channels, ErrUnsupported)
	}
	if rate == 0 {
		return 0, 0, fmt.Errorf("wav: sample rate 0: %w", ErrMalformed)
	}
	if align != 2*channels {
		return 0, 0, fmt.Errorf("wav: block align %d for %d channels of 16 bits: %w", align, channels, ErrMalformed)
	}
	return rate, channels, nil
}

// readData reads a data chunk of size bytes as interleaved samples.
func readData(r io.Reader, size uint32, channels int) ([]int16, error) {
	frame := 2 * channels
	var raw []byte
	var err error
	if size == unknownSize {
		// Streamed file: everything up to EOF, whole frames only.
		raw, err = io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("wav: read data: %w", err)
		}
		raw = raw[:len(raw)/frame*frame]
	} else {
		if err := checkFrames(size, frame); err != nil {
			return nil, err
		}
		// ReadAll grows with what actually arrives, so a lying size
		// cannot make us allocate gigabytes up front.
		raw, err = io.ReadAll(io.LimitReader(r, int64(size)))
		if err != nil {
			return nil, fmt.Errorf("wav: read data: %w", err)
		}
		if int64(len(raw)) < int64(size) {
			return nil, cutShort(int64(len(raw)), int64(size))
		}
	}
	samples := make([]int16, len(raw)/2)
	decode(samples, raw)
	return samples, nil
}

// checkFrames reports a data chunk of size bytes that does not hold whole
// frames of frame bytes.
func checkFrames(size uint32, frame int) error {
	if size%uint32(frame) != 0 {
		return fmt.Errorf("wav: data chunk of %d bytes is not whole %d-byte frames: %w", size, frame, ErrMalformed)
	}
	return nil
}

// cutShort reports a data chunk of which only got of its size bytes are
// there.
func cutShort(got, size int64) error {
	return fmt.Errorf("wav: data chunk cut short: %d of %d bytes: %w", got, size, ErrMalformed)
}

// decode turns little-endian 16-bit samples in raw into dst, as many as
// both hold.
func decode(dst []int16, raw []byte) {
	for i := range min(len(dst), len(raw)/2) {
		dst[i] = int16(binary.LittleEndian.Uint16(raw[2*i:]))
	}
}
