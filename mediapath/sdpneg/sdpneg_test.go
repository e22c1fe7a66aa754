package sdpneg

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/pion/sdp/v3"
)

// crlf turns a readable SDP sample into wire form.
func crlf(s string) []byte {
	s = strings.TrimPrefix(s, "\n")
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

var ours = Local{
	Addr:            netip.MustParseAddr("192.168.1.50"),
	Port:            40000,
	Codecs:          []string{"PCMU", "PCMA"},
	DTMFPayloadType: 101,
	SessionID:       4242,
	Version:         7,
	Ptime:           20,
}

// Offers in the style of real phones and PBXes.
var (
	asteriskOffer = crlf(`
v=0
o=- 1718 1718 IN IP4 10.0.0.1
s=Asterisk
c=IN IP4 10.0.0.1
t=0 0
m=audio 10022 RTP/AVP 8 0 3 111 101
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:3 GSM/8000
a=rtpmap:111 G726-32/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=maxptime:150
a=sendrecv
`)
	yealinkOffer = crlf(`
v=0
o=- 20063 20063 IN IP4 10.0.0.20
s=SDP data
c=IN IP4 10.0.0.20
t=0 0
m=audio 11780 RTP/AVP 9 0 8 18 96
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:18 G729/8000
a=fmtp:18 annexb=no
a=ptime:30
a=sendrecv
a=rtpmap:96 telephone-event/8000
a=fmtp:96 0-15
`)
	linphoneOffer = crlf(`
v=0
o=alice 3016 2345 IN IP6 2001:db8::10
s=Talk
c=IN IP6 2001:db8::10
t=0 0
a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics
m=audio 7078 RTP/AVP 96 97 98 0 8 101 99 100
a=rtpmap:96 opus/48000/2
a=fmtp:96 useinbandfec=1
a=rtpmap:97 speex/16000
a=fmtp:97 vbr=on
a=rtpmap:98 speex/8000
a=fmtp:98 vbr=on
a=rtpmap:101 telephone-event/48000
a=rtpmap:99 telephone-event/16000
a=rtpmap:100 telephone-event/8000
a=rtcp-fb:* trr-int 1000
`)
	staticOnlyOffer = crlf(`
v=0
o=user 1 1 IN IP4 172.16.0.9
s=call
t=0 0
m=audio 5004 RTP/AVP 8 0
c=IN IP4 172.16.0.9
`)
	mediaConnOffer = crlf(`
v=0
o=- 5 5 IN IP4 198.51.100.1
s=-
c=IN IP4 198.51.100.1
t=0 0
m=audio 30000 RTP/AVP 0 101
c=IN IP4 203.0.113.7
a=rtpmap:101 telephone-event/8000
`)
	dynamicPCMUOffer = crlf(`
v=0
o=- 9 9 IN IP4 10.1.1.1
s=-
c=IN IP4 10.1.1.1
t=0 0
m=audio 6000 RTP/AVP 112 113
a=rtpmap:112 pcmu/8000
a=rtpmap:113 TELEPHONE-EVENT/8000
`)
	holdOffer = crlf(`
v=0
o=- 1718 1719 IN IP4 10.0.0.1
s=Asterisk
c=IN IP4 10.0.0.1
t=0 0
m=audio 10022 RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=sendonly
`)
	sessionDirOffer = crlf(`
v=0
o=- 1 2 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
a=recvonly
m=audio 10022 RTP/AVP 0
`)
	inactiveOffer = crlf(`
v=0
o=- 1 2 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=audio 10022 RTP/AVP 0
a=inactive
`)
	oldHoldOffer = crlf(`
v=0
o=- 1 3 IN IP4 10.0.0.1
s=-
c=IN IP4 0.0.0.0
t=0 0
m=audio 10022 RTP/AVP 0
a=sendrecv
`)
	videoFirstOffer = crlf(`
v=0
o=- 77 77 IN IP4 10.0.0.30
s=-
c=IN IP4 10.0.0.30
t=0 0
m=video 9000 RTP/AVP 96
a=rtpmap:96 H264/90000
m=audio 9002 RTP/AVP 0 8
m=audio 9004 RTP/AVP 8
`)
	lfOnlyOffer = []byte("v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n")
)

func TestAnswer(t *testing.T) {
	cases := []struct {
		name   string
		offer  []byte
		want   Negotiated
		lines  []string // expected in the answer
		absent []string // must not be in the answer
	}{
		{"asterisk: offer order wins", asteriskOffer,
			Negotiated{"PCMA", 8, 8000, 101, netip.MustParseAddrPort("10.0.0.1:10022"), 20, "sendrecv", 0},
			[]string{"m=audio 40000 RTP/AVP 8 101", "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15", "a=ptime:20", "a=sendrecv", "c=IN IP4 192.168.1.50", "o=- 4242 7 IN IP4 192.168.1.50"},
			[]string{"GSM", "PCMU", "maxptime"}},
		{"yealink: G722 skipped, peer's event PT 96, ptime 30", yealinkOffer,
			Negotiated{"PCMU", 0, 8000, 96, netip.MustParseAddrPort("10.0.0.20:11780"), 30, "sendrecv", 0},
			[]string{"m=audio 40000 RTP/AVP 0 96", "a=rtpmap:96 telephone-event/8000", "a=fmtp:96 0-15"},
			[]string{"G722", "G729", "101"}},
		{"linphone: IPv6, telephone-event at 8 kHz", linphoneOffer,
			Negotiated{"PCMU", 0, 8000, 100, netip.MustParseAddrPort("[2001:db8::10]:7078"), 20, "sendrecv", 0},
			[]string{"m=audio 40000 RTP/AVP 0 100", "a=rtpmap:100 telephone-event/8000"},
			[]string{"opus", "speex", "48000", "rtcp"}},
		{"static payload types without rtpmap", staticOnlyOffer,
			Negotiated{"PCMA", 8, 8000, 0, netip.MustParseAddrPort("172.16.0.9:5004"), 20, "sendrecv", 0},
			[]string{"m=audio 40000 RTP/AVP 8\r\n", "a=rtpmap:8 PCMA/8000"},
			[]string{"telephone-event"}},
		{"media-level c= wins", mediaConnOffer,
			Negotiated{"PCMU", 0, 8000, 101, netip.MustParseAddrPort("203.0.113.7:30000"), 20, "sendrecv", 0},
			nil, nil},
		{"dynamic PCMU, names in any case", dynamicPCMUOffer,
			Negotiated{"PCMU", 112, 8000, 113, netip.MustParseAddrPort("10.1.1.1:6000"), 20, "sendrecv", 0},
			[]string{"m=audio 40000 RTP/AVP 112 113", "a=rtpmap:112 PCMU/8000", "a=rtpmap:113 telephone-event/8000"},
			nil},
		{"hold: sendonly gets recvonly", holdOffer,
			Negotiated{"PCMU", 0, 8000, 101, netip.MustParseAddrPort("10.0.0.1:10022"), 20, "recvonly", 0},
			[]string{"a=recvonly"}, []string{"sendrecv"}},
		{"session-level recvonly gets sendonly", sessionDirOffer,
			Negotiated{"PCMU", 0, 8000, 0, netip.MustParseAddrPort("10.0.0.1:10022"), 20, "sendonly", 0},
			[]string{"a=sendonly"}, nil},
		{"inactive", inactiveOffer,
			Negotiated{"PCMU", 0, 8000, 0, netip.MustParseAddrPort("10.0.0.1:10022"), 20, "inactive", 0},
			[]string{"a=inactive"}, nil},
		{"old-style hold with c=0.0.0.0", oldHoldOffer,
			Negotiated{"PCMU", 0, 8000, 0, netip.MustParseAddrPort("0.0.0.0:10022"), 20, "recvonly", 0},
			[]string{"a=recvonly"}, nil},
		{"video declined, first audio taken", videoFirstOffer,
			Negotiated{"PCMU", 0, 8000, 0, netip.MustParseAddrPort("10.0.0.30:9002"), 20, "sendrecv", 0},
			[]string{"m=video 0 RTP/AVP 96", "m=audio 40000 RTP/AVP 0\r\n", "m=audio 0 RTP/AVP 8"}, nil},
		{"LF line ends", lfOnlyOffer,
			Negotiated{"PCMU", 0, 8000, 0, netip.MustParseAddrPort("10.0.0.1:4000"), 20, "sendrecv", 0},
			nil, nil},
	}
	for i, c := range cases {
		ans, n, err := Answer(c.offer, ours)
		if err != nil {
			t.Errorf("#%d %s: %v", i, c.name, err)
			continue
		}
		if n != c.want {
			t.Errorf("#%d %s: negotiated\n%+v, want\n%+v", i, c.name, n, c.want)
		}
		s := string(ans)
		for _, l := range c.lines {
			if !strings.Contains(s, l) {
				t.Errorf("#%d %s: answer lacks %q:\n%s", i, c.name, l, s)
			}
		}
		for _, l := range c.absent {
			if strings.Contains(s, l) {
				t.Errorf("#%d %s: answer has %q:\n%s", i, c.name, l, s)
			}
		}
		// The answer is valid SDP with as many m= lines as the offer.
		var a, o sdp.SessionDescription
		if err := a.Unmarshal(ans); err != nil {
			t.Errorf("#%d %s: answer does not parse: %v", i, c.name, err)
		}
		_ = o.Unmarshal(c.offer)
		if len(a.MediaDescriptions) != len(o.MediaDescriptions) {
			t.Errorf("#%d %s: %d m= lines for %d offered", i, c.name, len(a.MediaDescriptions), len(o.MediaDescriptions))
		}
		if len(ans) > 400 {
			t.Errorf("#%d %s: answer is %d bytes", i, c.name, len(ans))
		}
	}
}

func TestAnswerNoDTMFWanted(t *testing.T) {
	l := ours
	l.DTMFPayloadType = 0
	ans, n, err := Answer(asteriskOffer, l)
	if err != nil || n.DTMFPayloadType != 0 || strings.Contains(string(ans), "telephone-event") {
		t.Errorf("Answer = %v, %+v:\n%s", err, n, ans)
	}
}

func TestAnswerPreferenceOnlyFiltersCodecs(t *testing.T) {
	l := ours
	l.Codecs = []string{"PCMU"}
	_, n, err := Answer(asteriskOffer, l) // offers PCMA first
	if err != nil || n.Codec != "PCMU" || n.PayloadType != 0 {
		t.Errorf("Answer = %v, %+v", err, n)
	}
}

func TestAnswerErrors(t *testing.T) {
	noCommon := crlf(`
v=0
o=- 1 1 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=audio 4000 RTP/AVP 18 9 96
a=rtpmap:18 G729/8000
a=rtpmap:96 telephone-event/8000
`)
	portZero := crlf(`
v=0
o=- 1 1 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=audio 0 RTP/AVP 0
`)
	videoOnly := crlf(`
v=0
o=- 1 1 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=video 5000 RTP/AVP 96
a=rtpmap:96 VP8/90000
`)
	srtpOnly := crlf(`
v=0
o=- 1 1 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=audio 4000 RTP/SAVP 0
a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
`)
	stereoPCMU := crlf(`
v=0
o=- 1 1 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=audio 4000 RTP/AVP 96
a=rtpmap:96 PCMU/8000/2
`)
	noConn := crlf(`
v=0
o=- 1 1 IN IP4 10.0.0.1
s=-
t=0 0
m=audio 4000 RTP/AVP 0
`)
	hostConn := crlf(`
v=0
o=- 1 1 IN IP4 10.0.0.1
s=-
c=IN IP4 pbx.example.com
t=0 0
m=audio 4000 RTP/AVP 0
`)
	badPort := crlf(`
v=0
o=- 1 1 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=audio 99999 RTP/AVP 0
`)
	cases := []struct {
		name  string
		offer []byte
		want  error
	}{
		{"no common codec", noCommon, ErrNoCommonCodec},
		{"port 0", portZero, ErrNoCommonCodec},
		{"no audio", videoOnly, ErrNoCommonCodec},
		{"SRTP only", srtpOnly, ErrNoCommonCodec},
		{"stereo PCMU", stereoPCMU, ErrNoCommonCodec},
		{"no c= line", noConn, ErrMalformed},
		{"c= host name", hostConn, ErrMalformed},
		{"port out of range", badPort, ErrMalformed},
		{"empty", nil, ErrMalformed},
		{"version line only", []byte("v=0\r\n"), ErrMalformed},
		{"no origin", crlf("\nv=0\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n"), ErrMalformed},
		{"garbage", []byte("hello, world"), ErrMalformed},
		{"SIP message instead of SDP", []byte("INVITE sip:100@10.0.0.1 SIP/2.0\r\n\r\n"), ErrMalformed},
		{"truncated", asteriskOffer[:40], ErrMalformed},
	}
	for i, c := range cases {
		ans, n, err := Answer(c.offer, ours)
		if !errors.Is(err, c.want) {
			t.Errorf("#%d %s: err = %v, want %v", i, c.name, err, c.want)
		}
		if ans != nil || n != (Negotiated{}) {
			t.Errorf("#%d %s: returned %q, %+v with the error", i, c.name, ans, n)
		}
	}
}

func TestLocalChecked(t *testing.T) {
	bad := []struct {
		name string
		edit func(*Local)
	}{
		{"no address", func(l *Local) { l.Addr = netip.Addr{} }},
		{"unspecified address", func(l *Local) { l.Addr = netip.IPv4Unspecified() }},
		{"port 0", func(l *Local) { l.Port = 0 }},
		{"port too big", func(l *Local) { l.Port = 70000 }},
		{"no codecs", func(l *Local) { l.Codecs = nil }},
		{"unknown codec", func(l *Local) { l.Codecs = []string{"PCMU", "G729"} }},
		{"static DTMF type", func(l *Local) { l.DTMFPayloadType = 8 }},
		{"ptime", func(l *Local) { l.Ptime = 5 }},
	}
	for i, c := range bad {
		l := ours
		c.edit(&l)
		if _, err := Offer(l); !errors.Is(err, errLocal) {
			t.Errorf("#%d %s: Offer err = %v", i, c.name, err)
		}
		if _, _, err := Answer(asteriskOffer, l); !errors.Is(err, errLocal) {
			t.Errorf("#%d %s: Answer err = %v", i, c.name, err)
		}
		if _, err := ParseAnswer(asteriskOffer, l); !errors.Is(err, errLocal) {
			t.Errorf("#%d %s: ParseAnswer err = %v", i, c.name, err)
		}
	}
}

func TestOffer(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Local)
		want  string
		lines []string
	}{
		{"default", func(*Local) {}, "", []string{
			"v=0\r\n", "o=- 4242 7 IN IP4 192.168.1.50\r\n", "s=-\r\n", "c=IN IP4 192.168.1.50\r\n", "t=0 0\r\n",
			"m=audio 40000 RTP/AVP 0 8 101\r\n", "a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:8 PCMA/8000\r\n",
			"a=rtpmap:101 telephone-event/8000\r\n", "a=fmtp:101 0-15\r\n", "a=ptime:20\r\n", "a=sendrecv\r\n",
		}},
		{"IPv6, PCMA first, no DTMF, duplicate dropped", func(l *Local) {
			l.Addr = netip.MustParseAddr("2001:db8::50")
			l.Codecs = []string{"pcma", "PCMU", "PCMA"}
			l.DTMFPayloadType = 0
			l.Ptime = 0
		}, "", []string{"o=- 4242 7 IN IP6 2001:db8::50\r\n", "c=IN IP6 2001:db8::50\r\n", "m=audio 40000 RTP/AVP 8 0\r\n", "a=ptime:20\r\n"}},
		{"IPv4-mapped address", func(l *Local) { l.Addr = netip.MustParseAddr("::ffff:10.0.0.5") }, "",
			[]string{"c=IN IP4 10.0.0.5\r\n"}},
	}
	for i, c := range cases {
		l := ours
		c.edit(&l)
		out, err := Offer(l)
		if err != nil {
			t.Fatalf("#%d %s: %v", i, c.name, err)
		}
		for _, line := range c.lines {
			if !strings.Contains(string(out), line) {
				t.Errorf("#%d %s: offer lacks %q:\n%s", i, c.name, line, out)
			}
		}
		if strings.Count(string(out), "\r\n") != len(strings.Split(strings.TrimSpace(string(out)), "\r\n")) {
			t.Errorf("#%d %s: offer lines not CRLF-terminated", i, c.name)
		}
		if len(out) > 300 {
			t.Errorf("#%d %s: offer is %d bytes", i, c.name, len(out))
		}
	}
}

