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
// heard its first frame n periods after the start. Playback starts once
// the ring is full (ALSA's start threshold is the buffer size); from then
// on period n plays at start + n×period, and Write blocks until the ring
// has room. A pump that reads, works and writes each period thus hears a
// frame one period after the microphone did at most, and what it writes
// plays ring−1 periods after its Read returned.
type pcmStream struct {
	card     *SoundCard
	f        hal.PCMFormat
	periods  int64 // ring size in periods
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
	// on. captured belongs to the reading goroutine; capStarted and
	// capStart are guarded by card.mu, as playback aligns to them.
	capStarted bool
	capStart   time.Time
	captured   int64

	// Playback schedule, owned by the writing goroutine. Period n must be
	// written before start + n×period, when the card begins playing it;
	// start is when the ring first filled.
	started bool
	start   time.Time
	written int64
	// firstFrame is the speaker recording's length when period 0 of the
	// schedule was written: the frame where it begins.
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
	if d := p.periodAt(p.capStart, n+1).Sub(now); d > 0 && !p.capWait.wait(d) {
		p.card.mu.Lock()
		defer p.card.mu.Unlock()
		return time.Time{}, p.stateErr()
	}
	return p.periodAt(p.capStart, n), nil
}

// Write implements hal.PCM. In real-time mode it blocks until the ring has
// room, on a schedule counted from when the ring first filled, so it keeps
// pace over long runs without drift. A writer so late that the ring ran
// dry gets hal.ErrXrun (counted once) until Recover.
func (p *pcmStream) Write(buf []int16) error {
	if len(buf) != p.f.PeriodSamples() {
		return fmt.Errorf("sim: write: buffer of %d samples, period is %d", len(buf), p.f.PeriodSamples())
	}
	if err := p.state(true); err != nil {
		return err
	}
	if p.playWait != nil {
		if err := p.pace(); err != nil {
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
	c.record(p, buf)
	n := p.written
	p.written++
	c.mu.Unlock()
	if f := c.cfg.OnPlay; f != nil {
		p.reportPlay(f, n, frame)
	}
	return nil
}

// reportPlay tells f when the period just written (period n of the
// schedule, at frame of the recording) plays: in real time, once the
// schedule has started (the periods that filled the ring are told when it
// starts); otherwise now.
func (p *pcmStream) reportPlay(f func(int64, time.Time), n, frame int64) {
	switch {
	case p.playWait == nil:
		f(frame, p.card.clk.Now())
	case !p.started:
	case n == p.periods-1: // the ring just filled and started
		for i := int64(0); i <= n; i++ {
			f(p.firstFrame+i*int64(p.f.PeriodFrames), p.periodAt(p.start, i))
		}
	default:
		f(frame, p.periodAt(p.start, n))
	}
}

// pace waits until the ring has room for period p.written, starting the
// playback schedule when that period fills the ring.
func (p *pcmStream) pace() error {
	if p.written < p.periods-1 {
		return nil // filling the ring: the card is not playing yet
	}
	now := p.card.clk.Now()
	if !p.started {
		p.started, p.start = true, p.alignedStart(now)
		return nil
	}
	if now.After(p.periodAt(p.start, p.written)) {
		// The card reached this period before it was written: underrun.
		c := p.card
		c.mu.Lock()
		p.xrun = true
		c.underruns++
		c.mu.Unlock()
		return errUnderrun
	}
	d := p.periodAt(p.start, p.written-p.periods+1).Sub(now)
	if d <= 0 {
		return nil
	}
	if p.playWait.wait(d) {
		return nil
	}
	p.card.mu.Lock()
	defer p.card.mu.Unlock()
	return p.stateErr()
}

// alignedStart is when playback starts if the ring fills at now: on the
// capture's period grid when capture runs, as both directions of a card
// run on one clock, so a pump that waits for capture finds room to play
// at the same moment.
func (p *pcmStream) alignedStart(now time.Time) time.Time {
	c := p.card
	c.mu.Lock()
	started, capStart := p.capStarted, p.capStart
	c.mu.Unlock()
	if !started || now.Before(capStart) {
		return now
	}
	period := p.periodAt(time.Time{}, 1).Sub(time.Time{})
	k := int64(now.Sub(capStart) / max(period, 1))
	for p.periodAt(capStart, k+1).Compare(now) <= 0 {
		k++
	}
	for k > 0 && p.periodAt(capStart, k).After(now) {
		k--
	}
	return p.periodAt(capStart, k)
}

// periodAt is n periods after start.
func (p *pcmStream) periodAt(start time.Time, n int64) time.Time {
	frames := n * int64(p.f.PeriodFrames)
	rate := int64(p.f.Rate)
	return start.Add(time.Duration(frames/rate)*time.Second + time.Duration(frames%rate*int64(time.Second)/rate))
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
	p.written = 0
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
