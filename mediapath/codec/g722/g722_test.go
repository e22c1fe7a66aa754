package g722

import (
	"math"
	"testing"

	ref "github.com/gotranspile/g722"
)

// roundTrip encodes in and decodes the result with fresh coders.
func roundTrip(in []int16) []int16 {
	var enc Encoder
	var dec Decoder
	payload := make([]byte, len(in)/2)
	out := make([]int16, len(in))
	dec.Decode(out, payload[:enc.Encode(payload, in)])
	return out
}

// codecDelay is the delay of the analysis and synthesis filter banks
// together, in 16 kHz samples.
const codecDelay = 22

// TestDelay finds the codec's delay as the lag of the peak
// cross-correlation of broadband input and output.
func TestDelay(t *testing.T) {
	in := speechLike(2*rate, 21)
	out := roundTrip(in)
	best, bestLag := math.Inf(-1), -1
	for lag := range 64 {
		var c float64
		for j := 0; j+lag < len(out); j++ {
			c += float64(in[j]) * float64(out[j+lag])
		}
		if c > best {
			best, bestLag = c, lag
		}
	}
	if bestLag != codecDelay {
		t.Errorf("output best matches the input %d samples later, want %d", bestLag, codecDelay)
	}
}

// TestRoundTripQuality encodes and decodes tones and measures the
// signal-to-noise ratio against the input delayed by codecDelay, once the
// step sizes have settled.
func TestRoundTripQuality(t *testing.T) {
	cases := []struct {
		freq, amp float64
		minSNR    float64 // dB
	}{
		{1000, 10000, 40},
		{1000, 1000, 35},
		{1000, 30000, 40},
		{300, 10000, 40},
		{3000, 10000, 35},
		{6000, 10000, 20}, // the higher band has 2 bits only
	}
	for i, c := range cases {
		in := sine(2*rate, c.freq, c.amp)
		out := roundTrip(in)
		var sig, noise float64
		for j := rate / 10; j+codecDelay < len(out); j++ {
			e := float64(out[j+codecDelay]) - float64(in[j])
			sig += float64(in[j]) * float64(in[j])
			noise += e * e
		}
		snr := 10 * math.Log10(sig/noise)
		t.Logf("%v Hz at %v: SNR %.1f dB", c.freq, c.amp, snr)
		if snr < c.minSNR {
			t.Errorf("#%d: %v Hz at %v: SNR %.1f dB, want at least %v", i, c.freq, c.amp, snr, c.minSNR)
		}
	}
}

// TestLengths checks how much Encode and Decode do with short buffers and
// odd lengths.
func TestLengths(t *testing.T) {
	pcm := sine(320, 1000, 8000)
	cases := []struct {
		dst, src int
		want     int
	}{
		{160, 320, 160}, {10, 320, 10}, {200, 7, 3}, {160, 1, 0}, {0, 320, 0},
	}
	for i, c := range cases {
		var enc Encoder
		if n := enc.Encode(make([]byte, c.dst), pcm[:c.src]); n != c.want {
			t.Errorf("#%d: Encode(%d bytes, %d samples) = %d, want %d", i, c.dst, c.src, n, c.want)
		}
	}
	payload := make([]byte, 160)
	dcases := []struct {
		dst, src int
		want     int
	}{
		{320, 160, 320}, {9, 160, 8}, {1, 160, 0}, {320, 0, 0}, {400, 160, 320},
	}
	for i, c := range dcases {
		var dec Decoder
		dst := make([]int16, c.dst)
		for j := range dst {
			dst[j] = 12345
		}
		if n := dec.Decode(dst, payload[:c.src]); n != c.want {
			t.Errorf("#%d: Decode(%d samples, %d bytes) = %d, want %d", i, c.dst, c.src, n, c.want)
		}
		for j := c.want; j < len(dst); j++ {
			if dst[j] != 12345 {
				t.Errorf("#%d: Decode wrote sample %d beyond its count", i, j)
				break
			}
		}
	}
}

func TestAllocs(t *testing.T) {
	pcm := speechLike(320, 1)
	payload := make([]byte, 160)
	out := make([]int16, 320)
	enc, dec := new(Encoder), new(Decoder)
	cases := []struct {
		name string
		f    func()
	}{
		{"Encode", func() { enc.Encode(payload, pcm) }},
		{"Decode", func() { dec.Decode(out, payload) }},
		{"Encoder.Reset", enc.Reset},
		{"Decoder.Reset", dec.Reset},
	}
	for _, c := range cases {
		if a := testing.AllocsPerRun(100, c.f); a != 0 {
			t.Errorf("%s: %v allocs per call, want 0", c.name, a)
		}
	}
}

// The benchmarks code 20 ms periods of speech-like sound: 320 samples into
// 160 bytes, 160 bytes (coded beforehand) into 320 samples, or both. Those
// named Reference run the coder this package replaced, for comparison.

func benchPeriod(b *testing.B, encode func([]byte, []int16) int, decode func([]int16, []byte) int) {
	const frames = 50
	pcm := speechLike(frames*320, 3)
	var enc Encoder
	coded := make([]byte, frames*160)
	enc.Encode(coded, pcm)
	payload := make([]byte, 160)
	out := make([]int16, 320)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := coded[i*160 : (i+1)*160]
		if encode != nil {
			encode(payload, pcm[i*320:(i+1)*320])
			in = payload
		}
		if decode != nil {
			decode(out, in)
		}
		i = (i + 1) % frames
	}
}

func BenchmarkEncode(b *testing.B) {
	var enc Encoder
	benchPeriod(b, enc.Encode, nil)
}

func BenchmarkDecode(b *testing.B) {
	var dec Decoder
	benchPeriod(b, nil, dec.Decode)
}

func BenchmarkPeriod(b *testing.B) {
	var enc Encoder
	var dec Decoder
	benchPeriod(b, enc.Encode, dec.Decode)
}

func BenchmarkReferenceEncode(b *testing.B) {
	benchPeriod(b, ref.NewEncoder(refRate, 0).Encode, nil)
}

func BenchmarkReferenceDecode(b *testing.B) {
	benchPeriod(b, nil, ref.NewDecoder(refRate, 0).Decode)
}

func BenchmarkReferencePeriod(b *testing.B) {
	benchPeriod(b, ref.NewEncoder(refRate, 0).Encode, ref.NewDecoder(refRate, 0).Decode)
}
