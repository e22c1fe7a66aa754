package wav

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// headerSize is the length of the canonical RIFF/WAVE header Writer emits:
//
//	offset size  field
//	 0      4    "RIFF"
//	 4      4    RIFF size = 36 + data size (little-endian)
//	 8      4    "WAVE"
//	12      4    "fmt "
//	16      4    16 (fmt chunk size)
//	20      2    1 (PCM)
//	22      2    channels
//	24      4    sample rate
//	28      4    byte rate = rate × block align
//	32      2    block align = channels × 2
//	34      2    16 (bits per sample)
//	36      4    "data"
//	40      4    data size in bytes
const headerSize = 44

// maxDataSize keeps the RIFF size (36 + data) within 32 bits.
const maxDataSize = math.MaxUint32 - (headerSize - 8)

// flushSize is how many bytes of samples Writer gathers before it writes
// them out: one write every couple of seconds of 8 kHz audio instead of one
// per 20 ms period.
const flushSize = 32 << 10

// Writer streams 16-bit PCM samples into a WAV file. It gathers samples and
// writes them in large blocks; Close writes the rest. It is not safe for
// concurrent use.
type Writer struct {
	w        io.WriteSeeker
	start    int64 // offset of the header in w
	channels int
	data     int64  // bytes of samples accepted, written or pending
	pending  []byte // encoded samples not yet written
	closed   bool
}

// NewWriter writes a WAV header for rate frames per second and channels (1
// or 2) at w's current offset. The header's sizes say "empty" until Close
// fixes them, so a file cut short by a crash still opens.
func NewWriter(w io.WriteSeeker, rate, channels int) (*Writer, error) {
	if w == nil {
		return nil, fmt.Errorf("wav: new writer: nil destination")
	}
	if rate <= 0 || rate > math.MaxUint32/4 {
		return nil, fmt.Errorf("wav: new writer: sample rate %d: %w", rate, ErrUnsupported)
	}
	if channels != 1 && channels != 2 {
		return nil, fmt.Errorf("wav: new writer: %d channels: %w", channels, ErrUnsupported)
	}
	start, err := w.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, fmt.Errorf("wav: new writer: %w", err)
	}
	var h [headerSize]byte
	le := binary.LittleEndian
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], headerSize-8)
	copy(h[8:], "WAVEfmt ")
	le.PutUint32(h[16:], 16)
	le.PutUint16(h[20:], formatPCM)
	le.PutUint16(h[22:], uint16(channels))
	le.PutUint32(h[24:], uint32(rate))
	le.PutUint32(h[28:], uint32(rate*channels*2))
	le.PutUint16(h[32:], uint16(channels*2))
	le.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	if _, err := w.Write(h[:]); err != nil {
		return nil, fmt.Errorf("wav: write header: %w", err)
	}
	return &Writer{w: w, start: start, channels: channels, pending: make([]byte, 0, flushSize)}, nil
}

// Write appends samples (interleaved, whole frames). It allocates nothing
// for writes up to the block size.
func (w *Writer) Write(samples []int16) error {
	if w.closed {
		return errClosed
	}
	if len(samples)%w.channels != 0 {
		return fmt.Errorf("wav: write: %d samples are not whole %d-channel frames", len(samples), w.channels)
	}
	n := 2 * len(samples)
	if w.data+int64(n) > maxDataSize {
		return fmt.Errorf("wav: write: %w", ErrTooLarge)
	}
	if len(w.pending)+n > cap(w.pending) {
		if err := w.flush(); err != nil {
			return err
		}
		if n > cap(w.pending) {
			w.pending = make([]byte, 0, n)
		}
	}
	b := w.pending[len(w.pending) : len(w.pending)+n]
	for i, s := range samples {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(s))
	}
	w.pending = w.pending[:len(w.pending)+n]
	w.data += int64(n)
	return nil
}

// flush writes the pending samples.
func (w *Writer) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	_, err := w.w.Write(w.pending)
	w.pending = w.pending[:0]
	if err != nil {
		return fmt.Errorf("wav: write: %w", err)
	}
	return nil
}

// Close writes the final RIFF and data sizes into the header and leaves w
// positioned after the samples. It does not close the destination. Calling
// Close again does nothing.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.flush(); err != nil {
		return err
	}
	if err := w.putSize(4, uint32(headerSize-8+w.data)); err != nil {
		return err
	}
	if err := w.putSize(40, uint32(w.data)); err != nil {
		return err
	}
	if _, err := w.w.Seek(w.start+headerSize+w.data, io.SeekStart); err != nil {
		return fmt.Errorf("wav: close: %w", err)
	}
	return nil
}

func (w *Writer) putSize(off int64, v uint32) error {
	if _, err := w.w.Seek(w.start+off, io.SeekStart); err != nil {
		return fmt.Errorf("wav: close: %w", err)
	}
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	if _, err := w.w.Write(b[:]); err != nil {
		return fmt.Errorf("wav: close: %w", err)
	}
	return nil
}
