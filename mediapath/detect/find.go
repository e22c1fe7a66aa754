package detect

import "time"

// Detection parameters for Find.
const (
	window = 20 * time.Millisecond // analysis window
	hop    = time.Millisecond      // window advance
	// minShare is the part of a window's power the frequency must carry:
	// a pure tone carries all of it, each half of an equal two-tone pair
	// half, white noise about 2/N (1 % in a 20 ms window at 8 kHz).
	minShare = 0.25
	// minPower ignores near silence: -60 dBFS.
	minPower = 1e-6
	// mergeGap joins stretches split by a short dip.
	mergeGap = 10 * time.Millisecond
)

// Segment is a stretch of time measured from the first sample.
type Segment struct {
	Start, End time.Duration
}

// Find returns the stretches of samples where freq clearly dominates: in a
// 20 ms window stepped by 1 ms, freq carries at least a quarter of the
// window's power and is louder than -60 dBFS. Each window is attributed to
// its centre (a stretch already on in the first window starts at 0, one
// still on in the last ends with the samples); stretches closer than 10 ms are merged, and only those at
// least minDur long are returned. Edges are accurate to about 5 ms. It
// returns nil when nothing qualifies or the input is shorter than a window.
func Find(samples []int16, rate int, freq float64, minDur time.Duration) []Segment {
	if rate <= 0 {
		return nil
	}
	win := int(int64(rate) * int64(window) / int64(time.Second))
	step := max(1, int(int64(rate)*int64(hop)/int64(time.Second)))
	if win < 1 || len(samples) < win {
		return nil
	}
	at := func(i int) time.Duration {
		return time.Duration(int64(i) * int64(time.Second) / int64(rate))
	}

	var segs []Segment
	open := false
	var cur Segment
	for i := 0; i+win <= len(samples); i += step {
		w := samples[i : i+win]
		p := Goertzel(w, rate, freq)
		total := 2 * meanSquare(w) // on the same A² scale as Goertzel
		on := p >= minPower && total > 0 && p >= minShare*total
		centre := at(i + win/2)
		switch {
		case on && !open:
			open = true
			cur = Segment{Start: centre, End: centre + at(step)}
			if i == 0 { // the tone was already on when the samples began
				cur.Start = 0
			}
		case on:
			cur.End = centre + at(step)
		case open:
			open = false
			segs = appendMerged(segs, cur)
		}
	}
	if open { // still on when the samples end
		cur.End = at(len(samples))
		segs = appendMerged(segs, cur)
	}

	out := segs[:0]
	for _, s := range segs {
		if s.End-s.Start >= minDur {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// appendMerged appends s, joining it to the last segment when the gap
// between them is under mergeGap.
func appendMerged(segs []Segment, s Segment) []Segment {
	if n := len(segs); n > 0 && s.Start-segs[n-1].End < mergeGap {
		segs[n-1].End = s.End
		return segs
	}
	return append(segs, s)
}
