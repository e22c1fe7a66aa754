package codec

import (
	"math"
	"testing"
)

func TestUlawKnownValues(t *testing.T) {
	dec := []struct {
		code byte
		want int16
	}{
		{0x00, -32124}, {0x80, 32124}, {0xFF, 0}, {0x7F, 0},
		{0xFE, 8}, {0x7E, -8}, {0xF0, 120}, {0xEF, 132}, {0x70, -120},
	}
	for i, c := range dec {
		if got := DecodeUlaw(c.code); got != c.want {
			t.Errorf("#%d: DecodeUlaw(%#02x) = %d, want %d", i, c.code, got, c.want)
		}
	}
	enc := []struct {
		s    int16
		want byte
	}{
		{0, 0xFF}, {-1, 0x7F}, {3, 0xFF}, {4, 0xFE}, {-4, 0x7F}, {-5, 0x7E},
		{32767, 0x80}, {-32768, 0x00}, {32124, 0x80}, {-32124, 0x00},
		{8159 * 4, 0x80}, {123, 0xF0}, {124, 0xEF},
	}
	for i, c := range enc {
		if got := EncodeUlaw(c.s); got != c.want {
			t.Errorf("#%d: EncodeUlaw(%d) = %#02x, want %#02x", i, c.s, got, c.want)
		}
	}
}

func TestAlawKnownValues(t *testing.T) {
	dec := []struct {
		code byte
		want int16
	}{
		{0xD5, 8}, {0x55, -8}, {0xAA, 32256}, {0x2A, -32256},
		{0xD4, 24}, {0xC5, 264}, {0xF5, 528}, {0xE5, 1056},
	}
	for i, c := range dec {
		if got := DecodeAlaw(c.code); got != c.want {
			t.Errorf("#%d: DecodeAlaw(%#02x) = %d, want %d", i, c.code, got, c.want)
		}
	}
	enc := []struct {
		s    int16
		want byte
	}{
		{0, 0xD5}, {-1, 0x55}, {15, 0xD5}, {16, 0xD4}, {-16, 0x55}, {-17, 0x54},
		{32767, 0xAA}, {-32768, 0x2A}, {256, 0xC5}, {512, 0xF5}, {1024, 0xE5},
	}
	for i, c := range enc {
		if got := EncodeAlaw(c.s); got != c.want {
			t.Errorf("#%d: EncodeAlaw(%d) = %#02x, want %#02x", i, c.s, got, c.want)
		}
	}
}

// TestAgainstReference compares every 16-bit input and every code with the
// table-driven reference.
func TestAgainstReference(t *testing.T) {
	for v := math.MinInt16; v <= math.MaxInt16; v++ {
		s := int16(v)
		if got, want := EncodeUlaw(s), refEncodeUlaw(s); got != want {
			t.Fatalf("EncodeUlaw(%d) = %#02x, reference %#02x", s, got, want)
		}
		if got, want := EncodeAlaw(s), refEncodeAlaw(s); got != want {
			t.Fatalf("EncodeAlaw(%d) = %#02x, reference %#02x", s, got, want)
		}
	}
	for c := range 256 {
		b := byte(c)
		if got, want := DecodeUlaw(b), refDecodeUlaw(b); got != want {
			t.Errorf("DecodeUlaw(%#02x) = %d, reference %d", b, got, want)
		}
		if got, want := DecodeAlaw(b), refDecodeAlaw(b); got != want {
			t.Errorf("DecodeAlaw(%#02x) = %d, reference %d", b, got, want)
		}
	}
}

func TestRoundTripAllCodes(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		want := b
		if b == 0x7F { // µ-law negative zero decodes to 0, which is +0
			want = 0xFF
		}
		if got := EncodeUlaw(DecodeUlaw(b)); got != want {
			t.Errorf("µ-law %#02x -> %d -> %#02x", b, DecodeUlaw(b), got)
		}
		if got := EncodeAlaw(DecodeAlaw(b)); got != b {
			t.Errorf("A-law %#02x -> %d -> %#02x", b, DecodeAlaw(b), got)
		}
	}
}

