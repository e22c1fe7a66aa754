package wav

import (
	"fmt"
	"io"
)

// Stream reads the samples of a WAV file a piece at a time, so that a long
// recording never sits in memory whole. It needs a reader that can seek:
// NewStream checks that the whole data chunk is there, and Rewind goes back
// to its first sample.
type Stream struct {
	r        io.ReadSeeker
	rate     int
	channels int
	start    int64 // offset of the first sample in r
	size     int64 // bytes of samples: whole frames
	pos      int64 // bytes of samples read since start
	raw      [4096]byte
}

// NewStream reads the header of the WAV file in r, with the same checks as
// Read, and leaves r at the first sample. The data chunk must be there
// whole; a streamed file whose header gives no size runs to the end of r,
// whole frames only.
func NewStream(r io.ReadSeeker) (*Stream, error) {
	rate, channels, size, err := readHeader(r)
	if err != nil {
		return nil, err
	}
	s := &Stream{r: r, rate: rate, channels: channels}
	if s.start, err = r.Seek(0, io.SeekCurrent); err != nil {
		return nil, fmt.Errorf("wav: find the samples: %w", err)
	}
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("wav: find the end: %w", err)
	}
	frame := int64(2 * channels)
	there := max(0, end-s.start)
	if size == unknownSize {
		s.size = there / frame * frame
	} else {
		if err := checkFrames(size, int(frame)); err != nil {
			return nil, err
		}
		if int64(size) > there {
			return nil, cutShort(there, int64(size))
		}
		s.size = int64(size)
	}
	if err := s.Rewind(); err != nil {
		return nil, err
	}
	return s, nil
}

// Rate is the sample rate in Hz.
func (s *Stream) Rate() int { return s.rate }

// Channels is the number of channels: 1 or 2.
func (s *Stream) Channels() int { return s.channels }

// Frames is the number of frames (one sample per channel) in the data.
func (s *Stream) Frames() int64 { return s.size / int64(2*s.channels) }

// Read reads the next samples, interleaved, into dst: whole frames, as many
// as fit and are left. At the end of the data it returns 0 and io.EOF. If
// the file ends before its data chunk does (it was cut after NewStream),
// Read returns the whole frames it got and an error wrapping ErrMalformed;
// a failing reader's error comes back wrapped the same way. Read does not allocate.
func (s *Stream) Read(dst []int16) (int, error) {
	frame := 2 * s.channels
	want := min(int64(len(dst)/s.channels*frame), s.size-s.pos)
	if want == 0 && len(dst) >= s.channels {
		return 0, io.EOF
	}
	n := 0
	for int64(2*n) < want {
		got, err := io.ReadFull(s.r, s.raw[:min(int64(len(s.raw)), want-int64(2*n))])
		decode(dst[n:], s.raw[:got])
		n += got / 2
		s.pos += int64(got)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return n / s.channels * s.channels, cutShort(s.pos, s.size)
		}
		if err != nil {
			return n / s.channels * s.channels, fmt.Errorf("wav: read samples: %w", err)
		}
	}
	return n, nil
}

// Rewind goes back to the first sample.
func (s *Stream) Rewind() error {
	if _, err := s.r.Seek(s.start, io.SeekStart); err != nil {
		return fmt.Errorf("wav: back to the first sample: %w", err)
	}
	s.pos = 0
	return nil
}
