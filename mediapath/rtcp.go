package mediapath

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/netip"

	"handset/mediapath/rtcp"
)

// rtcpInterval is the mean time between RTCP reports, in periods (5 s,
// RFC 3550 §6.2); each interval is drawn from half to one and a half of
// it, and the first is half as long.
const rtcpInterval = 5 * periodsPerSecond

// nextRTCP returns the pump period of the report after one sent at now
// (in periods).
func nextRTCP(now uint64, first bool) uint64 {
	mean := uint64(rtcpInterval)
	if first {
		mean /= 2
	}
	return now + mean/2 + rand.Uint64N(mean)
}

// rtcpAddr is where the far end takes RTCP: the port above its RTP port.
func rtcpAddr(rtpAddr netip.AddrPort) (netip.AddrPort, bool) {
	if !remoteUsable(rtpAddr) || rtpAddr.Port() == 65535 {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(rtpAddr.Addr(), rtpAddr.Port()+1), true
}

// sendReport sends s's compound RTCP report, when due: an SR if RTP went
// out since the last one (else an RR), with a reception report block on
// the far end's stream once it has sent, and our CNAME. It runs on the
// pump's goroutine and allocates nothing.
func (p *pump) sendReport(s *Stream) {
	if p.periods < s.rtcpAt {
		return
	}
	s.rtcpAt = nextRTCP(p.periods, false)
	now := p.e.clk.Now()
	s.mu.Lock()
	to, ok := rtcpAddr(s.neg.Remote)
	if !s.negotiated || !ok {
		s.mu.Unlock()
		return
	}
	blocks := 0
	var rb rtcp.ReportBlock
	if s.rx.haveSSRC && s.rx.seq.started {
		fraction, lost, highest := s.rx.seq.report()
		rb = rtcp.ReportBlock{
			SSRC: s.rx.ssrc, FractionLost: fraction, TotalLost: lost, HighestSeq: highest,
			Jitter: uint32(s.rx.jitter), LSR: s.lastSR,
		}
		if s.lastSR != 0 {
			rb.DLSR = rtcp.Short(now.Sub(s.lastSRAt))
		}
		s.stats.FractionLost = float64(fraction) / 256
		blocks = 1
	}
	packets, octets := s.stats.PacketsSent, s.stats.BytesSent
	s.mu.Unlock()

	var n int
	if s.sentRTP {
		p.sr = rtcp.SenderReport{
			SSRC: s.ssrc, NTPTime: rtcp.NTPTime(now), RTPTime: s.ts,
			PacketCount: uint32(packets), OctetCount: uint32(octets), NumReports: blocks,
		}
		p.sr.Reports[0] = rb
		n, _ = p.sr.MarshalTo(p.rtcpBuf) // cannot fail: the buffer holds one block
	} else {
		p.rr = rtcp.ReceiverReport{SSRC: s.ssrc, NumReports: blocks}
		p.rr.Reports[0] = rb
		n, _ = p.rr.MarshalTo(p.rtcpBuf)
	}
	m, err := rtcp.MarshalSDES(p.rtcpBuf[n:], s.ssrc, s.cname)
	if err != nil {
		m = 0 // a CNAME too long for SDES: the report goes alone
	}
	s.sentRTP = false
	if _, err := s.rtcpConn.WriteToUDPAddrPort(p.rtcpBuf[:n+m], to); err != nil {
		s.sendFailed(err)
		return
	}
	s.mu.Lock()
	s.stats.RTCPSent++
	s.mu.Unlock()
}

// sendBye tells the far end over RTCP that our stream ends.
func (s *Stream) sendBye() {
	s.mu.Lock()
	to, ok := rtcpAddr(s.neg.Remote)
	ok = ok && s.negotiated
	s.mu.Unlock()
	if !ok {
		return
	}
	buf := make([]byte, 128)
	rr := rtcp.ReceiverReport{SSRC: s.ssrc}
	n, _ := rr.MarshalTo(buf)
	m, _ := rtcp.MarshalBye(buf[n:], s.ssrc)
	if _, err := s.rtcpConn.WriteToUDPAddrPort(buf[:n+m], to); err != nil {
		s.log.Debug("RTCP BYE not sent", "err", err)
	}
}

// receiveRTCP reads the far end's RTCP until Close: the time of its sender
// reports (for our LSR/DLSR) and its reports on our stream (round-trip
// time, loss, jitter). Only the RTCP socket's buffer and the parsed
// reports are reused; nothing is allocated per packet.
func (s *Stream) receiveRTCP() {
	defer close(s.rtcpDone)
	buf := make([]byte, maxPacket)
	var sr rtcp.SenderReport
	var rr rtcp.ReceiverReport
	for {
		n, _, err := s.rtcpConn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		s.handleRTCP(buf[:n], &sr, &rr)
	}
}

// handleRTCP takes one compound RTCP packet.
func (s *Stream) handleRTCP(b []byte, sr *rtcp.SenderReport, rr *rtcp.ReceiverReport) {
	now := s.e.clk.Now()
	arrival := rtcp.Middle32(rtcp.NTPTime(now))
	s.mu.Lock()
	defer s.mu.Unlock()
	counted := false
	for len(b) > 0 {
		h, body, rest, err := rtcp.Next(b)
		if err != nil {
			s.rx.malformed++
			return
		}
		b = rest
		var blocks []rtcp.ReportBlock
		switch h.Type {
		case rtcp.TypeSR:
			if sr.Unmarshal(h.Count, body) != nil {
				s.rx.malformed++
				return
			}
			s.lastSR, s.lastSRAt = rtcp.Middle32(sr.NTPTime), now
			blocks = sr.Reports[:sr.NumReports]
		case rtcp.TypeRR:
			if rr.Unmarshal(h.Count, body) != nil {
				s.rx.malformed++
				return
			}
			blocks = rr.Reports[:rr.NumReports]
		case rtcp.TypeBYE:
			s.log.Debug("far end said RTCP BYE")
		}
		if !counted {
			s.stats.RTCPReceived++
			counted = true
		}
		for _, r := range blocks {
			if r.SSRC == s.ssrc {
				s.remoteReport(r, arrival)
			}
		}
	}
}

// remoteReport takes the far end's report block on our stream, which came
// at arrival (middle 32 bits of NTP time). Called with s.mu held.
func (s *Stream) remoteReport(r rtcp.ReportBlock, arrival uint32) {
	s.stats.RemoteLost = int64(r.TotalLost)
	s.stats.RemoteFractionLost = float64(r.FractionLost) / 256
	if rate := s.rx.clockRate; rate > 0 {
		s.stats.RemoteJitterMs = float64(r.Jitter) / float64(rate) * 1000
	}
	if r.LSR == 0 {
		return
	}
	// RTT = A - LSR - DLSR (RFC 3550 §6.4.1), in 1/65536 s.
	if rtt := arrival - r.LSR - r.DLSR; rtt < 1<<31 {
		s.stats.RTTMs = ms(rtcp.FromShort(rtt))
	}
}
