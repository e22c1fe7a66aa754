package echo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// tone returns n samples of freq at level dBFS (RMS of a full-scale sine
// is -3 dBFS), starting at sample offset.
func tone(n, offset, rate int, freq, dbfs float64) []int16 {
	amp := 32767 * math.Pow(10, (dbfs+3)/20)
	x := make([]int16, n)
	for i := range x {
		x[i] = int16(amp * math.Sin(2*math.Pi*freq*float64(i+offset)/float64(rate)))
	}
	return x
}

// talk is a speech-like signal: a 180 Hz buzz with harmonics, switching
// on and off every 300 ms, at level dBFS while on.
func talk(n, rate int, dbfs float64) []int16 {
	x := make([]int16, n)
	base := tone(n, 0, rate, 180, dbfs)
	harm := tone(n, 0, rate, 540, dbfs-6)
	for i := range x {
		if (i*1000/rate/300)%2 == 0 {
			x[i] = base[i] + harm[i]
		}
	}
	return x
}

func mix(parts ...[]int16) []int16 {
	out := make([]int16, len(parts[0]))
	for _, p := range parts {
		for i, v := range p {
			out[i] += v
		}
	}
	return out
}

// delayed returns x delayed by d samples and scaled by db.
func delayed(x []int16, d int, db float64) []int16 {
	g := math.Pow(10, db/20)
	out := make([]int16, len(x))
	for i := d; i < len(x); i++ {
		out[i] = int16(float64(x[i-d]) * g)
	}
	return out
}

func power(x []int16) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s / float64(max(len(x), 1))
}

// run processes mic against far in 20 ms frames and returns the output.
func run(s *Suppressor, rate int, mic, far []int16) []int16 {
	out := append([]int16(nil), mic...)
	frame := rate / 50
	for at := 0; at+frame <= len(out); at += frame {
		s.Process(out[at:at+frame], far[at:at+frame])
	}
	return out
}

// TestSuppression measures the suppressor: the far end's tone leaking
// into the microphone at -20 dB, 60 ms late, must be turned down by at
// least 25 dB, while near-end speech alone, and near-end speech over the
// echo (double talk), pass.
func TestSuppression(t *testing.T) {
	for _, rate := range []int{8000, 16000} {
		n := 2 * rate
		far := tone(n, 0, rate, 1000, -10)
		r := rand.New(rand.NewPCG(3, 4))
		hiss := make([]int16, n)
		for i := range hiss {
			hiss[i] = int16(r.NormFloat64() * 10) // -70 dBFS
		}
		echoOnly := mix(delayed(far, rate*60/1000, -20), hiss)
		near := talk(n, rate, -15)
		settle := rate * 3 / 10

		out := run(New(rate), rate, echoOnly, far)
		att := 10 * math.Log10(power(echoOnly[settle:])/power(out[settle:]))

		silent := make([]int16, n)
		out = run(New(rate), rate, mix(near, hiss), silent)
		nearLoss := 10 * math.Log10(power(mix(near, hiss))/power(out))

		dt := mix(near, echoOnly)
		s := New(rate)
		out = run(s, rate, dt, far)
		// During the near end's bursts (the first 300 ms of each 600).
		var in, got []int16
		for at := settle; at < n; at++ {
			if (at*1000/rate/300)%2 == 0 && (at*1000/rate)%300 > 30 {
				in, got = append(in, dt[at]), append(got, out[at])
			}
		}
		dtLoss := 10 * math.Log10(power(in)/power(got))
		t.Logf("%d Hz: echo at -20 dB turned down by %.1f dB; near end alone loses %.2f dB; near end during double talk loses %.2f dB",
			rate, att, nearLoss, dtLoss)
		if att < 25 {
			t.Errorf("%d Hz: echo turned down by %.1f dB, want ≥ 25", rate, att)
		}
		if nearLoss > 0.1 {
			t.Errorf("%d Hz: near-end speech alone lost %.2f dB", rate, nearLoss)
		}
		if dtLoss > 3 {
			t.Errorf("%d Hz: near-end speech over the echo lost %.2f dB", rate, dtLoss)
		}
	}
}

// TestRelease stops the far end: the microphone comes back within the
// hold, release and ramp times.
func TestRelease(t *testing.T) {
	const rate = 8000
	n := rate
	far := tone(n, 0, rate, 1000, -10)
	clear(far[rate/2:])
	near := tone(n, 0, rate, 300, -20)
	clear(near[:rate/2])
	mic := mix(delayed(far, 480, -20), near)
	s := New(rate)
	out := run(s, rate, mic, far)
	back := rate/2 + rate*(holdMs+releaseMs+rampMs+blockMs)/1000
	if p, q := power(out[back:]), power(mic[back:]); math.Abs(10*math.Log10(q/p)) > 0.1 {
		t.Errorf("near end %.2f dB down %d ms after the far end stopped", 10*math.Log10(q/p), (back-rate/2)*1000/rate)
	}
	if s.Suppressed() == 0 {
		t.Error("nothing counted as suppressed")
	}
	s.Reset()
	if s.Suppressed() != 0 || s.gain != 1 {
		t.Error("Reset kept state")
	}
}

func TestAllocs(t *testing.T) {
	s := New(16000)
	mic, far := tone(320, 0, 16000, 300, -30), tone(320, 0, 16000, 1000, -10)
	if a := testing.AllocsPerRun(100, func() { s.Process(mic, far) }); a != 0 {
		t.Errorf("%v allocs per frame", a)
	}
}
