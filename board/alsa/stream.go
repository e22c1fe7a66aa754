package alsa

import (
	"fmt"
	"log/slog"

	"handset/hal"
)

// stream is an open duplex stream: hal.PCM over a playback and a capture
// device that share a rate, a period and a buffer size. It belongs to one
// goroutine (the audio pump) and is not safe for concurrent use.
type stream struct {
	devs   [2]pcmDevice
	names  [2]string
	g      granted
	f      hal.PCMFormat
	onXrun func(device string)
	log    *slog.Logger

	// ring holds one ring of each device's frames in its own layout:
	// capture is primed with a whole one and read a period at a time;
	// playback converts each Write into it and is padded from it (zeroed).
	ring    [2][]byte
	playing bool // playback started: written to since the last start
	closed  bool
	down    bool // devices closed by a failed Recover
}

var _ hal.PCM = (*stream)(nil)

// newStream makes the buffers of a stream on negotiated devices. The
// buffers are allocated here, once: every transfer hands the kernel an
// address inside them, so they must stay put for the stream's life.
func newStream(devs [2]pcmDevice, names [2]string, g granted, onXrun func(string), log *slog.Logger) *stream {
	s := &stream{devs: devs, names: names, g: g, f: g.format(), onXrun: onXrun, log: log}
	for d := range s.ring {
		s.ring[d] = make([]byte, g.buffer()*g.frameBytes(Direction(d)))
	}
	return s
}

// start prepares both devices and starts capture. yobert/alsa sets the
// capture start threshold to the buffer size, so capture starts only on a
// read of a whole buffer: read here and dropped, which leaves the ring
// empty, so each Read afterwards returns as soon as the next period is
// captured. Playback starts empty with the first Write (see Write).
func (s *stream) start() error {
	s.playing = false
	for d, dev := range s.devs {
		if err := dev.prepare(s.g.buffer()); err != nil {
			return deviceError("prepare", s.names[d], err)
		}
	}
	if err := s.devs[Capture].transfer(s.ring[Capture], s.g.buffer()); err != nil {
		return deviceError("start (read a buffer)", s.names[Capture], err)
	}
	return nil
}

// Format implements hal.PCM.
func (s *stream) Format() hal.PCMFormat { return s.f }

// Read implements hal.PCM: it blocks until the card has captured one
// period and converts it into buf (PeriodSamples values).
func (s *stream) Read(buf []int16) error {
	if err := s.check("read", Capture); err != nil {
		return err
	}
	if len(buf) != s.f.PeriodSamples() {
		return &Error{Op: "read", Device: s.names[Capture],
			Err: fmt.Errorf("%d values for a period of %d: %w", len(buf), s.f.PeriodSamples(), ErrBadBuffer)}
	}
	period := s.ring[Capture][:s.g.period()*s.g.frameBytes(Capture)]
	if err := s.devs[Capture].transfer(period, s.g.period()); err != nil {
		return s.failed("read", Capture, err)
	}
	decode(buf, period, s.g.period(), s.g.channels(Capture), s.g.sampleBytes(Capture))
	return nil
}

// Write implements hal.PCM: it converts buf (whole frames, at most a ring
// of them) and blocks until the card has room for all of it. The first
// Write after a start starts playback with just what it wrote queued.
// An empty buf does nothing.
func (s *stream) Write(buf []int16) error {
	if err := s.check("write", Playback); err != nil {
		return err
	}
	ch := s.f.Channels
	frames := len(buf) / ch
	if len(buf)%ch != 0 || frames > s.f.BufferFrames {
		return &Error{Op: "write", Device: s.names[Playback],
			Err: fmt.Errorf("%d values are not whole frames of %d channels, at most %d of them: %w",
				len(buf), ch, s.f.BufferFrames, ErrBadBuffer)}
	}
	if frames == 0 {
		return nil
	}
	out := s.ring[Playback][:frames*s.g.frameBytes(Playback)]
	encode(out, buf, frames, s.g.channels(Playback), s.g.sampleBytes(Playback))
	if err := s.devs[Playback].transfer(out, frames); err != nil {
		return s.failed("write", Playback, err)
	}
	if !s.playing {
		if err := s.devs[Playback].start(); err != nil {
			return s.failed("start playback", Playback, err)
		}
		s.playing = true
	}
	return nil
}

