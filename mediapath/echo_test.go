package mediapath

import (
	"math"
	"testing"

	"github.com/pion/rtp"

	"handset/hal/sim"
	"handset/mediapath/codec"
)

// TestEchoSuppressorSwitch: a quiet microphone (as the echo of the
// earpiece would be) goes out unchanged until the far end talks loudly;
// then, with the suppressor on, 30 dB down, and with it off, unchanged.
func TestEchoSuppressorSwitch(t *testing.T) {
	for _, on := range []bool{true, false} {
		r := newRigWith(t, rigOpts{
			card: sim.SoundConfig{Mic: sim.NewToneSource(8000, 700, 0.01)}, // -40 dBFS
			edit: func(c *Config) { c.EchoSuppressor = on },
		})
		level := func(n int) float64 { // dBFS of the next n packets sent
			var sum float64
			pcm := make([]int16, 160)
			for range n {
				p := r.peer.read(t)
				codec.PCMU{}.Decode(pcm, p.Payload)
				for _, v := range pcm {
					sum += float64(v) * float64(v)
				}
			}
			return 10 * math.Log10(sum/float64(160*n)/32767/32767)
		}
		r.step(t, 10)
		before := level(10)
		// The far end talks at -6 dBFS for half a second.
		far := make([]byte, 160)
		src := sim.NewToneSource(8000, 1000, 0.5)
		frame := make([]int16, 160)
		for i := range 25 {
			src.Fill(frame)
			codec.PCMU{}.Encode(far, frame)
			r.peer.sendRTP(t, r.s, rtp.Header{PayloadType: 0, SequenceNumber: uint16(i), Timestamp: uint32(160 * i), SSRC: 9}, far)
			r.received(t, "the packet", func() bool { return r.e.Stats().PacketsReceived == uint64(i+1) })
			r.step(t, 1)
		}
		level(10) // the far end's audio starts after the jitter buffer's delay
		during := level(15)
		t.Logf("suppressor %v: mouthpiece at %.1f dBFS alone, %.1f dBFS while the far end talks", on, before, during)
		switch st := r.e.Stats(); {
		case on && (before-during < 25 || st.EchoSuppressed == 0):
			t.Errorf("on: turned down by %.1f dB, %d periods counted", before-during, st.EchoSuppressed)
		case !on && (math.Abs(before-during) > 1 || st.EchoSuppressed != 0):
			t.Errorf("off: changed by %.1f dB, %d periods counted", before-during, st.EchoSuppressed)
		}
	}
}
