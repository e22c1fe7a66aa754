package codec

import (
	"math"
	"slices"
	"testing"
)

// sine16 returns n samples of a sine of amplitude amp at freq, 16 kHz.
func sine16(n int, freq, amp float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(math.Round(amp * math.Sin(2*math.Pi*freq*float64(i)/16000)))
	}
	return out
}

// TestG722RoundTrip encodes tones across the wideband range and checks the
// decoded signal against the input, after the codec's delay.
func TestG722RoundTrip(t *testing.T) {
	for _, freq := range []float64{300, 1000, 3000, 5000, 6500} {
		c, ok := ByName("g722")
		if !ok {
			t.Fatal("G722 unknown")
		}
		const frames = 50
		in := sine16(320*frames, freq, 8000)
		out := make([]int16, 0, len(in))
		payload := make([]byte, 160)
		pcm := make([]int16, 320)
		for f := range frames {
			if n := c.Encode(payload, in[f*320:(f+1)*320]); n != 160 {
				t.Fatalf("%v Hz: Encode wrote %d bytes, want 160", freq, n)
			}
			if n := c.Decode(pcm, payload); n != 320 {
				t.Fatalf("%v Hz: Decode wrote %d samples, want 320", freq, n)
			}
			out = append(out, pcm...)
		}
		// The QMF filter banks delay the signal by 22 samples; find the
		// best alignment near it and measure the error there.
		best := math.Inf(-1)
		for d := 15; d < 30; d++ {
			var sig, noise float64
			for i := 1600; i < len(in)-d; i++ {
				e := float64(out[i+d]) - float64(in[i])
				sig += float64(in[i]) * float64(in[i])
				noise += e * e
			}
			best = max(best, 10*math.Log10(sig/noise))
		}
		t.Logf("%v Hz: SNR %.1f dB", freq, best)
		if best < 20 {
			t.Errorf("%v Hz: SNR %.1f dB after G.722, want ≥ 20", freq, best)
		}
	}
}

func TestG722Info(t *testing.T) {
	c := NewG722()
	if c.Name() != "G722" || c.PayloadType() != 9 || c.SampleRate() != 16000 || c.ClockRate() != 8000 {
		t.Errorf("G722: %s pt %d, %d Hz audio, %d Hz clock", c.Name(), c.PayloadType(), c.SampleRate(), c.ClockRate())
	}
	a, _ := ByName("G722")
	b, _ := ByName("G722")
	if a == b {
		t.Error("ByName shares G.722 state between calls")
	}
}

// TestG722ShortBuffers never writes past dst.
func TestG722ShortBuffers(t *testing.T) {
	c := NewG722()
	in := sine16(320, 1000, 8000)
	if n := c.Encode(make([]byte, 10), in); n != 10 {
		t.Errorf("Encode into 10 bytes = %d", n)
	}
	if n := c.Encode(make([]byte, 200), in[:7]); n != 3 {
		t.Errorf("Encode of 7 samples = %d bytes, want 3", n)
	}
	if n := c.Decode(make([]int16, 9), make([]byte, 160)); n != 8 {
		t.Errorf("Decode into 9 samples = %d, want 8", n)
	}
	if n := c.Decode(make([]int16, 320), nil); n != 0 {
		t.Errorf("Decode of nothing = %d", n)
	}
	c.ResetDecoder()
	if n := c.Decode(make([]int16, 320), make([]byte, 160)); n != 320 {
		t.Errorf("Decode after ResetDecoder = %d", n)
	}
}

func TestG722Allocs(t *testing.T) {
	c := NewG722()
	in := sine16(320, 1000, 8000)
	payload := make([]byte, 160)
	pcm := make([]int16, 320)
	if a := testing.AllocsPerRun(100, func() {
		c.Encode(payload, in)
		c.Decode(pcm, payload)
	}); a != 0 {
		t.Errorf("%v allocs per G.722 frame, want 0", a)
	}
	if a := testing.AllocsPerRun(100, c.ResetDecoder); a != 0 {
		t.Errorf("%v allocs per ResetDecoder, want 0", a)
	}
}

// TestG722ResetDecoder checks that a reset decoder decodes like a fresh
// one and that the encoder keeps its state across the reset.
func TestG722ResetDecoder(t *testing.T) {
	in := sine16(640, 1000, 8000)
	payload := make([]byte, 320)
	c := NewG722()
	c.Encode(payload, in)

	fresh := make([]int16, 640)
	NewG722().Decode(fresh, payload)

	got := make([]int16, 640)
	c.Decode(got, payload[160:]) // some other stream first
	c.ResetDecoder()
	c.Decode(got, payload)
	if !slices.Equal(got, fresh) {
		t.Error("decoder after ResetDecoder differs from a fresh one")
	}

	// The encoder went on: coding the same audio again gives other bytes
	// than a fresh encoder, which starts from its initial step size.
	again := make([]byte, 320)
	c.Encode(again, in)
	if slices.Equal(again, payload) {
		t.Error("ResetDecoder reset the encoder as well")
	}
}

func BenchmarkG722Frame(b *testing.B) {
	c := NewG722()
	in := sine16(320, 1000, 8000)
	payload := make([]byte, 160)
	pcm := make([]int16, 320)
	b.ReportAllocs()
	for b.Loop() {
		c.Encode(payload, in)
		c.Decode(pcm, payload)
	}
}
