package bench

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func sipPacket(at time.Duration, src, dst netip.AddrPort, lines ...string) Packet {
	return Packet{At: time.Unix(0, 0).Add(at), Src: src, Dst: dst, Payload: []byte(strings.Join(lines, "\r\n"))}
}

func rtpPacket(at time.Duration, src, dst netip.AddrPort, pt byte) Packet {
	b := make([]byte, 172)
	b[0], b[1] = 0x80, pt
	return Packet{At: time.Unix(0, 0).Add(at), Src: src, Dst: dst, Payload: b}
}

func TestFindCall(t *testing.T) {
	ua := netip.MustParseAddrPort("127.0.0.1:5070")
	pbx := netip.MustParseAddrPort("127.0.0.1:5060")
	uaMedia := netip.MustParseAddrPort("127.0.0.1:16384")
	far := netip.MustParseAddrPort("127.0.0.1:6000")
	ms := time.Millisecond
	pkts := []Packet{
		rtpPacket(0, uaMedia, far, 0), // before the call: not counted
		sipPacket(10*ms, ua, pbx, "INVITE sip:1002@x SIP/2.0", "CSeq: 1 INVITE", "", "v=0", "m=audio 16384 RTP/AVP 0 101"),
		sipPacket(11*ms, pbx, ua, "SIP/2.0 407 Proxy Authentication Required", "CSeq: 1 INVITE", ""),
		sipPacket(12*ms, ua, pbx, "INVITE sip:1002@x SIP/2.0", "CSeq: 2 INVITE", "", "m=audio 16384 RTP/AVP 0"),
		sipPacket(14*ms, pbx, ua, "SIP/2.0 100 Trying", "CSeq: 2 INVITE", ""),
		sipPacket(15*ms, pbx, ua, "SIP/2.0 200 OK", "CSeq: 2 INVITE", "", "m=audio 6000 RTP/AVP 0"),
		rtpPacket(30*ms, uaMedia, far, 0),
		rtpPacket(31*ms, far, uaMedia, 0),
		rtpPacket(32*ms, uaMedia, far, 200), // RTCP
		rtpPacket(50*ms, uaMedia, far, 0),
		sipPacket(60*ms, ua, pbx, "BYE sip:1002@x SIP/2.0", "CSeq: 3 BYE", ""),
		rtpPacket(70*ms, far, uaMedia, 0), // after the BYE
	}
	c, err := FindCall(pkts, ua)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d time.Duration) time.Time { return time.Unix(0, 0).Add(d) }
	if !c.Invite.Equal(at(10*ms)) || !c.OK.Equal(at(15*ms)) || !c.FirstRTP.Equal(at(30*ms)) ||
		c.Sent != 2 || c.Received != 1 || c.RTPPort != 16384 {
		t.Errorf("found %+v", c)
	}
	if _, err := FindCall(pkts[:4], ua); !errors.Is(err, ErrNoCall) {
		t.Errorf("no 200 OK: %v, want ErrNoCall", err)
	}
	reg := []Packet{
		sipPacket(0, ua, pbx, "REGISTER sip:x SIP/2.0", "CSeq: 1 REGISTER", ""),
		sipPacket(time.Millisecond, pbx, ua, "SIP/2.0 401 Unauthorized", "CSeq: 1 REGISTER", ""),
	}
	if Registered(reg, ua) {
		t.Error("registered on a 401")
	}
	if !Registered(append(reg, sipPacket(2*time.Millisecond, pbx, ua, "SIP/2.0 200 OK", "CSeq: 2 REGISTER", "")), ua) {
		t.Error("not registered on a 200 OK")
	}
	if _, ok := ParseSIP(rtpPacket(0, ua, pbx, 0)); ok {
		t.Error("an RTP packet parsed as SIP")
	}
}
