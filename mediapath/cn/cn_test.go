package cn

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestPayload(t *testing.T) {
	buf := make([]byte, 2)
	for _, c := range []struct{ in, want uint8 }{{0, 0}, {40, 40}, {127, 127}, {200, 127}} {
		n, err := MarshalTo(buf, c.in)
		if err != nil || n != 1 || buf[0] != c.want {
			t.Errorf("MarshalTo(%d) = % x, %d, %v", c.in, buf[:1], n, err)
		}
	}
	if _, err := MarshalTo(nil, 1); !errors.Is(err, errEmpty) {
		t.Errorf("MarshalTo(nil): %v", err)
	}
	for _, c := range []struct {
		b    []byte
		want uint8
	}{{[]byte{60}, 60}, {[]byte{0x80 | 60}, 60}, {[]byte{45, 1, 2, 3, 4}, 45}} {
		if got, err := Unmarshal(c.b); err != nil || got != c.want {
			t.Errorf("Unmarshal(% x) = %d, %v", c.b, got, err)
		}
	}
	if _, err := Unmarshal(nil); !errors.Is(err, errEmpty) {
		t.Errorf("Unmarshal(nil): %v", err)
	}
}

func TestLevels(t *testing.T) {
	square := make([]int16, 160)
	sine := make([]int16, 160)
	for i := range square {
		square[i] = 32767
		if i%2 == 1 {
			square[i] = -32767
		}
		sine[i] = int16(32767 * math.Sin(2*math.Pi*float64(i)/40))
	}
	if l := LevelOf(square); l != 0 {
		t.Errorf("full-scale square at %d dBov, want 0", l)
	}
	if l := LevelOf(sine); l != 3 {
		t.Errorf("full-scale sine at -%d dBov, want -3", l)
	}
	if l := LevelOf(make([]int16, 160)); l != Silent {
		t.Errorf("silence at -%d dBov", l)
	}
}

// TestGenerator checks that the noise has the level asked for.
func TestGenerator(t *testing.T) {
	g := NewGenerator(42)
	frame := make([]int16, 160)
	for _, level := range []uint8{20, 40, 60, 80} {
		g.SetLevel(level)
		g.Fill(frame) // glide
		var sum float64
		for range 50 {
			g.Fill(frame)
			for _, v := range frame {
				sum += float64(v) * float64(v)
			}
		}
		got := levelOfRMS(math.Sqrt(sum / (50 * 160)))
		if d := int(got) - int(level); d < -1 || d > 1 {
			t.Errorf("noise asked at -%d dBov measures -%d", level, got)
		}
	}
	g.SetLevel(Silent)
	g.Fill(frame)
	g.Fill(frame)
	for _, v := range frame {
		if v != 0 {
			t.Fatal("silent level makes noise")
		}
	}
}

// TestVAD runs background noise, then speech-like bursts, then noise.
func TestVAD(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	noise := func(rms float64) []int16 {
		f := make([]int16, 160)
		for i := range f {
			f[i] = int16(r.NormFloat64() * rms)
		}
		return f
	}
	talk := func(k int) []int16 {
		f := make([]int16, 160)
		for i := range f {
			f[i] = int16(3000*math.Sin(2*math.Pi*float64(k*160+i)*220/8000)) + int16(r.NormFloat64()*100)
		}
		return f
	}
	var v VAD
	var active []bool
	for range 50 {
		active = append(active, v.Active(noise(100))) // about -50 dBov
	}
	for k := range 25 {
		active = append(active, v.Active(talk(k)))
	}
	for range 50 {
		active = append(active, v.Active(noise(100)))
	}
	count := func(a []bool) (n int) {
		for _, b := range a {
			if b {
				n++
			}
		}
		return n
	}
	if n := count(active[:50]); n != 0 {
		t.Errorf("%d noise frames taken for speech", n)
	}
	if n := count(active[50:75]); n != 25 {
		t.Errorf("%d of 25 speech frames detected", n)
	}
	if n := count(active[75:85]); n != 10 {
		t.Errorf("hangover: %d of 10 frames after speech still active", n)
	}
	if n := count(active[90:]); n != 0 {
		t.Errorf("%d noise frames after speech taken for speech", n)
	}
	if l := v.NoiseLevel(); l < 48 || l > 52 {
		t.Errorf("noise level -%d dBov, want about -50", l)
	}
	v.Reset()
	if v.NoiseLevel() != Silent {
		t.Error("Reset kept the noise level")
	}
	// Digital silence is never speech, not even at the start.
	for i := range 5 {
		if v.Active(make([]int16, 160)) {
			t.Fatalf("silent frame %d taken for speech", i)
		}
	}
}

func TestAllocs(t *testing.T) {
	g := NewGenerator(1)
	g.SetLevel(50)
	var v VAD
	frame := make([]int16, 320)
	buf := make([]byte, 4)
	if a := testing.AllocsPerRun(100, func() {
		g.Fill(frame)
		v.Active(frame)
		MarshalTo(buf, v.NoiseLevel())
		Unmarshal(buf)
	}); a != 0 {
		t.Errorf("%v allocs per frame", a)
	}
}
