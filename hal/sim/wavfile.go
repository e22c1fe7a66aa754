package sim

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	"handset/wav"
)

// WAVFileSource is a Source that plays a WAV file in a loop, read from the
// file a second at a time: a long recording never sits in memory whole.
// It plays the same samples as NewWAVSource given the whole file.
type WAVFileSource struct {
	log  *slog.Logger
	name string // for the log

	mu       sync.Mutex // Fill runs in the pump, Close in whoever stops it
	file     io.ReadSeekCloser
	stream   *wav.Stream
	channels int
	buf      []int16 // the reading buffer: up to a second, mixed down in place
	mono     []int16 // what is left to play of buf
	silent   bool    // empty, failed or closed: zeros from now on
}

// OpenWAVFile opens a 16-bit PCM WAV file (see wav.NewStream for what it
// accepts) as the microphone. The samples are not resampled: the card must
// run at Rate. Two channels are averaged to mono. A file that cannot be
// read any more during the call (cut short, an I/O error) is logged once to
// log and the microphone is silent from then on. Close the source when the
// card no longer reads it.
func OpenWAVFile(path string, log *slog.Logger) (*WAVFileSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sim: microphone: %w", err)
	}
	s, err := newWAVFileSource(f, path, log)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// newWAVFileSource plays the WAV file in file, named name in the log.
func newWAVFileSource(file io.ReadSeekCloser, name string, log *slog.Logger) (*WAVFileSource, error) {
	stream, err := wav.NewStream(file)
	if err != nil {
		return nil, fmt.Errorf("sim: microphone %s: %w", name, err)
	}
	s := &WAVFileSource{log: log, name: name, file: file, stream: stream, channels: stream.Channels()}
	frames := min(int64(stream.Rate()), stream.Frames())
	s.buf = make([]int16, frames*int64(s.channels))
	s.silent = frames == 0
	return s, nil
}

// Rate is the file's sample rate in Hz.
func (s *WAVFileSource) Rate() int { return s.stream.Rate() }

// Fill implements Source.
func (s *WAVFileSource) Fill(buf []int16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(buf) > 0 {
		if len(s.mono) == 0 && !s.refill() {
			clear(buf)
			return
		}
		n := copy(buf, s.mono)
		buf, s.mono = buf[n:], s.mono[n:]
	}
}

// refill reads the next part of the file into the reading buffer, from the
// start again after the end. It reports false when there is nothing more
// to play.
func (s *WAVFileSource) refill() bool {
	if s.silent {
		return false
	}
	n, err := s.stream.Read(s.buf)
	if err == io.EOF {
		if err = s.stream.Rewind(); err == nil {
			n, err = s.stream.Read(s.buf)
		}
	}
	if err != nil {
		s.silent = true
		s.log.Error("microphone file unreadable: silence from now on", "file", s.name, "err", err)
	}
	frames := n / s.channels
	mixDown(s.buf[:frames], s.buf[:n], s.channels)
	s.mono = s.buf[:frames]
	return frames > 0
}

// Close closes the file; the source is silent from then on.
func (s *WAVFileSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil {
		return nil
	}
	s.silent, s.mono = true, nil
	err := s.file.Close()
	s.file = nil
	if err != nil {
		return fmt.Errorf("sim: close microphone %s: %w", s.name, err)
	}
	return nil
}
