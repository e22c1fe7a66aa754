package mediapath

import (
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/pion/rtp"

	"handset/hal/haltest"
	"handset/mediapath/rtcp"
)

// readRTCP returns the next compound RTCP packet the peer's RTCP socket
// gets, split into its SR or RR and the CNAME.
func readRTCP(t *testing.T, r *rig, c interface {
	ReadFromUDPAddrPort([]byte) (int, netip.AddrPort, error)
}) (sr *rtcp.SenderReport, rr *rtcp.ReceiverReport, cname string) {
	t.Helper()
	buf := make([]byte, 1500)
	n, _, err := c.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatal(err)
	}
	b := buf[:n]
	for len(b) > 0 {
		h, body, rest, err := rtcp.Next(b)
		if err != nil {
			t.Fatalf("bad RTCP % x: %v", buf[:n], err)
		}
		switch h.Type {
		case rtcp.TypeSR:
			sr = new(rtcp.SenderReport)
			if err := sr.Unmarshal(h.Count, body); err != nil {
				t.Fatal(err)
			}
		case rtcp.TypeRR:
			rr = new(rtcp.ReceiverReport)
			if err := rr.Unmarshal(h.Count, body); err != nil {
				t.Fatal(err)
			}
		case rtcp.TypeSDES:
			cname = string(body[6 : 6+body[5]])
		}
		b = rest
	}
	return sr, rr, cname
}

// TestRTCP runs a stream on a fake clock against a far end that sends RTP
// (losing some) and RTCP: our reports carry the right counts, loss and
// LSR/DLSR, and the far end's report on our stream gives the round-trip
// time to within 1/65536 s.
func TestRTCP(t *testing.T) {
	clk := haltest.NewClock(time.Unix(1_700_000_000, 0))
	r := newRigWith(t, rigOpts{clk: clk})
	rc := r.peerRTCP(t)
	rc.SetReadDeadline(time.Now().Add(10 * time.Second))
	step := func(n int) {
		for range n {
			clk.Advance(period)
			r.step(t, 1)
		}
	}
	// The far end sends 20 packets, the 5th and 6th lost.
	payload := make([]byte, 160)
	for i := range 20 {
		if i == 4 || i == 5 {
			continue
		}
		r.peer.sendRTP(t, r.s, rtp.Header{PayloadType: 0, SequenceNumber: uint16(65530 + i), Timestamp: uint32(160 * i), SSRC: 77}, payload)
	}
	r.received(t, "the far end's packets", func() bool { return r.e.Stats().PacketsReceived == 18 })
	// Its SR: our next report must echo its time as LSR.
	farNTP := rtcp.NTPTime(clk.Now().Add(-time.Second))
	sr := rtcp.SenderReport{SSRC: 77, NTPTime: farNTP, PacketCount: 20}
	buf := make([]byte, 200)
	n, _ := sr.MarshalTo(buf)
	if _, err := rc.WriteToUDPAddrPort(buf[:n], netip.AddrPortFrom(loopback, uint16(r.s.LocalPort()+1))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the far end's SR", func() bool { return r.e.Stats().RTCPReceived == 1 })
	srArrived := clk.Now()

	// The first report is due within 1.9 s (half of 2.5 s ± 50 %).
	step(1)
	srAt := time.Time{}
	var ours *rtcp.SenderReport
	for i := 0; ours == nil && i < 4*periodsPerSecond; i++ {
		before := r.e.Stats().RTCPSent
		step(1)
		if r.e.Stats().RTCPSent > before {
			srAt = clk.Now()
			var cname string
			ours, _, cname = readRTCP(t, r, rc)
			if cname != "handset@127.0.0.1" {
				t.Errorf("CNAME %q", cname)
			}
		}
	}
	if ours == nil {
		t.Fatal("no SR in 4 s")
	}
	st := r.e.Stats()
	if ours.SSRC != r.s.ssrc || ours.PacketCount != uint32(st.PacketsSent) || ours.OctetCount != uint32(st.BytesSent) ||
		ours.NTPTime != rtcp.NTPTime(srAt) || ours.NumReports != 1 {
		t.Fatalf("our SR %+v (stats %+v)", ours, st)
	}
	// Sequence numbers 65530…13 (wrapped): 20 expected, 18 received.
	rb := ours.Reports[0]
	if rb.SSRC != 77 || rb.TotalLost != 2 || rb.FractionLost != 2*256/20 || rb.HighestSeq != 1<<16+13 ||
		rb.LSR != rtcp.Middle32(farNTP) || rb.DLSR != rtcp.Short(srAt.Sub(srArrived)) {
		t.Errorf("our report block %+v", rb)
	}
	if st.FractionLost != 0.09765625 {
		t.Errorf("fraction lost %v", st.FractionLost)
	}

	// The far end answers 30 ms after our SR, having held it 12 ms: the
	// round trip took 18 ms.
	clk.Advance(30 * time.Millisecond)
	rr := rtcp.ReceiverReport{SSRC: 77, NumReports: 1}
	rr.Reports[0] = rtcp.ReportBlock{SSRC: r.s.ssrc, FractionLost: 64, TotalLost: 3, Jitter: 80,
		LSR: rtcp.Middle32(ours.NTPTime), DLSR: rtcp.Short(12 * time.Millisecond)}
	n, _ = rr.MarshalTo(buf)
	rc.WriteToUDPAddrPort(buf[:n], netip.AddrPortFrom(loopback, uint16(r.s.LocalPort()+1)))
	waitFor(t, "the far end's RR", func() bool { return r.e.Stats().RTCPReceived == 2 })
	st = r.e.Stats()
	if math.Abs(st.RTTMs-18) > 0.05 || st.RemoteLost != 3 || st.RemoteFractionLost != 0.25 || st.RemoteJitterMs != 10 {
		t.Errorf("from the far end's report: RTT %v ms, lost %d, fraction %v, jitter %v ms", st.RTTMs, st.RemoteLost, st.RemoteFractionLost, st.RemoteJitterMs)
	}
}
