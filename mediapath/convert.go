package mediapath

import (
	"fmt"

	"handset/hal"
	"handset/mediapath/resample"
)

// converter maps periods between the sound card's format and the pump's
// mono frame: stereo (or more) is averaged down and copied back up, and a
// card at another rate (8, 16, 44.1, 48 kHz…) is resampled with a
// windowed-sinc filter. Both directions write into buffers made once, and
// do not allocate.
type converter struct {
	channels   int // card channels per frame
	cardFrames int // card frames per period
	frame      int // media samples per period
	in, out    *resample.Resampler
	mono       []int16 // one card period, mono
}

// newConverter checks that f's period lasts exactly as long as frame
// samples at rate, and builds the resamplers.
func newConverter(f hal.PCMFormat, rate, frame int) (converter, error) {
	if f.Rate <= 0 || f.Channels <= 0 || f.PeriodFrames <= 0 {
		return converter{}, fmt.Errorf("%w: %+v", errCardFormat, f)
	}
	if int64(f.PeriodFrames)*int64(rate) != int64(frame)*int64(f.Rate) {
		return converter{}, fmt.Errorf("%w: period of %d frames at %d Hz is not %v", errCardFormat, f.PeriodFrames, f.Rate, period)
	}
	in, err := resample.New(f.Rate, rate, f.PeriodFrames)
	if err != nil {
		return converter{}, fmt.Errorf("%w: %w", errCardFormat, err)
	}
	out, err := resample.New(rate, f.Rate, frame)
	if err != nil {
		return converter{}, fmt.Errorf("%w: %w", errCardFormat, err)
	}
	return converter{
		channels: f.Channels, cardFrames: f.PeriodFrames, frame: frame,
		in: in, out: out, mono: make([]int16, f.PeriodFrames),
	}, nil
}

// toMedia converts one card period (src) into one media frame (dst).
func (c converter) toMedia(dst, src []int16) {
	mono := src[:c.cardFrames]
	if ch := c.channels; ch > 1 {
		mono = c.mono
		for i := range mono {
			sum := 0
			for _, s := range src[i*ch : i*ch+ch] {
				sum += int(s)
			}
			mono[i] = int16(sum / ch)
		}
	}
	if n := c.in.Process(dst[:c.frame], mono); n < c.frame {
		clear(dst[n:c.frame])
	}
}

// toCard converts one media frame (src) into one card period (dst), the
// same signal on every channel.
func (c converter) toCard(dst, src []int16) {
	ch := c.channels
	mono := dst[:c.cardFrames]
	if ch > 1 {
		mono = c.mono
	}
	if n := c.out.Process(mono, src[:c.frame]); n < c.cardFrames {
		clear(mono[n:])
	}
	if ch == 1 {
		return
	}
	for j, v := range mono {
		for k := range ch {
			dst[j*ch+k] = v
		}
	}
}
