package g722

import (
	"math/rand/v2"
	"slices"
	"testing"

	ref "github.com/gotranspile/g722"
)

// The reference is github.com/gotranspile/g722 at 64 kbit/s: the coder
// this package replaced. Ours must produce the same bytes and samples.
const refRate = ref.Rate64000

// chunks splits n into the even lengths of successive calls: single pairs,
// 20 ms periods and runs of random length, so that state carries across
// calls of every size.
func chunks(n int, seed uint64) []int {
	r := rand.New(rand.NewPCG(seed, 9))
	var out []int
	for n > 0 {
		var c int
		switch r.IntN(4) {
		case 0:
			c = 2
		case 1:
			c = 320
		default:
			c = 2 * (1 + r.IntN(700))
		}
		c = min(c, n)
		out = append(out, c)
		n -= c
	}
	return out
}

// firstDiff returns the index of the first difference of a and b, or -1.
func firstDiff[T comparable](a, b []T) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// encodeBoth encodes pcm with ours and the reference in the same chunks,
// resetting both at resetAt (in samples; -1 for never).
func encodeBoth(t *testing.T, pcm []int16, resetAt int, seed uint64) (ours, theirs []byte) {
	t.Helper()
	var enc Encoder
	renc := ref.NewEncoder(refRate, 0)
	ours = make([]byte, len(pcm)/2)
	theirs = make([]byte, len(pcm)/2)
	at := 0
	for _, c := range chunks(len(pcm), seed) {
		if at <= resetAt && resetAt < at+c {
			// Split the chunk at the reset point.
			head := resetAt - at
			enc.Encode(ours[at/2:], pcm[at:at+head])
			renc.Encode(theirs[at/2:(at+head)/2], pcm[at:at+head])
			at += head
			c -= head
			enc.Reset()
			renc = ref.NewEncoder(refRate, 0)
		}
		if n := enc.Encode(ours[at/2:], pcm[at:at+c]); n != c/2 {
			t.Fatalf("Encode of %d samples wrote %d bytes", c, n)
		}
		renc.Encode(theirs[at/2:(at+c)/2], pcm[at:at+c])
		at += c
	}
	return ours, theirs
}

// decodeBoth decodes payload with ours and the reference in the same
// chunks, resetting both at resetAt (in bytes; -1 for never).
func decodeBoth(t *testing.T, payload []byte, resetAt int, seed uint64) (ours, theirs []int16) {
	t.Helper()
	var dec Decoder
	rdec := ref.NewDecoder(refRate, 0)
	ours = make([]int16, 2*len(payload))
	theirs = make([]int16, 2*len(payload))
	at := 0
	for _, c := range chunks(len(payload), seed) {
		if at <= resetAt && resetAt < at+c {
			head := resetAt - at
			dec.Decode(ours[2*at:], payload[at:at+head])
			rdec.Decode(theirs[2*at:2*(at+head)], payload[at:at+head])
			at += head
			c -= head
			dec.Reset()
			rdec = ref.NewDecoder(refRate, 0)
		}
		if n := dec.Decode(ours[2*at:], payload[at:at+c]); n != 2*c {
			t.Fatalf("Decode of %d bytes wrote %d samples", c, n)
		}
		rdec.Decode(theirs[2*at:2*(at+c)], payload[at:at+c])
		at += c
	}
	return ours, theirs
}

// TestBitExact encodes every test signal with ours and the reference, then
// decodes the bytes with both, once straight through and once with a reset
// of both sides a third of the way in.
func TestBitExact(t *testing.T) {
	for i, sig := range signals() {
		for _, reset := range []bool{false, true} {
			name := sig.name
			resetAt := -1
			if reset {
				name += "/reset"
				resetAt = len(sig.pcm) / 3 &^ 1
			}
			t.Run(name, func(t *testing.T) {
				seed := uint64(i)
				ours, theirs := encodeBoth(t, sig.pcm, resetAt, seed)
				if d := firstDiff(ours, theirs); d >= 0 {
					t.Fatalf("#%d: byte %d (sample %d): got %#02x, reference %#02x", i, d, 2*d, ours[d], theirs[d])
				}
				byteReset := -1
				if reset {
					byteReset = resetAt / 2
				}
				got, want := decodeBoth(t, theirs, byteReset, seed+100)
				if d, _ := firstSampleDiff(got, want); d >= 0 {
					t.Fatalf("#%d: decoded sample %d: got %d, reference %d", i, d, got[d], want[d])
				}
			})
		}
	}
}

// TestDecodeArbitraryBytes decodes streams no encoder would send: random
// bytes, random bytes from the extreme codes only, and each of the 256
// byte values repeated. The decoder must match the reference throughout.
func TestDecodeArbitraryBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 42))
	random := make([]byte, 10*8000)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	extreme := make([]byte, 4*8000)
	for i := range extreme {
		// Codes 0-3 and 60-63 are the ones an encoder never sends or sends
		// least; high bits at random.
		low := byte(r.IntN(8))
		if low >= 4 {
			low += 56
		}
		extreme[i] = byte(r.IntN(4))<<6 | low
	}
	constant := make([]byte, 0, 256*400)
	for v := range 256 {
		for range 400 {
			constant = append(constant, byte(v))
		}
	}
	streams := []struct {
		name    string
		payload []byte
		resetAt int
	}{
		{"random", random, -1},
		{"random-reset", random, len(random) / 2},
		{"extreme-codes", extreme, -1},
		{"each-value-repeated", constant, -1},
		{"each-value-repeated-reset", constant, 100*400 + 17},
	}
	clipped := 0
	for i, s := range streams {
		t.Run(s.name, func(t *testing.T) {
			got, want := decodeBoth(t, s.payload, s.resetAt, uint64(i))
			d, n := firstSampleDiff(got, want)
			if d >= 0 {
				t.Fatalf("#%d: sample %d (byte %#02x): got %d, reference %d", i, d, s.payload[d/2], got[d], want[d])
			}
			clipped += n
		})
	}
	if clipped == 0 {
		t.Error("no stream made the synthesis filter overshoot: clipping went untested")
	}
}

// firstSampleDiff compares decoded samples with the reference's and
// returns the first that differs (-1 for none) and how many differ only
// because ours clipped an overshoot the reference let wrap around.
func firstSampleDiff(got, want []int16) (first, clipped int) {
	if len(got) != len(want) {
		return min(len(got), len(want)), 0
	}
	for i := range got {
		switch g, w := got[i], want[i]; {
		case g == w:
		case g == 32767 || g == -32768: // the reference wrapped what we clip
			clipped++
		default:
			return i, clipped
		}
	}
	return -1, clipped
}

// TestZeroValueIsReset checks that a zero Encoder and Decoder behave as
// ones that were used and then Reset.
func TestZeroValueIsReset(t *testing.T) {
	pcm := speechLike(3200, 11)
	var fresh, used Encoder
	a, b := make([]byte, 1600), make([]byte, 1600)
	used.Encode(a, sweep(3200, 100, 7000, 20000))
	used.Reset()
	fresh.Encode(a, pcm)
	used.Encode(b, pcm)
	if !slices.Equal(a, b) {
		t.Error("Encoder after Reset differs from a zero Encoder")
	}
	var dfresh, dused Decoder
	x, y := make([]int16, 3200), make([]int16, 3200)
	dused.Decode(x, b)
	dused.Reset()
	dfresh.Decode(x, a)
	dused.Decode(y, a)
	if !slices.Equal(x, y) {
		t.Error("Decoder after Reset differs from a zero Decoder")
	}
}
