package sipstack

import (
	"math/rand/v2"
	"time"
)

// Registration retry timing: the first retry after about 2 s, doubling up
// to 5 min, each delay spread ±20 % so that many phones behind one PBX do
// not retry in step.
const (
	backoffMin    = 2 * time.Second
	backoffMax    = 5 * time.Minute
	backoffJitter = 0.2
)

// backoff yields the delays before successive retries.
type backoff struct {
	min, max time.Duration
	jitter   float64        // fraction, ±
	rnd      func() float64 // uniform in [0, 1)
	n        int            // retries since the last reset
}

func newBackoff() *backoff {
	return &backoff{min: backoffMin, max: backoffMax, jitter: backoffJitter, rnd: rand.Float64}
}

// next returns the delay before the next retry and steps the schedule.
func (b *backoff) next() time.Duration {
	d := b.min
	for i := 0; i < b.n && d < b.max; i++ {
		d *= 2
	}
	if d >= b.max {
		d = b.max
	} else {
		b.n++
	}
	f := 1 + b.jitter*(2*b.rnd()-1)
	return time.Duration(float64(d) * f)
}

// reset starts the schedule over after a success.
func (b *backoff) reset() { b.n = 0 }
