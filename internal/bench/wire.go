package bench

import (
	"bufio"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// SIPMessage is what the call analysis needs of a SIP message on the wire.
type SIPMessage struct {
	At       time.Time
	Src, Dst netip.AddrPort
	Method   string // a request's method; "" for a response
	Status   int    // a response's code; 0 for a request
	CSeq     string // the CSeq method
	// AudioPort is the m=audio port of an SDP body; 0 without one.
	AudioPort int
}

// ParseSIP reads p as a SIP message over UDP; ok is false for anything
// else (RTP, RTCP, ...).
func ParseSIP(p Packet) (m SIPMessage, ok bool) {
	text := string(p.Payload)
	head, body, _ := strings.Cut(text, "\r\n\r\n")
	lines := strings.Split(head, "\r\n")
	first := strings.Fields(lines[0])
	if len(first) < 3 {
		return SIPMessage{}, false
	}
	m = SIPMessage{At: p.At, Src: p.Src, Dst: p.Dst}
	switch {
	case first[0] == "SIP/2.0":
		code, err := strconv.Atoi(first[1])
		if err != nil {
			return SIPMessage{}, false
		}
		m.Status = code
	case first[2] == "SIP/2.0":
		m.Method = first[0]
	default:
		return SIPMessage{}, false
	}
	for _, l := range lines[1:] {
		name, value, found := strings.Cut(l, ":")
		if !found {
			continue
		}
		if n := strings.ToLower(strings.TrimSpace(name)); n == "cseq" {
			if f := strings.Fields(value); len(f) == 2 {
				m.CSeq = f[1]
			}
		}
	}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if rest, found := strings.CutPrefix(sc.Text(), "m=audio "); found {
			port, _, _ := strings.Cut(rest, " ")
			m.AudioPort, _ = strconv.Atoi(port)
			break
		}
	}
	return m, true
}

// IsRTP reports whether b looks like an RTP packet (version 2, not one
// of RTCP's packet types 200–204 in the second byte).
func IsRTP(b []byte) bool {
	if len(b) < 12 || b[0]>>6 != 2 {
		return false
	}
	pt := b[1] & 0x7f
	return pt < 72 || pt > 76
}

// CallOnWire is one call of a user agent as seen on the wire.
type CallOnWire struct {
	Invite   time.Time // the first INVITE the agent sent
	OK       time.Time // the 200 OK to it the agent got
	FirstRTP time.Time // the first RTP the agent sent after that
	// Sent and Received count RTP packets from and to the agent's audio
	// port from the 200 OK to the agent's BYE (or the end of the record).
	Sent, Received int
	RTPPort        int // the agent's audio port, from its SDP offer
}

// FindCall analyses a recording for the first call the user agent at ua
// (its SIP address) placed.
func FindCall(pkts []Packet, ua netip.AddrPort) (CallOnWire, error) {
	var c CallOnWire
	var bye time.Time
	for _, p := range pkts {
		m, ok := ParseSIP(p)
		if !ok {
			continue
		}
		switch {
		case m.Src == ua && m.Method == "INVITE" && c.Invite.IsZero():
			c.Invite, c.RTPPort = m.At, m.AudioPort
		case m.Dst == ua && m.Status == 200 && m.CSeq == "INVITE" && c.OK.IsZero() && !c.Invite.IsZero():
			c.OK = m.At
		case m.Src == ua && m.Method == "BYE" && bye.IsZero() && !c.OK.IsZero():
			bye = m.At
		}
	}
	if c.Invite.IsZero() || c.OK.IsZero() || c.RTPPort == 0 {
		return c, fmt.Errorf("%w: from %v (INVITE %v, 200 OK %v, audio port %d)", ErrNoCall, ua, !c.Invite.IsZero(), !c.OK.IsZero(), c.RTPPort)
	}
	media := netip.AddrPortFrom(ua.Addr(), uint16(c.RTPPort))
	for _, p := range pkts {
		if p.At.Before(c.OK) || (!bye.IsZero() && p.At.After(bye)) || !IsRTP(p.Payload) {
			continue
		}
		switch media {
		case p.Src:
			c.Sent++
			if c.FirstRTP.IsZero() {
				c.FirstRTP = p.At
			}
		case p.Dst:
			c.Received++
		}
	}
	return c, nil
}

// Registered reports whether the user agent at ua got a 200 OK to a
// REGISTER.
func Registered(pkts []Packet, ua netip.AddrPort) bool {
	for _, p := range pkts {
		if p.Dst != ua {
			continue
		}
		if m, ok := ParseSIP(p); ok && m.Status == 200 && m.CSeq == "REGISTER" {
			return true
		}
	}
	return false
}
