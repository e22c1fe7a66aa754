package mediapath

import (
	"math"
	"sync/atomic"
	"time"
)

// The playback lead: how much audio is queued in the card, ahead of what
// the listener hears, when the pump wakes for a period. Every frame of it
// is delay added to the far end's voice, so it is kept as short as the
// pump's own lateness allows: a pump that comes late by more than the
// lead finds the card's ring run dry (an underrun, a click).
const (
	// leadMin is the shortest lead kept, for a pump that is never late.
	leadMin = 4 * time.Millisecond
	// leadGuard is kept on top of one and a half times the worst lateness
	// seen lately.
	leadGuard = 2 * time.Millisecond
	// leadWindow is how long a lateness is remembered: the lead shrinks
	// only after two windows without one as large.
	leadWindow = 250 // periods: 5 s
	// leadQuietWait is how long a due shortening waits for a quiet
	// period, where the splice cannot be heard, before it is made anyway.
	leadQuietWait = 50 // periods: 1 s
	// leadQuiet is the peak below which a period counts as quiet: about
	// -40 dBFS.
	leadQuiet = 330
	// leadSplice is the cross-fade over which audio is stretched or
	// shortened to move the lead.
	leadSplice = 2500 * time.Microsecond
)

// leadControl decides, each period, how many frames to add to or drop from
// the period about to be written so the card's queue stays at the lead.
//
// It sees only the queue just before the write (the card's Delay). The
// queue at a wake-up on time is the plan (base); a pump that wakes late by
// L finds L less. So base is the largest queue seen since it last changed,
// and base minus the queue is the lateness of this wake-up.
type leadControl struct {
	rate     int // card frames per second
	min, max int // frames
	guard    int // frames
	splice   int // frames
	period   int // frames

	base      int  // the queue at an on-time wake-up, as planned
	started   bool // something was written since the card (re)started
	worst     int  // the largest lateness this window, frames
	worstPrev int  // … and the window before
	inWindow  int  // periods into this window
	shrinkDue int  // periods a due shortening has waited for quiet
	lateCount uint64
	worstEver int
}

// newLeadControl sizes the control for a card of rate frames per second,
// period frames per period and a ring of buffer frames.
func newLeadControl(rate, period, buffer int) leadControl {
	frames := func(d time.Duration) int { return int(int64(d) * int64(rate) / int64(time.Second)) }
	l := leadControl{
		rate:   rate,
		period: period,
		min:    frames(leadMin),
		guard:  frames(leadGuard),
		splice: max(1, frames(leadSplice)),
	}
	l.max = max(l.min, buffer-period)
	l.base = l.max
	return l
}

// restart is called when the card's ring starts empty again (after an
// xrun): the lateness that emptied it was at least the whole lead.
func (l *leadControl) restart() {
	l.started = false
	l.worst = max(l.worst, l.base+1)
}

// prime returns how many frames of silence to write before the first
// period of a card that has just (re)started: all the ring but that
// period, the most the lead may be. Some cards take a burst from the ring
// when they start, to fill buffers of their own that Delay does not show
// (QEMU's HDA takes tens of milliseconds): a full ring rides that out, and
// the lead shrinks from there once the pump proves punctual.
func (l *leadControl) prime() int {
	l.started = true
	l.base = l.max
	return l.base
}

// want is the lead the recent lateness asks for.
func (l *leadControl) want() int {
	worst := max(l.worst, l.worstPrev)
	return min(l.max, max(l.min, worst+worst/2+l.guard))
}

// next takes the frames queued in the card before this period's write and
// the period (card samples), and returns how many frames to add to it
// (> 0) or drop from it (< 0). A lead too short grows at once; one too
// long shortens in a quiet period or, when insist is set (in a call,
// where the lead delays the far end's voice), after leadQuietWait periods
// without one. Local tones alone never insist: a steady dial tone
// spliced would break for a moment, and their delay does not matter.
func (l *leadControl) next(queued int, period []int16, insist bool) int {
	if queued > l.base {
		l.base = queued
	}
	late := l.base - queued
	if late > 0 {
		l.lateCount++
		l.worst = max(l.worst, late)
		l.worstEver = max(l.worstEver, late)
	}
	if l.inWindow++; l.inWindow >= leadWindow {
		l.worstPrev, l.worst, l.inWindow = l.worst, 0, 0
	}
	want := l.want()
	adj := 0
	switch {
	case want > l.base:
		adj = min(want-l.base, l.period-l.splice)
		l.shrinkDue = 0
	case want < l.base:
		if l.shrinkDue++; (insist && l.shrinkDue > leadQuietWait) || quiet(period) {
			adj = -min(l.base-want, l.period-l.splice)
		}
	default:
		l.shrinkDue = 0
	}
	adj = alignShift(period, len(period)/max(l.period, 1), adj, l.splice)
	l.base += adj
	return adj
}