// Delay implements hal.PCM: the frames written and not yet played, as the
// kernel counts them (including any delay the driver reports beyond the
// ring). It is 0 before the first Write after a start, and fails with an
// error matching hal.ErrXrun once the ring has run dry.
func (s *stream) Delay() (int, error) {
	if err := s.check("delay", Playback); err != nil {
		return 0, err
	}
	if !s.playing {
		return 0, nil
	}
	n, err := s.devs[Playback].delay()
	if err != nil {
		return 0, s.failed("delay", Playback, err)
	}
	if n < 0 {
		// The ring ran dry and the card played on (playbackParams): skip
		// what it played past with silence, count the gap, and report an
		// empty queue so the pump lengthens its lead.
		if err := s.catchUp(-n); err != nil {
			return 0, s.failed("delay (catch up after running dry)", Playback, err)
		}
		if s.onXrun != nil {
			s.onXrun(s.names[Playback])
		}
		return 0, nil
	}
	return n, nil
}

// catchUp writes frames frames of silence to a playback device that
// played past what was written.
func (s *stream) catchUp(frames int) error {
	buf := s.ring[Playback]
	clear(buf)
	for frames > 0 {
		n := min(frames, s.g.buffer())
		if err := s.devs[Playback].transfer(buf[:n*s.g.frameBytes(Playback)], n); err != nil {
			return err
		}
		frames -= n
	}
	return nil
}

// check refuses a closed or broken stream.
func (s *stream) check(op string, d Direction) error {
	switch {
	case s.closed:
		return &Error{Op: op, Device: s.names[d], Err: ErrClosed}
	case s.down:
		return &Error{Op: op, Device: s.names[d], Kind: hal.ErrNoDevice, Err: errDown}
	}
	return nil
}

// failed wraps a transfer error and counts an xrun.
func (s *stream) failed(op string, d Direction, err error) error {
	e := deviceError(op, s.names[d], err)
	if e.Kind == hal.ErrXrun && s.onXrun != nil {
		s.onXrun(s.names[d])
	}
	return e
}

// Recover implements hal.PCM. yobert/alsa cannot re-prepare a stream, so
// both devices are closed, opened again, given the same parameters and
// started as at Open. If that fails (the card is gone) the stream is down:
// Recover returns the cause and Read and Write fail until Close.
func (s *stream) Recover() error {
	if s.closed {
		return &Error{Op: "recover", Device: s.names[Playback] + " and " + s.names[Capture], Err: ErrClosed}
	}
	s.devs[Playback].Close()
	s.devs[Capture].Close()
	s.down = true
	if _, err := negotiate(s.devs, s.names, s.g.exact()); err != nil {
		return err
	}
	if err := s.start(); err != nil {
		s.devs[Playback].Close()
		s.devs[Capture].Close()
		return err
	}
	s.down = false
	s.log.Debug("sound card restarted after an xrun", "playback", s.names[Playback], "capture", s.names[Capture])
	return nil
}

// Close implements hal.PCM. yobert/alsa cannot drain, and closing drops
// what the ring still holds, so Close first lets what was written play
// out: it writes a ring of silence, which the kernel copies in as room
// appears, so the write returns as soon as everything queued before it
// has played (the current Delay, not a ring). Then both devices close.
// Close returns nil; a second Close does nothing.
func (s *stream) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.down {
		return nil
	}
	if s.playing {
		clear(s.ring[Playback])
		if err := s.devs[Playback].transfer(s.ring[Playback], s.g.buffer()); err != nil {
			s.log.Debug("sound card: padding with silence before close", "device", s.names[Playback], "err", err)
		}
	}
	s.devs[Playback].Close()
	s.devs[Capture].Close()
	return nil
}
