package tone

import (
	"math"
	"testing"
	"time"

	"handset/mediapath/detect"
)

// render mixes d of g's output into silence, 20 ms at a time.
func render(g *Generator, rate int, d time.Duration) []int16 {
	n := int(d.Seconds() * float64(rate))
	out := make([]int16, n)
	frame := rate / 50
	for i := 0; i < n; i += frame {
		g.Mix(out[i:min(i+frame, n)])
	}
	return out
}

// bursts returns the [start, end) sample ranges where x sounds. Silent gaps
// under 1 ms (a waveform crossing zero) count as sound; a burst still
// sounding at the end of x is left out.
func bursts(x []int16, rate int) [][2]int {
	gap := max(rate/1000, 1)
	var out [][2]int
	on, start, zeros := false, 0, 0
	for i, v := range x {
		if v != 0 {
			zeros = 0
			if !on {
				on, start = true, i
			}
			continue
		}
		if on {
			if zeros++; zeros == gap {
				out = append(out, [2]int{start, i - gap + 1})
				on = false
			}
		}
	}
	if on {
		out = append(out, [2]int{start, -1})
	}
	return out
}

// runs measures the cadence in samples: the lengths of alternating sounding
// and silent periods, starting with the first burst and ending with the
// silence before the last burst, whether or not that one ended.
func runs(x []int16, rate int) []int {
	var out []int
	b := bursts(x, rate)
	for i, r := range b {
		if r[1] < 0 {
			break
		}
		out = append(out, r[1]-r[0])
		if i+1 < len(b) {
			out = append(out, b[i+1][0]-r[1])
		}
	}
	return out
}

func TestCadenceTiming(t *testing.T) {
	cases := []struct {
		country string
		kind    Kind
		rate    int
	}{
		{"us", Ringback, 8000},
		{"us", Busy, 8000},
		{"us", Congestion, 16000},
		{"uk", Ringback, 8000},
		{"uk", Ringback, 16000},
		{"uk", Congestion, 8000},
		{"de", Busy, 16000},
		{"fr", Ringback, 8000},
		{"us", Error, 8000},
		{"us", OffHookWarn, 16000},
	}
	for i, c := range cases {
		p, _ := PlanFor(c.country)
		spec := p.Tones[c.kind]
		var cycle time.Duration
		for _, d := range spec.Cadence {
			cycle += d
		}
		g := NewGenerator(c.rate, p)
		g.Play(c.kind)
		got := runs(render(g, c.rate, 2*cycle+50*time.Millisecond), c.rate)
		want := len(spec.Cadence)*2 + 1 // two cycles and the next burst's start
		if len(got) < want-1 {
			t.Errorf("#%d %s %v @%d: runs %v", i, c.country, c.kind, c.rate, got)
			continue
		}
		tol := c.rate / 1000 // 1 ms
		for j := range want - 1 {
			exp := int(spec.Cadence[j%len(spec.Cadence)].Seconds() * float64(c.rate))
			if d := got[j] - exp; d > tol || d < -tol {
				t.Errorf("#%d %s %v @%d: period %d is %d samples, want %d±%d", i, c.country, c.kind, c.rate, j, got[j], exp, tol)
			}
		}
	}
}

// tonePower is the Goertzel power a component at levelDB dBm0 should show.
func tonePower(levelDB float64) float64 {
	a := float64(Amplitude(levelDB)) / 32768
	return a * a
}