// TestOfferAnswerRoundTrip answers our own offer as a peer preferring PCMA
// would, and reads the answer back.
func TestOfferAnswerRoundTrip(t *testing.T) {
	offer, err := Offer(ours)
	if err != nil {
		t.Fatal(err)
	}
	peer := Local{
		Addr: netip.MustParseAddr("10.9.8.7"), Port: 50000, Codecs: []string{"PCMA", "PCMU"},
		DTMFPayloadType: 101, SessionID: 1, Version: 1,
	}
	answer, pn, err := Answer(offer, peer)
	if err != nil {
		t.Fatal(err)
	}
	// The answerer follows the offer's order: PCMU.
	if pn.Codec != "PCMU" || pn.Remote != netip.MustParseAddrPort("192.168.1.50:40000") || pn.DTMFPayloadType != 101 {
		t.Errorf("peer negotiated %+v", pn)
	}
	n, err := ParseAnswer(answer, ours)
	if err != nil {
		t.Fatal(err)
	}
	want := Negotiated{"PCMU", 0, 8000, 101, netip.MustParseAddrPort("10.9.8.7:50000"), 20, "sendrecv", 0}
	if n != want {
		t.Errorf("ParseAnswer = %+v, want %+v", n, want)
	}
}

func TestParseAnswer(t *testing.T) {
	cases := []struct {
		name   string
		answer string
		want   Negotiated
		err    error
	}{
		{"asterisk answers PCMA with its own event PT", `
v=0
o=- 1 2 IN IP4 10.0.0.1
s=Asterisk
c=IN IP4 10.0.0.1
t=0 0
m=audio 12000 RTP/AVP 8 100
a=rtpmap:8 PCMA/8000
a=rtpmap:100 telephone-event/8000
a=fmtp:100 0-16
a=ptime:20
a=sendrecv
`, Negotiated{"PCMA", 8, 8000, 100, netip.MustParseAddrPort("10.0.0.1:12000"), 20, "sendrecv", 0}, nil},
		{"first of several codecs we offered", `
v=0
o=- 1 2 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=audio 12000 RTP/AVP 18 0 8
a=ptime:40
`, Negotiated{"PCMU", 0, 8000, 0, netip.MustParseAddrPort("10.0.0.1:12000"), 40, "sendrecv", 0}, nil},
		{"peer puts us on hold", `
v=0
o=- 1 3 IN IP6 2001:db8::1
s=-
c=IN IP6 2001:db8::1
t=0 0
m=audio 12000 RTP/AVP 0
a=recvonly
`, Negotiated{"PCMU", 0, 8000, 0, netip.MustParseAddrPort("[2001:db8::1]:12000"), 20, "sendonly", 0}, nil},
		{"rejected", `
v=0
o=- 1 2 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=audio 0 RTP/AVP 0
`, Negotiated{}, ErrNoCommonCodec},
		{"a codec we did not offer", `
v=0
o=- 1 2 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
m=audio 12000 RTP/AVP 9
a=rtpmap:9 G722/8000
`, Negotiated{}, ErrNoCommonCodec},
		{"no audio", `
v=0
o=- 1 2 IN IP4 10.0.0.1
s=-
c=IN IP4 10.0.0.1
t=0 0
`, Negotiated{}, ErrNoCommonCodec},
		{"malformed", "v=0\nbogus\n", Negotiated{}, ErrMalformed},
	}
	for i, c := range cases {
		n, err := ParseAnswer(crlf(c.answer), ours)
		if !errors.Is(err, c.err) || (c.err == nil && err != nil) {
			t.Errorf("#%d %s: err = %v, want %v", i, c.name, err, c.err)
			continue
		}
		if n != c.want {
			t.Errorf("#%d %s: %+v, want %+v", i, c.name, n, c.want)
		}
	}
}

func FuzzAnswer(f *testing.F) {
	for _, o := range [][]byte{
		asteriskOffer, yealinkOffer, linphoneOffer, staticOnlyOffer, mediaConnOffer,
		dynamicPCMUOffer, holdOffer, sessionDirOffer, oldHoldOffer, videoFirstOffer, lfOnlyOffer, nil,
	} {
		f.Add(o)
	}
	f.Fuzz(func(t *testing.T, offer []byte) {
		ans, n, err := Answer(offer, ours)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNoCommonCodec) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		// Whatever we answer, we can read back as the offerer would.
		back, err := ParseAnswer(ans, ours)
		if err != nil {
			t.Fatalf("our answer does not read back: %v\n%s", err, ans)
		}
		if back.Codec != n.Codec || back.PayloadType != n.PayloadType {
			t.Fatalf("answer says %s/%d, negotiated %s/%d", back.Codec, back.PayloadType, n.Codec, n.PayloadType)
		}
	})
}
