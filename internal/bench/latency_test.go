package bench

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtp"

	"handset/mediapath/codec"
)

var (
	testPhone = netip.MustParseAddrPort("127.0.0.1:20000")
	testFar   = netip.MustParseAddrPort("127.0.0.1:30000")
)

// traceOf makes an audio trace: kind's periods of 160 frames from t0, one
// every 20 ms.
func traceOf(t *testing.T, kind string, t0 time.Time, periods int) *AudioTrace {
	t.Helper()
	var b strings.Builder
	for k := range periods {
		fmt.Fprintf(&b, "%s %d %d\n", kind, k*160, t0.Add(time.Duration(k)*ptime).UnixNano())
	}
	tr, err := ReadAudioTrace(strings.NewReader(b.String()), 8000)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestMicToWire(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tr := traceOf(t, "c", t0, 100)
	mic := make([]int16, 100*160)
	clicks := []int64{4017, 8000}
	for _, f := range clicks {
		AddClick(mic, int(f), 8000)
	}
	c, _ := codec.ByName("PCMU")
	var pkts []Packet
	for k := range 100 {
		p := rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: uint16(65500 + k), Timestamp: uint32(k * 160)}}
		p.Payload = make([]byte, 160)
		c.Encode(p.Payload, mic[k*160:(k+1)*160])
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		// Packet k leaves 1 ms after its period was captured.
		pkts = append(pkts, Packet{At: t0.Add(time.Duration(k+1)*ptime + time.Millisecond), Src: testPhone, Dst: testFar, Payload: b})
	}
	pkts[10], pkts[11] = pkts[11], pkts[10] // order on the wire does not matter
	got, err := MicToWire(pkts, testPhone, "PCMU", tr, clicks)
	if err != nil {
		t.Fatal(err)
	}
	// Frame 4017 is 17 frames into period 25, which left at 26×20+1 ms.
	want := []time.Duration{521*time.Millisecond - 4017*time.Second/8000, 21 * time.Millisecond}
	if len(got) != len(want) {
		t.Fatalf("got %v, want latencies %v", got, want)
	}
	for i := range want {
		if got[i].Latency != want[i] {
			t.Errorf("click %d: %v, want %v", i, got[i].Latency, want[i])
		}
	}
	s := Summarize(got, t0, time.Time{})
	if s.N != 2 || s.Min != want[0] || s.Max != want[1] || s.Median != want[1] || s.Mean != (want[0]+want[1])/2 {
		t.Errorf("summary %+v", s)
	}
	if s := Summarize(got, t0.Add(time.Second), time.Time{}); s.N != 1 || s.Max != want[1] {
		t.Errorf("summary from 1 s: %+v, want the second click only", s)
	}
	if s := Summarize(got, t0, t0.Add(time.Second)); s.N != 1 || s.Max != want[0] {
		t.Errorf("summary of the first second: %+v, want the first click only", s)
	}
}

func TestWireToSpeaker(t *testing.T) {
	t1 := time.Unix(2000, 0)
	tr := traceOf(t, "p", t1, 100)
	speaker := make([]int16, 100*160)
	AddClick(speaker, 8040, 8000)  // plays at 1005 ms
	AddClick(speaker, 12000, 8000) // plays at 1500 ms: no click arrived for it
	rtpTo := func(seq uint16, at time.Duration) Packet {
		b := make([]byte, 172)
		b[0] = 0x80
		binary.BigEndian.PutUint16(b[2:], seq)
		return Packet{At: t1.Add(at), Src: testFar, Dst: testPhone, Payload: b}
	}
	pkts := []Packet{
		rtpTo(76, 950*time.Millisecond), // not a click
		rtpTo(77, 970*time.Millisecond),
		rtpTo(77, 975*time.Millisecond), // a duplicate
		rtpTo(78, 990*time.Millisecond), // another stream's
	}
	pkts[3].Dst = testFar
	got := WireToSpeaker(pkts, testPhone, []uint16{77, 78, 500}, speaker, tr)
	if len(got) != 1 || got[0].Latency != 35*time.Millisecond || !got[0].At.Equal(t1.Add(970*time.Millisecond)) {
		t.Errorf("got %+v, want one click 35 ms after arriving at 970 ms", got)
	}
}