// quiet reports whether a period's peak is below leadQuiet.
func quiet(buf []int16) bool {
	for _, v := range buf {
		if v > leadQuiet || v < -leadQuiet {
			return false
		}
	}
	return true
}

// spliceFrames writes into dst the period src (frames of ch interleaved
// channels) made adj frames longer (adj > 0: a stretch of it repeated) or
// shorter (adj < 0: a stretch left out), cross-fading over splice frames
// so the seam does not click. It returns the samples written. It needs
// |adj| + splice <= frames of src, and room in dst.
func spliceFrames(dst, src []int16, ch, adj, splice int) int {
	frames := len(src) / ch
	k := adj
	if k < 0 {
		k = -k
	}
	if k == 0 || k+splice > frames {
		return copy(dst, src)
	}
	out := frames + adj
	for i := 0; i < out; i++ {
		var a, b, w int // blend a into b, weight w of splice
		switch {
		case adj > 0 && i < k:
			a, b, w = i, i, 0
		case adj > 0 && i < k+splice:
			a, b, w = i, i-k, i-k
		case adj > 0:
			a, b, w = i-k, i-k, 0
		case i < splice:
			a, b, w = i, i+k, i
		default:
			a, b, w = i+k, i+k, 0
		}
		for c := 0; c < ch; c++ {
			x, y := int(src[a*ch+c]), int(src[b*ch+c])
			dst[i*ch+c] = int16(x + (y-x)*w/splice)
		}
	}
	return out * ch
}

// alignShift picks, for a period src of ch interleaved channels that is
// to be made adj frames longer or shorter with a cross-fade of splice
// frames, the shift that makes the seam least audible: between half and
// all of |adj|, the one whose two cross-faded stretches (the period's
// first splice frames and those shift frames later) match best. A tone
// spliced at an arbitrary shift fades between two phases of itself and
// dips; at a whole number of its cycles it goes on unbroken. A silent
// period keeps adj.
func alignShift(src []int16, ch, adj, splice int) int {
	k := max(adj, -adj)
	if ch < 1 || k < 2 || (k+splice)*ch > len(src) {
		return adj
	}
	best, bestScore := k, -2.0
	for j := k; j >= max(1, k/2); j-- {
		var ab, aa, bb float64
		for i := 0; i < splice; i++ {
			a, b := float64(src[i*ch]), float64(src[(i+j)*ch])
			ab += a * b
			aa += a * a
			bb += b * b
		}
		if aa == 0 || bb == 0 {
			continue
		}
		// Larger shifts first: a near tie keeps the shift asked for.
		if score := ab / math.Sqrt(aa*bb); score > bestScore+1e-3 {
			best, bestScore = j, score
		}
	}
	if adj < 0 {
		return -best
	}
	return best
}

// leadStats publishes the lead control's figures from the pump to Stats
// without a lock: atomic stores, once a period.
type leadStats struct {
	leadUs, lateMaxUs atomic.Int64
	late              atomic.Uint64
}

// publish stores l's figures.
func (s *leadStats) publish(l *leadControl) {
	us := func(frames int) int64 { return int64(frames) * 1e6 / int64(max(l.rate, 1)) }
	s.leadUs.Store(us(l.base))
	s.lateMaxUs.Store(us(l.worstEver))
	s.late.Store(l.lateCount)
}

// fill adds the figures to st.
func (s *leadStats) fill(st *Stats) {
	st.PlaybackLeadMs = float64(s.leadUs.Load()) / 1000
	st.PumpLateMaxMs = float64(s.lateMaxUs.Load()) / 1000
	st.PumpLate = s.late.Load()
}
