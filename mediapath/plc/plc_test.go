package plc

import (
	"math"
	"math/rand/v2"
	"testing"
)

// voice returns n samples of a voiced sound at rate: harmonics of a
// fundamental gliding around f0 under a formant-like envelope, with
// syllable-rate amplitude changes. It is periodic enough to have a pitch
// and changes enough that repeating it is not exact.
func voice(n, rate int, f0 float64) []int16 {
	out := make([]int16, n)
	ph := 0.0
	for i := range out {
		t := float64(i) / float64(rate)
		f := f0 * (1 + 0.03*math.Sin(2*math.Pi*3*t))
		ph += 2 * math.Pi * f / float64(rate)
		var v float64
		for h := 1; float64(h)*f < float64(rate)/2*0.9; h++ {
			hf := float64(h) * f
			env := 1/(1+math.Pow((hf-700)/300, 2)) + 0.5/(1+math.Pow((hf-1800)/400, 2)) + 0.05
			v += env * math.Sin(float64(h)*ph) / float64(h)
		}
		am := 0.6 + 0.4*math.Sin(2*math.Pi*2.5*t)
		out[i] = int16(6000 * am * v)
	}
	return out
}

// lossPattern marks frames lost at random, about rate of them, in bursts
// of one to three frames.
func lossPattern(frames int, rate float64, seed uint64) []bool {
	r := rand.New(rand.NewPCG(seed, 7))
	lost := make([]bool, frames)
	for f := 5; f < frames; f++ {
		if r.Float64() < rate/2 {
			for k := 0; k < 1+r.IntN(3) && f+k < frames; k++ {
				lost[f+k] = true
			}
		}
	}
	return lost
}

type result struct {
	snrLost float64 // over the lost frames, dB
	// click is the largest second difference (a high-pass that shows
	// steps) within 3 samples of where a loss starts or ends, relative to
	// the largest anywhere in the clean signal: above 1 is a click.
	click float64
}

// play runs x through a method frame by frame: how is "plc", "zero"
// (silence in the gaps) or "repeat" (the last good frame again).
func play(x []int16, rate, frame int, lost []bool, how string) result {
	c := New(rate, frame)
	out := make([]int16, 0, len(x))
	buf := make([]int16, frame)
	last := make([]int16, frame)
	for f := range len(x) / frame {
		src := x[f*frame : (f+1)*frame]
		switch {
		case !lost[f] && how == "plc":
			copy(buf, src)
			c.Good(buf)
		case !lost[f]:
			copy(buf, src)
			copy(last, src)
		case how == "plc":
			c.Conceal(buf)
		case how == "zero":
			clear(buf)
		case how == "repeat":
			copy(buf, last)
		}
		out = append(out, buf...)
	}
	d := 0
	if how == "plc" {
		d = c.Delay()
	}
	diff2 := func(a []int16, i int) float64 {
		return math.Abs(float64(a[i]) - 2*float64(a[i-1]) + float64(a[i-2]))
	}
	var clean float64
	for i := 2; i < len(x); i++ {
		clean = max(clean, diff2(x, i))
	}
	var sig, noise, click float64
	for f := range len(x) / frame {
		if f > 0 && lost[f] != lost[f-1] {
			for i := f*frame + d - 3; i <= f*frame+d+3 && i < len(out); i++ {
				click = max(click, diff2(out, i))
			}
		}
		if !lost[f] {
			continue
		}
		for i := f * frame; i < (f+1)*frame && i+d < len(out); i++ {
			e := float64(out[i+d]) - float64(x[i])
			sig += float64(x[i]) * float64(x[i])
			noise += e * e
		}
	}
	return result{snrLost: 10 * math.Log10(sig/noise), click: click / clean}
}

// TestQuality measures concealment against silence and against repeating
// the last frame, at 8 kHz (G.711) and 16 kHz (G.722), with 10 % of the
// frames lost in bursts of up to three.
func TestQuality(t *testing.T) {
	for _, rate := range []int{8000, 16000} {
		frame := rate / 50
		x := voice(rate*10, rate, 130)
		lost := lossPattern(len(x)/frame, 0.1, uint64(rate))
		plc, zero, rep := play(x, rate, frame, lost, "plc"), play(x, rate, frame, lost, "zero"), play(x, rate, frame, lost, "repeat")
		t.Logf("%d Hz: SNR over lost frames: PLC %.1f dB, repeat %.1f dB, silence %.1f dB; clicks at the seams: PLC %.2f×, repeat %.2f×, silence %.2f×",
			rate, plc.snrLost, rep.snrLost, zero.snrLost, plc.click, rep.click, zero.click)
		if plc.snrLost < zero.snrLost+2 || plc.snrLost < rep.snrLost+2 {
			t.Errorf("%d Hz: PLC %.1f dB is not clearly better than silence %.1f / repeat %.1f dB", rate, plc.snrLost, zero.snrLost, rep.snrLost)
		}
		if plc.click > 1 {
			t.Errorf("%d Hz: PLC seams step %.2f× more than the clean signal ever does (a click)", rate, plc.click)
		}
	}
}

