package sim

import (
	"fmt"
	"time"

	"handset/hal"
)

// pcmStream is an open stream of a SoundCard. Read and Write may run on
// different goroutines, but not two Reads or two Writes at once.
//
// In real-time mode it models a duplex card on one clock, as board/alsa
// drives a real one. Capture runs from the first Read: period n has been
// captured, and can be read, once n+1 periods have passed; the microphone
// heard its first frame n periods after the start. Playback starts with
// the first Write and plays frame after frame from then on: frame f of
// the schedule plays at start + f/rate. Write blocks until the ring has
// room; Delay is what was written and has not played yet. If the card
// plays everything written and needs more, the ring ran dry: an underrun,
// reported by the next Write or Delay.
//
// Without real time nothing blocks and nothing underruns: the card plays
// one period for each period read, so a writer that keeps pace with its
// reads sees the same Delay every period.
type pcmStream struct {
	card     *SoundCard
	f        hal.PCMFormat
	capMono  []int16
	playMono []int16
	playWait waiter // real-time mode only
	capWait  waiter // real-time mode only
	gone     chan struct{}

	// Guarded by card.mu.
	closed, dead, xrun bool
	goneClosed         bool
	restartCapture     bool // Recover was called: Read starts afresh

	// Capture schedule: period n can be read from capStart + (n+1)×period
	// on. captured belongs to the reading goroutine; capStarted, capStart
	// and reads are guarded by card.mu.
	capStarted bool
	capStart   time.Time
	captured   int64
	reads      int64 // periods read since the playback schedule started (no real time)

	// Playback schedule, owned by the writing goroutine: frame f of the
	// schedule plays at start + f/rate; start is the first Write's time.
	started bool
	start   time.Time
	written int64 // frames
	// firstFrame is the speaker recording's length when the schedule
	// started: the frame where it begins.
	firstFrame int64
}

var _ hal.PCM = (*pcmStream)(nil)

// Format implements hal.PCM.
func (p *pcmStream) Format() hal.PCMFormat { return p.f }

// Read implements hal.PCM: the next period from the card's Source, the same
// signal on every channel. In real-time mode it blocks until the period
// has been captured; otherwise it never blocks.
func (p *pcmStream) Read(buf []int16) error {
	if len(buf) != p.f.PeriodSamples() {
		return fmt.Errorf("sim: read: buffer of %d samples, period is %d", len(buf), p.f.PeriodSamples())
	}
	if err := p.state(false); err != nil {
		return fmt.Errorf("sim: read: %w", err)
	}
	c := p.card
	at := time.Time{}
	if p.capWait != nil {
		var err error
		if at, err = p.waitCapture(); err != nil {
			return fmt.Errorf("sim: read: %w", err)
		}
	}
	if ch := p.f.Channels; ch == 1 {
		c.cfg.Mic.Fill(buf)
	} else {
		c.cfg.Mic.Fill(p.capMono)
		for i, s := range p.capMono {
			for k := 0; k < ch; k++ {
				buf[i*ch+k] = s
			}
		}
	}
	c.mu.Lock()
	frame := c.heard
	c.heard += int64(p.f.PeriodFrames)
	if p.written > 0 {
		p.reads++
	}
	c.mu.Unlock()
	if f := c.cfg.OnCapture; f != nil {
		if at.IsZero() {
			at = c.clk.Now()
		}
		f(frame, at)
	}
	return nil
}

// waitCapture waits until capture period p.captured is complete and
// returns when the microphone heard its first frame.
func (p *pcmStream) waitCapture() (time.Time, error) {
	now := p.card.clk.Now()
	c := p.card
	c.mu.Lock()
	if !p.capStarted {
		p.capStarted, p.capStart, p.captured = true, now, 0
	}
	c.mu.Unlock()
	n := p.captured
	p.captured++
	at := p.periodAt(p.capStart, n+1)
	if d := at.Sub(now); d > 0 && !p.capWait.wait(at, d, p.gridPeriod()) {
		p.card.mu.Lock()
		defer p.card.mu.Unlock()
		return time.Time{}, p.stateErr()
	}
	return p.periodAt(p.capStart, n), nil
}

// Write implements hal.PCM. In real-time mode it blocks until the ring has
// room for buf, on a schedule counted from the first Write, so it keeps
// pace over long runs without drift. A writer so late that the ring ran
// dry gets hal.ErrXrun (counted once) until Recover.
func (p *pcmStream) Write(buf []int16) error {
	ch := p.f.Channels
	frames := len(buf) / ch
	switch {
	case len(buf)%ch != 0:
		return fmt.Errorf("sim: write: %d samples is not a whole number of %d-channel frames", len(buf), ch)
	case frames > p.f.BufferFrames:
		return fmt.Errorf("sim: write: %d frames, the ring holds %d", frames, p.f.BufferFrames)
	case frames == 0:
		return nil
	}
	if err := p.state(true); err != nil {
		return err
	}
	at := p.card.clk.Now()
	if p.playWait != nil {
		var err error
		if at, err = p.pace(frames); err != nil {
			return err
		}
	}
	c := p.card
	c.mu.Lock()
	if p.closed || p.dead {
		defer c.mu.Unlock()
		return p.stateErr()
	}
	if p.written == 0 {
		p.firstFrame = c.played
	}
	frame := c.played
	c.record(p, buf, frames)
	p.written += int64(frames)
	c.mu.Unlock()
	if f := c.cfg.OnPlay; f != nil {
		f(frame, at)
	}
	return nil
}