// TestFrequencies checks every tone of every plan: each on-period carries its
// frequencies at the planned level, and the strongest frequency is one of
// them.
func TestFrequencies(t *testing.T) {
	for _, country := range Countries() {
		p, _ := PlanFor(country)
		for k := Dial; k <= Ringtone; k++ {
			spec := p.Tones[k]
			for _, rate := range []int{8000, 16000} {
				g := NewGenerator(rate, p)
				g.Play(k)
				x := render(g, rate, 3*time.Second)
				pairs := spec.Bursts
				if len(pairs) == 0 {
					pairs = [][2]float64{spec.Freqs}
				}
				// Where each on-period starts, in samples.
				starts, at := []int{0}, 0
				for j := 0; j+1 < len(spec.Cadence) && len(starts) < len(pairs); j += 2 {
					at += int((spec.Cadence[j] + spec.Cadence[j+1]).Seconds() * float64(rate))
					starts = append(starts, at)
				}
				for b, f := range pairs {
					// 40 ms from 10 ms into the burst, clear of the ramps.
					seg := x[starts[b]+rate/100 : starts[b]+rate/100+rate/25]
					for _, fr := range f {
						if fr == 0 {
							continue
						}
						pw := detect.Goertzel(seg, rate, fr)
						if want := tonePower(spec.LevelDB); math.Abs(pw-want) > 0.1*want {
							t.Errorf("%s %v @%d burst %d: %v Hz power %.3g, want %.3g", country, k, rate, b, fr, pw, want)
						}
					}
					dom := detect.Dominant(seg, rate, 300, 3000, 5)
					if math.Abs(dom-f[0]) > 5 && math.Abs(dom-f[1]) > 5 {
						t.Errorf("%s %v @%d burst %d: dominant %v Hz, want one of %v", country, k, rate, b, dom, f)
					}
				}
			}
		}
	}
}

func TestOnceStops(t *testing.T) {
	p, _ := PlanFor("us")
	g := NewGenerator(8000, p)
	g.Play(CallWaiting)
	if g.Playing() != CallWaiting {
		t.Fatalf("Playing() = %v", g.Playing())
	}
	x := render(g, 8000, time.Second)
	if got := runs(x, 8000); len(got) != 1 || got[0] < 2392 || got[0] > 2408 {
		t.Errorf("call waiting runs %v, want one burst of 2400 samples", got)
	}
	if g.Playing() != None {
		t.Errorf("Playing() after the beep = %v, want none", g.Playing())
	}
	for i, v := range x[2400:] {
		if v != 0 {
			t.Fatalf("sample %d after the beep is %d", 2400+i, v)
		}
	}
}

func TestStutterThenSteady(t *testing.T) {
	p, _ := PlanFor("us")
	g := NewGenerator(8000, p)
	g.Play(StutterDial)
	got := runs(render(g, 8000, 4*time.Second), 8000)
	// Ten 100/100 ms bursts, then a steady tone that never stops.
	if len(got) != 20 {
		t.Fatalf("runs = %v, want 20 periods of 800 samples and an unending tone", got)
	}
	for j, n := range got {
		if n < 792 || n > 808 {
			t.Errorf("period %d is %d samples", j, n)
		}
	}
	if g.Playing() != StutterDial {
		t.Errorf("Playing() = %v", g.Playing())
	}
}

func TestPlayNoneAndUnknown(t *testing.T) {
	p, _ := PlanFor("de")
	delete(p.Tones, Busy)
	g := NewGenerator(8000, p)
	for _, k := range []Kind{None, Busy, Kind(99), Kind(-1)} {
		g.Play(k)
		for i, v := range render(g, 8000, 200*time.Millisecond) {
			if v != 0 {
				t.Fatalf("Play(%v): sample %d = %d, want silence", k, i, v)
			}
		}
	}
	g.Play(Dial)
	render(g, 8000, 100*time.Millisecond)
	g.Play(None)
	x := render(g, 8000, 100*time.Millisecond)
	for i, v := range x[80:] { // faded out within 10 ms
		if v != 0 {
			t.Fatalf("sample %d after Play(None) = %d", 80+i, v)
		}
	}
	if g.Playing() != None {
		t.Errorf("Playing() = %v", g.Playing())
	}
}