// TestSine conceals a steady tone: pitch repetition must continue it
// almost exactly during the first 10 ms.
func TestSine(t *testing.T) {
	const rate, frame = 8000, 80 // 10 ms frames
	c := New(rate, frame)
	x := make([]int16, 20*frame)
	for i := range x {
		x[i] = int16(8000 * math.Sin(2*math.Pi*200*float64(i)/rate)) // period 40
	}
	out := make([]int16, len(x))
	for f := range 20 {
		buf := out[f*frame : (f+1)*frame]
		if f == 12 {
			c.Conceal(buf)
			continue
		}
		copy(buf, x[f*frame:(f+1)*frame])
		c.Good(buf)
	}
	if c.Pitch() != 40 {
		t.Errorf("pitch %d, want 40", c.Pitch())
	}
	d := c.Delay()
	var worst float64
	for i := 12 * frame; i < 13*frame; i++ {
		worst = max(worst, math.Abs(float64(out[i+d])-float64(x[i])))
	}
	if worst > 100 {
		t.Errorf("a lost 10 ms of a 200 Hz tone is off by up to %v", worst)
	}
}

// TestFade loses 100 ms at once: full level for 10 ms, fading, silent
// from 60 ms on, and the return of the signal fades in without a jump.
func TestFade(t *testing.T) {
	const rate, frame = 16000, 320
	c := New(rate, frame)
	x := voice(rate, rate, 160)
	out := make([]int16, 0, len(x))
	for f := range len(x) / frame {
		buf := make([]int16, frame)
		if f >= 20 && f < 25 {
			c.Conceal(buf)
		} else {
			copy(buf, x[f*frame:(f+1)*frame])
			c.Good(buf)
		}
		out = append(out, buf...)
	}
	d := c.Delay()
	rms := func(a []int16) float64 {
		var s float64
		for _, v := range a {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s / float64(len(a)))
	}
	ms := rate / 1000
	start := 20*frame + d
	first, late, silent := rms(out[start:start+10*ms]), rms(out[start+40*ms:start+50*ms]), rms(out[start+60*ms:start+100*ms])
	if silent != 0 || late >= first*0.6 || first < rms(x[19*frame:20*frame])*0.5 {
		t.Errorf("levels during the loss: first 10 ms %.0f, 40-50 ms %.0f, 60-100 ms %.0f", first, late, silent)
	}
	// Back after silence: the signal rises over the 10 ms blend.
	back := out[start+100*ms:]
	if a, b := rms(back[:3*ms]), rms(back[10*ms:20*ms]); a > b/2 {
		t.Errorf("after the loss: %.0f in the first 3 ms, %.0f at 10-20 ms; want a fade-in", a, b)
	}
}

// TestDelayOnly passes good frames: the output is the input, Delay late.
func TestDelayOnly(t *testing.T) {
	c := New(8000, 160)
	x := voice(1600, 8000, 120)
	var out []int16
	for f := range 10 {
		buf := append([]int16(nil), x[f*160:(f+1)*160]...)
		c.Good(buf)
		out = append(out, buf...)
	}
	d := c.Delay()
	if d != 30 {
		t.Errorf("delay %d samples at 8 kHz, want 30 (3.75 ms)", d)
	}
	for i := range len(x) - d {
		if out[i+d] != x[i] {
			t.Fatalf("sample %d: %d, want %d", i, out[i+d], x[i])
		}
	}
	c.Reset()
	buf := make([]int16, 160)
	c.Conceal(buf)
	for _, v := range buf {
		if v != 0 {
			t.Fatal("concealment after Reset is not silent")
		}
	}
}

func TestAllocs(t *testing.T) {
	c := New(16000, 320)
	x := voice(320, 16000, 150)
	buf := make([]int16, 320)
	i := 0
	if a := testing.AllocsPerRun(200, func() {
		if i%4 == 3 {
			c.Conceal(buf)
		} else {
			copy(buf, x)
			c.Good(buf)
		}
		i++
	}); a != 0 {
		t.Errorf("%v allocs per frame", a)
	}
}

func BenchmarkConceal16k(b *testing.B) {
	c := New(16000, 320)
	x := voice(320, 16000, 150)
	buf := make([]int16, 320)
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, x)
		c.Good(buf)
		c.Conceal(buf)
	}
}
