package rfc4733

import "math"

const (
	// sendVolume is the level the Sender reports: -10 dBm0.
	sendVolume = 10
	// endPackets is how often the final packet is sent (RFC 4733 §2.5.1.4).
	endPackets = 3
	// defaultPeriod is 20 ms at 8 kHz.
	defaultPeriod = 160
)

// Sender turns one event into its packets, one per packetisation period.
// All packets of an event carry the event's start timestamp; the first has
// the RTP marker set; the duration grows by one period per packet until
// the final duration, which goes out three times with End set.
type Sender struct {
	code   uint8
	ts     uint32
	total  uint32 // final duration
	period uint32
	dur    uint32 // duration in the last packet
	sent   int    // packets produced
	ends   int    // end packets produced
	active bool
}

// Start begins event code at RTP timestamp ts, lasting samples clock units
// (e.g. 800 for 100 ms at 8 kHz), with one packet per periodSamples (0 means
// 160). The duration is limited to 65535 units and is at least one period.
// An event still being sent is abandoned.
func (s *Sender) Start(code uint8, ts uint32, samples uint32, periodSamples uint32) {
	if periodSamples == 0 {
		periodSamples = defaultPeriod
	}
	*s = Sender{
		code:   code,
		ts:     ts,
		total:  min(max(samples, periodSamples), math.MaxUint16),
		period: periodSamples,
		active: true,
	}
}

// Next writes the next packet's payload into dst and returns its length,
// whether it gets the RTP marker, its timestamp, and active = true. Once
// the last end packet has been produced it returns active = false and
// writes nothing. A dst shorter than 4 bytes gets nothing and the packet is
// not used up.
func (s *Sender) Next(dst []byte) (n int, marker bool, ts uint32, active bool) {
	if !s.active {
		return 0, false, 0, false
	}
	if len(dst) < Size {
		return 0, false, s.ts, true
	}
	e := Event{Code: s.code, Volume: sendVolume}
	if s.ends == 0 && s.dur+s.period < s.total {
		s.dur += s.period
	} else {
		s.dur = s.total
		e.End = true
		s.ends++
	}
	e.Duration = uint16(s.dur)
	n, _ = e.MarshalTo(dst) // cannot fail: dst is long enough, volume valid
	marker = s.sent == 0
	s.sent++
	if s.ends == endPackets {
		s.active = false
	}
	return n, marker, s.ts, true
}

// Active reports whether packets of the event remain to be sent.
func (s *Sender) Active() bool { return s.active }
