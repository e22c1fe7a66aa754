package rtcp

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestNTP(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 500_000_000, time.UTC)
	n := NTPTime(tm)
	if secs := n >> 32; secs != uint64(tm.Unix())+2208988800 {
		t.Errorf("seconds %d", secs)
	}
	if frac := uint32(n); frac != 1<<31 {
		t.Errorf("half a second as fraction %#x", frac)
	}
	if m := Middle32(n); m != uint32(n>>16) || m&0xFFFF != 0x8000 {
		t.Errorf("middle 32 bits %#x", m)
	}
	for _, d := range []time.Duration{0, time.Millisecond, 1500 * time.Millisecond, time.Hour} {
		if got := FromShort(Short(d)); got-d > 20*time.Microsecond || d-got > 20*time.Microsecond {
			t.Errorf("%v → %v", d, got)
		}
	}
	if Short(-time.Second) != 0 {
		t.Error("negative duration")
	}
}

// TestWireFormat checks reports built from the RFC 3550 layouts by hand.
func TestWireFormat(t *testing.T) {
	sr := SenderReport{SSRC: 0x01020304, NTPTime: 0x1112131415161718, RTPTime: 0x21222324, PacketCount: 5, OctetCount: 800, NumReports: 1}
	sr.Reports[0] = ReportBlock{SSRC: 0x0A0B0C0D, FractionLost: 64, TotalLost: -2, HighestSeq: 0x00010005, Jitter: 12, LSR: 0x31323334, DLSR: 0x00018000}
	want := []byte{
		0x81, 200, 0, 12, 1, 2, 3, 4,
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x21, 0x22, 0x23, 0x24, 0, 0, 0, 5, 0, 0, 3, 0x20,
		0x0A, 0x0B, 0x0C, 0x0D, 64, 0xFF, 0xFF, 0xFE, 0, 1, 0, 5, 0, 0, 0, 12, 0x31, 0x32, 0x33, 0x34, 0, 1, 0x80, 0,
	}
	buf := make([]byte, 100)
	n, err := sr.MarshalTo(buf)
	if err != nil || !bytes.Equal(buf[:n], want) {
		t.Fatalf("SR = % x, %v\nwant % x", buf[:n], err, want)
	}
	h, body, rest, err := Next(buf[:n])
	if err != nil || h.Type != TypeSR || h.Count != 1 || h.Length != 52 || len(rest) != 0 {
		t.Fatalf("Next: %+v %v", h, err)
	}
	var back SenderReport
	if err := back.Unmarshal(h.Count, body); err != nil || back != sr {
		t.Errorf("Unmarshal = %+v, %v", back, err)
	}

	rr := ReceiverReport{SSRC: 7, NumReports: 1}
	rr.Reports[0] = ReportBlock{SSRC: 9, TotalLost: 1 << 24} // clamped to 24 bits
	n, err = rr.MarshalTo(buf)
	if err != nil || n != 32 || !bytes.Equal(buf[:8], []byte{0x81, 201, 0, 7, 0, 0, 0, 7}) || !bytes.Equal(buf[13:16], []byte{0x7F, 0xFF, 0xFF}) {
		t.Fatalf("RR = % x, %v", buf[:n], err)
	}
	h, body, _, _ = Next(buf[:n])
	var rback ReceiverReport
	if err := rback.Unmarshal(h.Count, body); err != nil || rback.Reports[0].TotalLost != 1<<23-1 || rback.SSRC != 7 {
		t.Errorf("RR back: %+v %v", rback, err)
	}
}

func TestCompound(t *testing.T) {
	buf := make([]byte, 200)
	rr := ReceiverReport{SSRC: 1}
	n, _ := rr.MarshalTo(buf)
	m, err := MarshalSDES(buf[n:], 1, "handset@192.0.2.1")
	if err != nil || m%4 != 0 {
		t.Fatalf("SDES %d %v", m, err)
	}
	k, _ := MarshalBye(buf[n+m:], 1)
	var types []uint8
	rest := buf[:n+m+k]
	for len(rest) > 0 {
		h, body, r, err := Next(rest)
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, h.Type)
		if h.Type == TypeSDES && (body[4] != 1 || string(body[6:6+body[5]]) != "handset@192.0.2.1") {
			t.Errorf("SDES body % x", body)
		}
		rest = r
	}
	if !bytes.Equal(types, []byte{TypeRR, TypeSDES, TypeBYE}) {
		t.Errorf("types %v", types)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		b    []byte
		want error
	}{
		{[]byte{0x80, 201}, errShort},
		{[]byte{0x40, 201, 0, 1, 0, 0, 0, 0}, errVersion},
		{[]byte{0x80, 201, 0, 5, 0, 0, 0, 0}, errLength},
		{[]byte{0xA0, 201, 0, 1, 0, 0, 0, 9}, errLength}, // padding past the body
	} {
		if _, _, _, err := Next(c.b); !errors.Is(err, c.want) {
			t.Errorf("Next(% x): %v, want %v", c.b, err, c.want)
		}
	}
	var sr SenderReport
	if err := sr.Unmarshal(1, make([]byte, 30)); !errors.Is(err, errShort) {
		t.Errorf("short SR: %v", err)
	}
	sr.NumReports = 32
	if _, err := sr.MarshalTo(make([]byte, 2000)); !errors.Is(err, errTooMany) {
		t.Errorf("32 blocks: %v", err)
	}
	if _, err := MarshalSDES(make([]byte, 10), 1, "x"); !errors.Is(err, errShort) {
		t.Errorf("SDES into 10 bytes: %v", err)
	}
	if _, err := MarshalSDES(make([]byte, 400), 1, string(make([]byte, 256))); !errors.Is(err, errCNAME) {
		t.Errorf("long CNAME: %v", err)
	}
}

func FuzzNext(f *testing.F) {
	f.Add([]byte{0x81, 201, 0, 7, 0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var sr SenderReport
		var rr ReceiverReport
		for len(b) > 0 {
			h, body, rest, err := Next(b)
			if err != nil {
				return
			}
			switch h.Type {
			case TypeSR:
				sr.Unmarshal(h.Count, body)
			case TypeRR:
				rr.Unmarshal(h.Count, body)
			}
			b = rest
		}
	})
}

func TestAllocs(t *testing.T) {
	buf := make([]byte, 200)
	var sr SenderReport
	sr.NumReports = 1
	if a := testing.AllocsPerRun(100, func() {
		n, _ := sr.MarshalTo(buf)
		m, _ := MarshalSDES(buf[n:], 1, "handset")
		h, body, _, _ := Next(buf[:n+m])
		sr.Unmarshal(h.Count, body)
		_ = NTPTime(time.Unix(5, 0))
	}); a != 0 {
		t.Errorf("%v allocs", a)
	}
}
