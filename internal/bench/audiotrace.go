package bench

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AudioTrace is what handset --audio-trace wrote: when the simulated
// microphone heard each period and when the simulated earpiece plays each.
type AudioTrace struct {
	Rate    int // the card's sample rate
	capture []tracePoint
	play    []tracePoint
}

// tracePoint: frame Frame (the first of a period) at At.
type tracePoint struct {
	Frame int64
	At    time.Time
}

// ReadAudioTrace parses a trace of a card running at rate.
func ReadAudioTrace(r io.Reader, rate int) (*AudioTrace, error) {
	if rate <= 0 {
		return nil, fmt.Errorf("%w: rate %d", ErrBadTrace, rate)
	}
	t := &AudioTrace{Rate: rate}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			return nil, fmt.Errorf("%w: line %d: %q", ErrBadTrace, n, sc.Text())
		}
		frame, err1 := strconv.ParseInt(f[1], 10, 64)
		ns, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil || frame < 0 {
			return nil, fmt.Errorf("%w: line %d: %q", ErrBadTrace, n, sc.Text())
		}
		p := tracePoint{frame, time.Unix(0, ns)}
		switch f[0] {
		case "c":
			t.capture = append(t.capture, p)
		case "p":
			t.play = append(t.play, p)
		default:
			return nil, fmt.Errorf("%w: line %d: kind %q", ErrBadTrace, n, f[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadTrace, err)
	}
	for _, s := range [][]tracePoint{t.capture, t.play} {
		sort.Slice(s, func(i, j int) bool { return s[i].Frame < s[j].Frame })
	}
	return t, nil
}

// Heard returns when the microphone heard frame; false outside the trace.
func (t *AudioTrace) Heard(frame int64) (time.Time, bool) { return t.at(t.capture, frame) }

// Plays returns when speaker frame starts playing; false outside the
// trace.
func (t *AudioTrace) Plays(frame int64) (time.Time, bool) { return t.at(t.play, frame) }

// Captured returns the number of microphone frames the trace covers.
func (t *AudioTrace) Captured() int64 {
	if len(t.capture) == 0 {
		return 0
	}
	return t.capture[len(t.capture)-1].Frame + int64(t.Rate/50)
}

// at finds the report holding frame and adds frame's offset in it. A
// report covers the frames up to the next one: a capture period, or what
// one playback write held (a period, a little more or less while the
// playback lead moves, or the silence that primes the card). The last
// report covers one period.
func (t *AudioTrace) at(points []tracePoint, frame int64) (time.Time, bool) {
	i := sort.Search(len(points), func(i int) bool { return points[i].Frame > frame }) - 1
	if i < 0 {
		return time.Time{}, false
	}
	p := points[i]
	off := frame - p.Frame
	if i+1 == len(points) && off >= int64(t.Rate/50) {
		return time.Time{}, false
	}
	return p.At.Add(time.Duration(off) * time.Second / time.Duration(t.Rate)), true
}