func TestPlayKey(t *testing.T) {
	p, _ := PlanFor("us")
	g := NewGenerator(8000, p)
	g.Play(Dial)
	render(g, 8000, 100*time.Millisecond)
	g.PlayKey('5', 100*time.Millisecond)
	x := render(g, 8000, 300*time.Millisecond)

	during := x[80:720] // 10..90 ms
	after := x[1200:]   // from 150 ms
	key := tonePower(keyLevelDB)
	dial := tonePower(p.Tones[Dial].LevelDB)
	checks := []struct {
		name    string
		seg     []int16
		freq    float64
		present bool
		want    float64
	}{
		{"key row", during, 770, true, key},
		{"key column", during, 1336, true, key},
		{"dial muted", during, 350, false, dial},
		{"key gone", after, 770, false, key},
		{"dial back", after, 350, true, dial},
		{"dial back", after, 440, true, dial},
	}
	for i, c := range checks {
		pw := detect.Goertzel(c.seg, 8000, c.freq)
		if c.present && math.Abs(pw-c.want) > 0.1*c.want {
			t.Errorf("#%d %s: %v Hz power %.3g, want %.3g", i, c.name, c.freq, pw, c.want)
		}
		if !c.present && pw > c.want/1000 {
			t.Errorf("#%d %s: %v Hz power %.3g, want none", i, c.name, c.freq, pw)
		}
	}
	if g.Playing() != Dial {
		t.Errorf("Playing() = %v", g.Playing())
	}
}

func TestPlayKeyOverlaysFrame(t *testing.T) {
	p, _ := PlanFor("us")
	g := NewGenerator(8000, p)
	frame := make([]int16, 160)
	fill := func(v int16) {
		for i := range frame {
			frame[i] = v
		}
	}
	fill(1000)
	g.Mix(frame)
	for _, v := range frame {
		if v != 1000 {
			t.Fatalf("Mix with nothing playing changed the frame: %d", v)
		}
	}
	g.PlayKey('x', time.Second) // ignored
	g.PlayKey('1', 0)           // ignored
	g.Mix(frame)
	for _, v := range frame {
		if v != 1000 {
			t.Fatalf("an ignored key changed the frame: %d", v)
		}
	}
	g.PlayKey('#', 40*time.Millisecond)
	fill(1000)
	g.Mix(frame)
	changed := 0
	for _, v := range frame {
		if v != 1000 {
			changed++
		}
	}
	if changed < 100 {
		t.Errorf("key feedback changed only %d of 160 samples", changed)
	}
	fill(1000)
	g.Mix(frame) // 20..40 ms: the key ends
	fill(1000)
	g.Mix(frame)
	for _, v := range frame {
		if v != 1000 {
			t.Fatalf("the frame changed after the key ended: %d", v)
		}
	}
}

