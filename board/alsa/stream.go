package alsa

import (
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

	period  [2][]byte // one period in each device's layout
	prime   []byte    // one capture buffer, read and dropped at start
	silence []byte    // one playback buffer of zeros: prefill and padding
	closed  bool
	down    bool // devices closed by a failed Recover
}

var _ hal.PCM = (*stream)(nil)

// newStream makes the buffers of a stream on negotiated devices. The
// buffers are allocated here, once: every transfer hands the kernel an
// address inside them, so they must stay put for the stream's life.
func newStream(devs [2]pcmDevice, names [2]string, g granted, onXrun func(string), log *slog.Logger) *stream {
	s := &stream{devs: devs, names: names, g: g, f: g.format(), onXrun: onXrun, log: log}
	for d := range s.period {
		s.period[d] = make([]byte, g.period()*g.frameBytes(Direction(d)))
	}
	s.prime = make([]byte, g.buffer()*g.frameBytes(Capture))
	s.silence = make([]byte, g.buffer()*g.frameBytes(Playback))
	return s
}

// start prepares both devices and starts them. yobert/alsa sets the start
// threshold to the buffer size, so capture starts only on a read of a
// whole buffer (read here and dropped: the pump then reads period by
// period, one period behind the microphone), and playback only once its
// ring is full (filled here with silence: from now on each period written
// waits for one to play, so the earpiece is about one buffer behind).
func (s *stream) start() error {
	for d, dev := range s.devs {
		if err := dev.Prepare(); err != nil {
			return deviceError("prepare", s.names[d], err)
		}
	}
	if err := s.devs[Capture].transfer(s.prime, s.g.buffer()); err != nil {
		return deviceError("start (read a buffer)", s.names[Capture], err)
	}
	if err := s.devs[Playback].transfer(s.silence, s.g.buffer()); err != nil {
		return deviceError("start (write a buffer of silence)", s.names[Playback], err)
	}
	return nil
}

// Format implements hal.PCM.
func (s *stream) Format() hal.PCMFormat { return s.f }

// Read implements hal.PCM: it blocks until the card has captured one
// period and converts it into buf (PeriodSamples values).
func (s *stream) Read(buf []int16) error {
	if err := s.check("read", Capture, buf); err != nil {
		return err
	}
	if err := s.devs[Capture].transfer(s.period[Capture], s.g.period()); err != nil {
		return s.failed("read", Capture, err)
	}
	decode(buf, s.period[Capture], s.g.period(), s.g.channels(Capture), s.g.sampleBytes(Capture))
	return nil
}

// Write implements hal.PCM: it converts buf (PeriodSamples values) and
// blocks until the card has room for it.
func (s *stream) Write(buf []int16) error {
	if err := s.check("write", Playback, buf); err != nil {
		return err
	}
	encode(s.period[Playback], buf, s.g.period(), s.g.channels(Playback), s.g.sampleBytes(Playback))
	if err := s.devs[Playback].transfer(s.period[Playback], s.g.period()); err != nil {
		return s.failed("write", Playback, err)
	}
	return nil
}

// check refuses a closed or broken stream and a buffer that is not one
// period.
func (s *stream) check(op string, d Direction, buf []int16) error {
	switch {
	case s.closed:
		return &Error{Op: op, Device: s.names[d], Err: ErrClosed}
	case s.down:
		return &Error{Op: op, Device: s.names[d], Kind: hal.ErrNoDevice, Err: errDown}
	case len(buf) != s.f.PeriodSamples():
		return &Error{Op: op, Device: s.names[d], Err: ErrBadBuffer}
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
// what the ring still holds, so Close first writes a buffer of silence:
// that write returns once everything written before it has played. Then
// both devices close. Close returns nil; a second Close does nothing.
func (s *stream) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if !s.down {
		if err := s.devs[Playback].transfer(s.silence, s.g.buffer()); err != nil {
			s.log.Debug("sound card: padding with silence before close", "device", s.names[Playback], "err", err)
		}
		s.devs[Playback].Close()
		s.devs[Capture].Close()
	}
	return nil
}
