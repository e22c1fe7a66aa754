package sdpneg

import (
	"net/netip"
	"strings"
	"testing"
)

// TestWidebandAndComfortNoise offers G.722 first with CN, answers it as a
// peer with and without CN, and reads the answers back.
func TestWidebandAndComfortNoise(t *testing.T) {
	l := ours
	l.Codecs = []string{"G722", "PCMU", "PCMA"}
	l.ComfortNoise = true
	offer, err := Offer(l)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"m=audio 40000 RTP/AVP 9 0 8 13 101\r\n", "a=rtpmap:9 G722/8000\r\n", "a=rtpmap:13 CN/8000\r\n"} {
		if !strings.Contains(string(offer), line) {
			t.Errorf("offer lacks %q:\n%s", line, offer)
		}
	}
	peer := Local{Addr: netip.MustParseAddr("10.9.8.7"), Port: 50000, Codecs: []string{"PCMU", "G722"}, DTMFPayloadType: 101, SessionID: 1, Version: 1}
	for _, peerCN := range []bool{true, false} {
		peer.ComfortNoise = peerCN
		answer, pn, err := Answer(offer, peer)
		if err != nil {
			t.Fatal(err)
		}
		// The offer's order wins: G.722, on its 8 kHz clock.
		if pn.Codec != "G722" || pn.PayloadType != 9 || pn.ClockRate != 8000 {
			t.Errorf("peer CN %v: negotiated %+v", peerCN, pn)
		}
		if (pn.CNPayloadType == 13) != peerCN || strings.Contains(string(answer), "CN/8000") != peerCN {
			t.Errorf("peer CN %v: CN PT %d in\n%s", peerCN, pn.CNPayloadType, answer)
		}
		n, err := ParseAnswer(answer, l)
		if err != nil {
			t.Fatal(err)
		}
		if n.Codec != "G722" || (n.CNPayloadType == 13) != peerCN {
			t.Errorf("peer CN %v: ParseAnswer = %+v", peerCN, n)
		}
	}
}

// TestAnswerComfortNoise takes CN from offers: static 13 without rtpmap, a
// dynamic CN, and CN at another rate (ignored).
func TestAnswerComfortNoise(t *testing.T) {
	l := ours
	l.ComfortNoise = true
	cases := []struct {
		name  string
		offer string
		want  uint8
	}{
		{"static 13 without rtpmap", "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0 13\n", 13},
		{"dynamic CN", "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0 118\na=rtpmap:118 CN/8000\n", 118},
		{"CN at 16 kHz only", "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0 118\na=rtpmap:118 CN/16000\n", 0},
		{"no CN", "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n", 0},
	}
	for i, c := range cases {
		_, n, err := Answer(crlf(c.offer), l)
		if err != nil || n.CNPayloadType != c.want {
			t.Errorf("#%d %s: CN PT %d, %v; want %d", i, c.name, n.CNPayloadType, err, c.want)
		}
	}
	// Not wanted locally: never taken.
	if _, n, err := Answer(crlf(cases[0].offer), ours); err != nil || n.CNPayloadType != 0 {
		t.Errorf("CN taken though not offered by us: %+v %v", n, err)
	}
}
