package sim

import (
	"fmt"
	"time"

	"handset/hal"
)

// pcmStream is an open stream of a SoundCard. Read and Write may run on
// different goroutines, but not two Reads or two Writes at once.
type pcmStream struct {
	card     *SoundCard
	f        hal.PCMFormat
	periods  int64 // ring size in periods
	capMono  []int16
	playMono []int16
	timer    hal.Timer // real-time mode only
	gone     chan struct{}

	// Guarded by card.mu.
	closed, dead, xrun bool
	goneClosed         bool

	// Playback schedule, owned by the writing goroutine. Period n must be
	// written before start + n×period, when the card begins playing it.
	started bool
	start   time.Time
	written int64
}

var _ hal.PCM = (*pcmStream)(nil)

// Format implements hal.PCM.
func (p *pcmStream) Format() hal.PCMFormat { return p.f }

// Read implements hal.PCM: the next period from the card's Source, the same
// signal on every channel. It never blocks; playback paces the caller.
func (p *pcmStream) Read(buf []int16) error {
	if len(buf) != p.f.PeriodSamples() {
		return fmt.Errorf("sim: read: buffer of %d samples, period is %d", len(buf), p.f.PeriodSamples())
	}
	if err := p.state(false); err != nil {
		return fmt.Errorf("sim: read: %w", err)
	}
	ch := p.f.Channels
	if ch == 1 {
		p.card.cfg.Mic.Fill(buf)
		return nil
	}
	p.card.cfg.Mic.Fill(p.capMono)
	for i, s := range p.capMono {
		for c := 0; c < ch; c++ {
			buf[i*ch+c] = s
		}
	}
	return nil
}

// Write implements hal.PCM. In real-time mode it blocks until the ring has
// room, on a schedule counted from the first write, so it keeps pace over
// long runs without drift. A writer so late that the ring ran dry gets
// hal.ErrXrun (counted once) until Recover.
func (p *pcmStream) Write(buf []int16) error {
	if len(buf) != p.f.PeriodSamples() {
		return fmt.Errorf("sim: write: buffer of %d samples, period is %d", len(buf), p.f.PeriodSamples())
	}
	if err := p.state(true); err != nil {
		return err
	}
	if p.timer != nil {
		if err := p.pace(); err != nil {
			return err
		}
	}
	c := p.card
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.closed || p.dead {
		return p.stateErr()
	}
	c.record(p, buf)
	p.written++
	return nil
}

// pace waits until the ring has room for period p.written.
func (p *pcmStream) pace() error {
	now := p.card.clk.Now()
	if !p.started {
		p.started, p.start = true, now
	}
	if now.After(p.deadline(p.written)) {
		// The card reached this period before it was written: underrun.
		c := p.card
		c.mu.Lock()
		p.xrun = true
		c.underruns++
		c.mu.Unlock()
		return errUnderrun
	}
	if p.written < p.periods {
		return nil
	}
	d := p.deadline(p.written - p.periods + 1).Sub(now)
	if d <= 0 {
		return nil
	}
	p.timer.Reset(d)
	select {
	case <-p.timer.C():
		return nil
	case <-p.gone:
		p.timer.Stop()
		p.card.mu.Lock()
		defer p.card.mu.Unlock()
		return p.stateErr()
	}
}

// deadline is when the card starts playing period n.
func (p *pcmStream) deadline(n int64) time.Time {
	frames := n * int64(p.f.PeriodFrames)
	rate := int64(p.f.Rate)
	return p.start.Add(time.Duration(frames/rate)*time.Second + time.Duration(frames%rate*int64(time.Second)/rate))
}

// state reports why the stream cannot transfer, if it cannot.
func (p *pcmStream) state(playback bool) error {
	p.card.mu.Lock()
	defer p.card.mu.Unlock()
	if p.closed || p.dead {
		return p.stateErr()
	}
	if playback && p.xrun {
		return errUnderrun
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

// Recover implements hal.PCM: it clears an underrun and restarts the
// playback schedule at the next Write. Call it from the writing goroutine.
func (p *pcmStream) Recover() error {
	p.card.mu.Lock()
	defer p.card.mu.Unlock()
	if p.closed || p.dead {
		return fmt.Errorf("sim: recover: %w", p.stateErr())
	}
	p.xrun = false
	p.started = false
	p.written = 0
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
	if p.timer != nil {
		p.timer.Stop()
	}
	return nil
}

// signalGone wakes a Write blocked in pace. Called with card.mu held.
func (p *pcmStream) signalGone() {
	if !p.goneClosed {
		p.goneClosed = true
		close(p.gone)
	}
}
