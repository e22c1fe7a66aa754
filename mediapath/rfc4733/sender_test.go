package rfc4733

import (
	"testing"
)

type pkt struct {
	marker   bool
	end      bool
	duration uint16
}

// drain collects the sender's packets until it stops, checking each one.
func drain(t *testing.T, s *Sender, code uint8, ts uint32) []pkt {
	t.Helper()
	var out []pkt
	buf := make([]byte, 8)
	for range 100 {
		n, marker, gotTS, active := s.Next(buf)
		if !active {
			if n != 0 || s.Active() {
				t.Fatalf("inactive Next wrote %d bytes, Active() = %v", n, s.Active())
			}
			return out
		}
		var e Event
		if n != 4 || e.Unmarshal(buf[:n]) != nil {
			t.Fatalf("Next wrote %d bytes: % x", n, buf[:n])
		}
		if gotTS != ts || e.Code != code || e.Volume != sendVolume {
			t.Fatalf("packet %d: ts %d code %d volume %d", len(out), gotTS, e.Code, e.Volume)
		}
		out = append(out, pkt{marker, e.End, e.Duration})
	}
	t.Fatal("sender never stopped")
	return nil
}

func TestSenderSequence(t *testing.T) {
	cases := []struct {
		name    string
		samples uint32
		period  uint32
		want    []pkt
	}{
		{"100 ms at 8 kHz", 800, 160, []pkt{
			{true, false, 160}, {false, false, 320}, {false, false, 480}, {false, false, 640},
			{false, true, 800}, {false, true, 800}, {false, true, 800},
		}},
		{"not a multiple of the period", 500, 160, []pkt{
			{true, false, 160}, {false, false, 320}, {false, false, 480},
			{false, true, 500}, {false, true, 500}, {false, true, 500},
		}},
		{"shorter than a period", 100, 160, []pkt{
			{true, true, 160}, {false, true, 160}, {false, true, 160},
		}},
		{"period 0 means 160", 320, 0, []pkt{
			{true, false, 160}, {false, true, 320}, {false, true, 320}, {false, true, 320},
		}},
		{"16 kHz clock", 1600, 320, []pkt{
			{true, false, 320}, {false, false, 640}, {false, false, 960}, {false, false, 1280},
			{false, true, 1600}, {false, true, 1600}, {false, true, 1600},
		}},
	}
	for i, c := range cases {
		var s Sender
		if s.Active() {
			t.Fatal("zero Sender is active")
		}
		s.Start(11, 123456, c.samples, c.period)
		if !s.Active() {
			t.Fatalf("#%d: not active after Start", i)
		}
		got := drain(t, &s, 11, 123456)
		if len(got) != len(c.want) {
			t.Fatalf("#%d %s: %v, want %v", i, c.name, got, c.want)
		}
		for j := range got {
			if got[j] != c.want[j] {
				t.Errorf("#%d %s: packet %d = %+v, want %+v", i, c.name, j, got[j], c.want[j])
			}
		}
	}
}

func TestSenderLongEventClamped(t *testing.T) {
	var s Sender
	s.Start(1, 0, 100000, 8000)
	got := drain(t, &s, 1, 0)
	last := got[len(got)-1]
	if !last.end || last.duration != 65535 {
		t.Errorf("last packet %+v, want end with duration 65535", last)
	}
}

func TestSenderShortBufferAndRestart(t *testing.T) {
	var s Sender
	s.Start(3, 1000, 320, 160)
	if n, _, ts, active := s.Next(make([]byte, 3)); n != 0 || ts != 1000 || !active {
		t.Fatalf("Next into 3 bytes = %d, %d, %v", n, ts, active)
	}
	buf := make([]byte, 4)
	if _, marker, _, _ := s.Next(buf); !marker {
		t.Error("the packet refused for a short buffer was used up")
	}
	s.Start(4, 2000, 160, 160) // abandons event 3
	got := drain(t, &s, 4, 2000)
	if len(got) != 3 || !got[0].marker {
		t.Errorf("restarted event: %v", got)
	}
}

func TestSenderNextAllocs(t *testing.T) {
	var s Sender
	buf := make([]byte, 4)
	if a := testing.AllocsPerRun(100, func() {
		if !s.Active() {
			s.Start(5, 0, 800, 160)
		}
		s.Next(buf)
	}); a != 0 {
		t.Errorf("%v allocs per Next, want 0", a)
	}
}

func BenchmarkSenderNext(b *testing.B) {
	var s Sender
	buf := make([]byte, 4)
	b.ReportAllocs()
	for b.Loop() {
		if !s.Active() {
			s.Start(5, 0, 800, 160)
		}
		s.Next(buf)
	}
}
