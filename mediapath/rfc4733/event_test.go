package rfc4733

import (
	"bytes"
	"errors"
	"testing"
)

func TestEventCodes(t *testing.T) {
	cases := []struct {
		key  rune
		code uint8
		ok   bool
	}{
		{'0', 0, true}, {'5', 5, true}, {'9', 9, true}, {'*', 10, true}, {'#', 11, true},
		{'A', 12, true}, {'B', 13, true}, {'C', 14, true}, {'D', 15, true}, {'d', 15, true},
		{'E', 0, false}, {'x', 0, false}, {' ', 0, false},
	}
	for i, c := range cases {
		code, ok := EventCode(c.key)
		if ok != c.ok || code != c.code {
			t.Errorf("#%d: EventCode(%q) = %d, %v", i, c.key, code, ok)
		}
		if !ok {
			continue
		}
		want := c.key
		if want == 'd' {
			want = 'D'
		}
		if key, ok := KeyFor(code); !ok || key != want {
			t.Errorf("#%d: KeyFor(%d) = %q, %v", i, code, key, ok)
		}
	}
	for _, code := range []uint8{16, 100, 255} {
		if _, ok := KeyFor(code); ok {
			t.Errorf("KeyFor(%d) reported a key", code)
		}
	}
}

// TestWireFormat checks payloads built by hand from the RFC 4733 §2.3
// layout: event, then E|R|volume(6), then the 16-bit duration.
func TestWireFormat(t *testing.T) {
	cases := []struct {
		e    Event
		wire []byte
	}{
		{Event{Code: 5, Volume: 10, Duration: 160}, []byte{0x05, 0x0A, 0x00, 0xA0}},
		{Event{Code: 5, End: true, Volume: 10, Duration: 800}, []byte{0x05, 0x8A, 0x03, 0x20}},
		{Event{Code: 11, Volume: 63, Duration: 65535}, []byte{0x0B, 0x3F, 0xFF, 0xFF}},
		{Event{Code: 0, End: true}, []byte{0x00, 0x80, 0x00, 0x00}},
	}
	for i, c := range cases {
		buf := make([]byte, 6)
		n, err := c.e.MarshalTo(buf)
		if err != nil || n != 4 || !bytes.Equal(buf[:4], c.wire) {
			t.Errorf("#%d: MarshalTo = % x, %d, %v; want % x", i, buf[:4], n, err, c.wire)
		}
		var got Event
		if err := got.Unmarshal(c.wire); err != nil || got != c.e {
			t.Errorf("#%d: Unmarshal = %+v, %v; want %+v", i, got, err, c.e)
		}
	}
	// The reserved bit is ignored on receipt, trailing bytes too.
	var e Event
	if err := e.Unmarshal([]byte{0x01, 0xCA, 0x01, 0x40, 0x02, 0x0A, 0x00, 0x00}); err != nil ||
		e != (Event{Code: 1, End: true, Volume: 10, Duration: 320}) {
		t.Errorf("Unmarshal with R set = %+v, %v", e, err)
	}
}

func TestEventErrors(t *testing.T) {
	if _, err := (Event{}).MarshalTo(make([]byte, 3)); !errors.Is(err, errShort) {
		t.Errorf("MarshalTo into 3 bytes: %v", err)
	}
	if _, err := (Event{Volume: 64}).MarshalTo(make([]byte, 4)); !errors.Is(err, errVolume) {
		t.Errorf("MarshalTo volume 64: %v", err)
	}
	var e Event
	for _, b := range [][]byte{nil, {1}, {1, 2, 3}} {
		if err := e.Unmarshal(b); !errors.Is(err, errShort) {
			t.Errorf("Unmarshal(% x): %v", b, err)
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte{0x05, 0x8A, 0x03, 0x20})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var e Event
		if err := e.Unmarshal(b); err != nil {
			return
		}
		out := make([]byte, 4)
		if _, err := e.MarshalTo(out); err != nil {
			t.Fatalf("re-marshal %+v: %v", e, err)
		}
		want := []byte{b[0], b[1] &^ 0x40, b[2], b[3]}
		if !bytes.Equal(out, want) {
			t.Fatalf("round trip % x -> % x", b[:4], out)
		}
	})
}

func TestUnmarshalAllocs(t *testing.T) {
	var e Event
	b := []byte{0x05, 0x8A, 0x03, 0x20}
	if a := testing.AllocsPerRun(100, func() { _ = e.Unmarshal(b) }); a != 0 {
		t.Errorf("%v allocs per Unmarshal, want 0", a)
	}
}
