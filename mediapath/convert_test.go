package mediapath

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"handset/hal"
	"handset/mediapath/detect"
)

// TestConverter runs a tone through every card format the engine meets
// (8, 16, 44.1 and 48 kHz, mono and stereo) in both directions, for an
// 8 and a 16 kHz engine: the tone must come out at its frequency and
// level, and every channel must carry it.
func TestConverter(t *testing.T) {
	for _, rate := range []int{narrowRate, wideRate} {
		for _, cardRate := range []int{8000, 16000, 44100, 48000} {
			for _, ch := range []int{1, 2} {
				name := fmt.Sprintf("engine %d Hz, card %d Hz × %d", rate, cardRate, ch)
				f := hal.PCMFormat{Rate: cardRate, Channels: ch, PeriodFrames: cardRate / 50}
				frame := rate / 50
				c, err := newConverter(f, rate, frame)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				const freq, amp = 1000.0, 10000.0
				var media, card []int16
				period := make([]int16, f.PeriodSamples())
				out := make([]int16, frame)
				back := make([]int16, f.PeriodSamples())
				for k := range 25 { // half a second
					for j := range f.PeriodFrames {
						v := int16(amp * math.Sin(2*math.Pi*freq*float64(k*f.PeriodFrames+j)/float64(cardRate)))
						for m := range ch {
							period[j*ch+m] = v
						}
					}
					c.toMedia(out, period)
					media = append(media, out...)
					c.toCard(back, out)
					for j := range f.PeriodFrames {
						for m := 1; m < ch; m++ {
							if back[j*ch+m] != back[j*ch] {
								t.Fatalf("%s: channels differ", name)
							}
						}
						card = append(card, back[j*ch])
					}
				}
				for _, x := range []struct {
					what string
					pcm  []int16
					rate int
				}{{"to media", media, rate}, {"back to the card", card, cardRate}} {
					tail := x.pcm[len(x.pcm)/2:]
					if d := detect.Dominant(tail, x.rate, 300, 3400, 10); math.Abs(d-freq) > 10 {
						t.Errorf("%s %s: peak at %v Hz", name, x.what, d)
					}
					if p := detect.Goertzel(tail, x.rate, freq); math.Abs(10*math.Log10(p/(amp*amp/32767/32767))) > 0.2 {
						t.Errorf("%s %s: level %.2f dB off", name, x.what, 10*math.Log10(p/(amp*amp/32767/32767)))
					}
				}
			}
		}
	}
}

func TestConverterRejects(t *testing.T) {
	for _, f := range []hal.PCMFormat{
		{},
		{Rate: 8000, Channels: 1, PeriodFrames: 256}, // 32 ms
		{Rate: 48000, Channels: 2, PeriodFrames: 1024},
		{Rate: 8000, Channels: 0, PeriodFrames: 160},
	} {
		if _, err := newConverter(f, narrowRate, 160); !errors.Is(err, errCardFormat) {
			t.Errorf("%+v: err %v, want errCardFormat", f, err)
		}
	}
}

func TestConverterAllocs(t *testing.T) {
	c, err := newConverter(hal.PCMFormat{Rate: 48000, Channels: 2, PeriodFrames: 960}, wideRate, 320)
	if err != nil {
		t.Fatal(err)
	}
	card, frame := make([]int16, 1920), make([]int16, 320)
	if n := testing.AllocsPerRun(100, func() {
		c.toMedia(frame, card)
		c.toCard(card, frame)
	}); n != 0 {
		t.Fatalf("%v allocations per period", n)
	}
}