// pace waits until the ring has room for frames more, starting the
// playback schedule at the first Write, and returns when the first of
// them will play.
func (p *pcmStream) pace(frames int) (time.Time, error) {
	now := p.card.clk.Now()
	if !p.started {
		p.started, p.start = true, now
		return now, nil
	}
	if err := p.checkDry(now); err != nil {
		return time.Time{}, err
	}
	// Room for the new frames once the card has played up to
	// written+frames-BufferFrames.
	need := p.written + int64(frames) - int64(p.f.BufferFrames)
	at := p.frameAt(need)
	if d := at.Sub(now); d > 0 && !p.playWait.wait(at, d, 0) {
		p.card.mu.Lock()
		defer p.card.mu.Unlock()
		return time.Time{}, p.stateErr()
	}
	return p.frameAt(p.written), nil
}

// checkDry reports an underrun if the card played everything written
// before now and needed more.
func (p *pcmStream) checkDry(now time.Time) error {
	if !now.After(p.frameAt(p.written)) {
		return nil
	}
	c := p.card
	c.mu.Lock()
	p.xrun = true
	c.underruns++
	c.mu.Unlock()
	return errUnderrun
}

// Delay implements hal.PCM: frames written that have not played yet.
func (p *pcmStream) Delay() (int, error) {
	if err := p.state(true); err != nil {
		return 0, err
	}
	if p.playWait == nil {
		c := p.card
		c.mu.Lock()
		defer c.mu.Unlock()
		return int(max(0, p.written-p.reads*int64(p.f.PeriodFrames))), nil
	}
	if !p.started {
		return 0, nil
	}
	now := p.card.clk.Now()
	if err := p.checkDry(now); err != nil {
		return 0, err
	}
	played := p.framesBy(now)
	return int(p.written - played), nil
}

// frameAt is when frame f of the playback schedule plays.
func (p *pcmStream) frameAt(f int64) time.Time {
	rate := int64(p.f.Rate)
	return p.start.Add(time.Duration(f/rate)*time.Second + time.Duration(f%rate*int64(time.Second)/rate))
}

// framesBy is how many frames of the playback schedule have started
// playing by t.
func (p *pcmStream) framesBy(t time.Time) int64 {
	d := t.Sub(p.start)
	if d <= 0 {
		return 0
	}
	rate := int64(p.f.Rate)
	return int64(d/time.Second)*rate + int64(d%time.Second)*rate/int64(time.Second)
}

// periodAt is n periods after start.
func (p *pcmStream) periodAt(start time.Time, n int64) time.Time {
	frames := n * int64(p.f.PeriodFrames)
	rate := int64(p.f.Rate)
	return start.Add(time.Duration(frames/rate)*time.Second + time.Duration(frames%rate*int64(time.Second)/rate))
}

// gridPeriod is the capture period when it is a whole number of
// nanoseconds, so that the capture deadlines lie exactly that far apart
// (every format the phone uses: 20 ms at 8, 16, 44.1 or 48 kHz), and 0
// when it is not. The card's clock can then run as a periodic timer.
func (p *pcmStream) gridPeriod() time.Duration {
	ns, rate := int64(p.f.PeriodFrames)*int64(time.Second), int64(p.f.Rate)
	if ns%rate != 0 {
		return 0
	}
	return time.Duration(ns / rate)
}

// state reports why the stream cannot transfer, if it cannot. For a Read
// after Recover it also restarts the capture schedule.
func (p *pcmStream) state(playback bool) error {
	p.card.mu.Lock()
	defer p.card.mu.Unlock()
	if p.closed || p.dead {
		return p.stateErr()
	}
	if playback && p.xrun {
		return errUnderrun
	}
	if !playback && p.restartCapture {
		p.restartCapture, p.capStarted = false, false
	}
	return nil
}

// stateErr is the error of a closed or unplugged stream. Called with
// card.mu held.
func (p *pcmStream) stateErr() error {
	if p.dead {
		return errUnplugged
	}
	return errClosed
}

// Recover implements hal.PCM: it clears an underrun and restarts both
// schedules: playback at the next Write, with an empty ring, and capture
// at the next Read. Call it from the writing goroutine.
func (p *pcmStream) Recover() error {
	p.card.mu.Lock()
	defer p.card.mu.Unlock()
	if p.closed || p.dead {
		return fmt.Errorf("sim: recover: %w", p.stateErr())
	}
	p.xrun = false
	p.started = false
	p.written, p.reads = 0, 0
	p.restartCapture = true
	return nil
}

// Close implements hal.PCM. Closing twice does nothing.
func (p *pcmStream) Close() error {
	c := p.card
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	p.signalGone()
	if c.open == p {
		c.open = nil
	}
	return nil
}

// signalGone wakes a Read or Write blocked on the schedule and releases
// the waiters. Called with card.mu held.
func (p *pcmStream) signalGone() {
	if !p.goneClosed {
		p.goneClosed = true
		close(p.gone)
		if p.playWait != nil {
			p.playWait.close()
			p.capWait.close()
		}
	}
}