// TestSymmetryAndMonotony checks that the sign bit alone separates s and ^s
// and that decoded values never decrease as the input grows.
func TestSymmetryAndMonotony(t *testing.T) {
	prevU, prevA := int16(math.MinInt16), int16(math.MinInt16)
	for v := math.MinInt16; v <= math.MaxInt16; v++ {
		s := int16(v)
		if EncodeUlaw(^s) != EncodeUlaw(s)^0x80 {
			t.Fatalf("µ-law not symmetric at %d", s)
		}
		if EncodeAlaw(^s) != EncodeAlaw(s)^0x80 {
			t.Fatalf("A-law not symmetric at %d", s)
		}
		u, a := DecodeUlaw(EncodeUlaw(s)), DecodeAlaw(EncodeAlaw(s))
		if u < prevU || a < prevA {
			t.Fatalf("not monotonic at %d", s)
		}
		prevU, prevA = u, a
	}
}

func TestByName(t *testing.T) {
	cases := []struct {
		name string
		ok   bool
		pt   uint8
		want string
	}{
		{"PCMU", true, 0, "PCMU"},
		{"pcmu", true, 0, "PCMU"},
		{"PcMa", true, 8, "PCMA"},
		{"G729", false, 0, ""},
		{"", false, 0, ""},
	}
	for i, c := range cases {
		cd, ok := ByName(c.name)
		if ok != c.ok {
			t.Fatalf("#%d: ByName(%q) ok = %v", i, c.name, ok)
		}
		if !ok {
			continue
		}
		if cd.Name() != c.want || cd.PayloadType() != c.pt || cd.SampleRate() != 8000 || cd.ClockRate() != 8000 {
			t.Errorf("#%d: ByName(%q) = %s pt %d rate %d clock %d", i, c.name, cd.Name(), cd.PayloadType(), cd.SampleRate(), cd.ClockRate())
		}
	}
}

func TestFrameEncodeDecode(t *testing.T) {
	pcm := make([]int16, 160)
	for i := range pcm {
		pcm[i] = int16(10000 * math.Sin(2*math.Pi*1000*float64(i)/8000))
	}
	for _, name := range []string{"PCMU", "PCMA"} {
		cd, _ := ByName(name)
		payload := make([]byte, 160)
		if n := cd.Encode(payload, pcm); n != 160 {
			t.Fatalf("%s: Encode wrote %d", name, n)
		}
		out := make([]int16, 160)
		if n := cd.Decode(out, payload); n != 160 {
			t.Fatalf("%s: Decode wrote %d", name, n)
		}
		for i := range pcm {
			// At 10000 the step is 512 (µ-law) or 512 (A-law); the error is
			// at most half a step.
			if d := int(out[i]) - int(pcm[i]); d > 256 || d < -256 {
				t.Fatalf("%s: sample %d: %d -> %d", name, i, pcm[i], out[i])
			}
		}
		// Short destinations are filled, never overrun.
		if n := cd.Encode(payload[:10], pcm); n != 10 {
			t.Errorf("%s: Encode into 10 bytes wrote %d", name, n)
		}
		if n := cd.Decode(out[:7], payload); n != 7 {
			t.Errorf("%s: Decode into 7 samples wrote %d", name, n)
		}
	}
}

func TestFrameAllocs(t *testing.T) {
	pcm := make([]int16, 160)
	payload := make([]byte, 160)
	for _, name := range []string{"PCMU", "PCMA"} {
		cd, _ := ByName(name)
		if a := testing.AllocsPerRun(100, func() {
			cd.Encode(payload, pcm)
			cd.Decode(pcm, payload)
		}); a != 0 {
			t.Errorf("%s: %v allocs per Encode+Decode, want 0", name, a)
		}
	}
}

func benchmarkCodec(b *testing.B, name string, encode bool) {
	cd, _ := ByName(name)
	pcm := make([]int16, 160)
	for i := range pcm {
		pcm[i] = int16(8000 * math.Sin(float64(i)/3))
	}
	payload := make([]byte, 160)
	cd.Encode(payload, pcm)
	b.ReportAllocs()
	b.SetBytes(160)
	for b.Loop() {
		if encode {
			cd.Encode(payload, pcm)
		} else {
			cd.Decode(pcm, payload)
		}
	}
}

func BenchmarkPCMUEncode(b *testing.B) { benchmarkCodec(b, "PCMU", true) }
func BenchmarkPCMUDecode(b *testing.B) { benchmarkCodec(b, "PCMU", false) }
func BenchmarkPCMAEncode(b *testing.B) { benchmarkCodec(b, "PCMA", true) }
func BenchmarkPCMADecode(b *testing.B) { benchmarkCodec(b, "PCMA", false) }