func TestSaturation(t *testing.T) {
	p, _ := PlanFor("us")
	g := NewGenerator(8000, p)
	g.Play(OffHookWarn)
	frame := make([]int16, 1600)
	for i := range frame {
		frame[i] = 32000
	}
	g.Mix(frame)
	lo, hi := int16(math.MaxInt16), int16(math.MinInt16)
	for _, v := range frame {
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi != math.MaxInt16 || lo < 32000-2*int16(Amplitude(levelHowler)) {
		t.Errorf("range [%d, %d]: want clipping at 32767 and no wrap-around", lo, hi)
	}
}

// maxJump is the largest difference between neighbouring samples.
func maxJump(x []int16) int {
	m := 0
	for i := 1; i < len(x); i++ {
		d := int(x[i]) - int(x[i-1])
		m = max(m, d, -d)
	}
	return m
}

// slope is the largest sample-to-sample change of sines at these
// frequencies and level: 2·A·sin(π·f/rate) each.
func slope(rate int, levelDB float64, freqs ...float64) float64 {
	a := float64(Amplitude(levelDB))
	var s float64
	for _, f := range freqs {
		s += 2 * a * math.Sin(math.Pi*f/float64(rate))
	}
	return s
}

// TestNoClicks checks that no burst edge, tone change or key press makes a
// jump larger than the sines themselves do, plus an eighth of the amplitude
// for the ramps. An unshaped edge jumps by up to the full amplitude: the
// 401 Hz bursts of 250 ms end at a sine peak.
func TestNoClicks(t *testing.T) {
	p, _ := PlanFor("us")
	p.Tones[Busy] = Spec{Freqs: [2]float64{401}, LevelDB: -10, Cadence: ms(250, 250)}
	busy := func(g *Generator, rate int) []int16 {
		g.Play(Busy)
		return render(g, rate, 2*time.Second)
	}
	change := func(g *Generator, rate int) []int16 {
		g.Play(Ringback)
		x := render(g, rate, 230*time.Millisecond)
		g.Play(Congestion) // mid-burst
		x = append(x, render(g, rate, 110*time.Millisecond)...)
		g.Play(None) // mid-burst
		return append(x, render(g, rate, 100*time.Millisecond)...)
	}
	key := func(g *Generator, rate int) []int16 {
		g.PlayKey('9', 70*time.Millisecond)
		return render(g, rate, 100*time.Millisecond)
	}
	cases := []struct {
		name    string
		run     func(*Generator, int) []int16
		levelDB float64
		freqs   []float64
	}{
		{"401 Hz cadence", busy, -10, []float64{401}},
		{"tone changes", change, levelProgress, []float64{480, 620}},
		{"key feedback", key, keyLevelDB, []float64{852, 1477}},
	}
	for _, c := range cases {
		for _, rate := range []int{8000, 16000} {
			x := c.run(NewGenerator(rate, p), rate)
			limit := slope(rate, c.levelDB, c.freqs...) + float64(len(c.freqs))*float64(Amplitude(c.levelDB))/8
			if j := maxJump(x); float64(j) > limit {
				t.Errorf("%s @%d: largest jump %d, want at most %.0f", c.name, rate, j, limit)
			}
		}
	}
}

// rms is the root mean square of x.
func rms(x []int16) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(x)))
}

// TestBurstEdgesRamp checks that every burst fades in and out: its first and
// last millisecond carry far less power than its middle.
func TestBurstEdgesRamp(t *testing.T) {
	for _, rate := range []int{8000, 16000} {
		p, _ := PlanFor("uk")
		g := NewGenerator(rate, p)
		g.Play(Congestion)
		x := render(g, rate, 1400*time.Millisecond) // two bursts
		g.Play(None)
		g.PlayKey('4', 60*time.Millisecond)
		x = append(x, render(g, rate, 100*time.Millisecond)...)
		ms1 := rate / 1000
		b := bursts(x, rate)
		if len(b) != 3 {
			t.Fatalf("@%d: bursts %v, want 2 tone bursts and a key", rate, b)
		}
		for _, r := range b {
			if r[1] < 0 {
				continue
			}
			mid := rms(x[(r[0]+r[1])/2-5*ms1 : (r[0]+r[1])/2+5*ms1])
			head, tail := rms(x[r[0]:r[0]+ms1]), rms(x[r[1]-ms1:r[1]])
			if head > 0.35*mid || tail > 0.35*mid {
				t.Errorf("@%d burst %v: edge rms %.0f/%.0f, middle %.0f", rate, r, head, tail, mid)
			}
		}
	}
}

func TestMixAllocs(t *testing.T) {
	p, _ := PlanFor("uk")
	g := NewGenerator(8000, p)
	g.Play(Congestion)
	frame := make([]int16, 160)
	if a := testing.AllocsPerRun(200, func() {
		g.Mix(frame)
		g.PlayKey('1', 40*time.Millisecond)
		g.Play(Congestion)
	}); a != 0 {
		t.Errorf("%v allocs per Mix, want 0", a)
	}
}

func BenchmarkMix(b *testing.B) {
	p, _ := PlanFor("us")
	g := NewGenerator(8000, p)
	g.Play(Dial)
	frame := make([]int16, 160)
	b.ReportAllocs()
	for b.Loop() {
		g.Mix(frame)
	}
}

func BenchmarkMixWithKey(b *testing.B) {
	p, _ := PlanFor("us")
	g := NewGenerator(16000, p)
	g.Play(Ringback)
	frame := make([]int16, 320)
	b.ReportAllocs()
	for b.Loop() {
		g.PlayKey('5', time.Second)
		g.Mix(frame)
	}
}
