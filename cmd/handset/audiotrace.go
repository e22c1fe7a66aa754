package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// audioTrace writes when the simulated sound card heard and plays each
// period, one line per period, for measuring the phone's latency
// (scripts/bench):
//
//	c FRAME UNIXNANO   the microphone heard frame FRAME at UNIXNANO
//	p FRAME UNIXNANO   speaker frame FRAME starts playing at UNIXNANO
//
// Frames count from the card's start: microphone frames over the --mic
// signal, speaker frames over the --speaker recording. Writing a line
// allocates nothing; the file is written in large buffered chunks.
type audioTrace struct {
	mu   sync.Mutex
	file *os.File
	w    *bufio.Writer
	line []byte
	err  error
}

// newAudioTrace creates the trace file at path.
func newAudioTrace(path string) (*audioTrace, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("audio trace: %w", err)
	}
	return &audioTrace{file: f, w: bufio.NewWriterSize(f, 64<<10), line: make([]byte, 0, 64)}, nil
}

// captured is the card's OnCapture hook.
func (t *audioTrace) captured(frame int64, at time.Time) { t.add('c', frame, at) }

// played is the card's OnPlay hook.
func (t *audioTrace) played(frame int64, at time.Time) { t.add('p', frame, at) }

func (t *audioTrace) add(kind byte, frame int64, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err != nil {
		return
	}
	b := append(t.line[:0], kind, ' ')
	b = strconv.AppendInt(b, frame, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, at.UnixNano(), 10)
	t.line = append(b, '\n')
	if _, err := t.w.Write(t.line); err != nil {
		t.err = fmt.Errorf("audio trace: %w", err)
	}
}

// Close writes what is buffered and closes the file; it returns the first
// error the trace met.
func (t *audioTrace) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	err := errors.Join(t.err, t.w.Flush(), t.file.Close())
	if err != nil {
		return fmt.Errorf("audio trace: %w", err)
	}
	return nil
}
