package mediapath

import (
	"fmt"

	"handset/hal"
)

// converter maps periods between the sound card's format and the pump's
// 8 kHz mono frame. It is deliberately simple — nearest-sample decimation or
// repetition for the rate, averaging or duplication for the channels — until
// a proper resampler replaces it. Both directions write into caller-owned
// buffers and do not allocate.
type converter struct {
	channels   int // card channels per frame
	cardFrames int // card frames per period
	frame      int // media samples per period
}

// newConverter checks that f's period lasts exactly as long as frame samples
// at mediaRate.
func newConverter(f hal.PCMFormat, frame int) (converter, error) {
	if f.Rate <= 0 || f.Channels <= 0 || f.PeriodFrames <= 0 {
		return converter{}, fmt.Errorf("%w: %+v", errCardFormat, f)
	}
	if int64(f.PeriodFrames)*mediaRate != int64(frame)*int64(f.Rate) {
		return converter{}, fmt.Errorf("%w: period of %d frames at %d Hz is not %v", errCardFormat, f.PeriodFrames, f.Rate, period)
	}
	return converter{channels: f.Channels, cardFrames: f.PeriodFrames, frame: frame}, nil
}

// toMedia converts one card period (src) into one media frame (dst).
func (c converter) toMedia(dst, src []int16) {
	ch := c.channels
	for i := range dst[:c.frame] {
		j := c.nearest(i, c.frame, c.cardFrames) * ch
		if ch == 1 {
			dst[i] = src[j]
			continue
		}
		sum := 0
		for _, s := range src[j : j+ch] {
			sum += int(s)
		}
		dst[i] = int16(sum / ch)
	}
}

// toCard converts one media frame (src) into one card period (dst), the
// same signal on every channel.
func (c converter) toCard(dst, src []int16) {
	ch := c.channels
	for j := 0; j < c.cardFrames; j++ {
		v := src[c.nearest(j, c.cardFrames, c.frame)]
		for k := range dst[j*ch : j*ch+ch] {
			dst[j*ch+k] = v
		}
	}
}

// nearest maps index i of a period of from samples to the index of a period
// of to samples that covers the same instant (rounding down).
func (converter) nearest(i, from, to int) int {
	return i * to / from
}
