package rfc4733

import "testing"

func TestReceiver(t *testing.T) {
	type in struct {
		ts  uint32
		e   Event
		key rune // reported key, 0 for none
	}
	five := func(d uint16, end bool) Event { return Event{Code: 5, End: end, Volume: 10, Duration: d} }
	cases := []struct {
		name string
		pkts []in
	}{
		{"one event with repeats and three ends", []in{
			{1000, five(160, false), '5'}, {1000, five(320, false), 0}, {1000, five(480, true), 0},
			{1000, five(480, true), 0}, {1000, five(480, true), 0},
		}},
		{"first packet lost", []in{
			{1000, five(320, false), '5'}, {1000, five(480, true), 0}, {1000, five(480, true), 0},
		}},
		{"only an end packet arrives", []in{
			{1000, five(480, true), '5'}, {1000, five(480, true), 0},
		}},
		{"same key twice", []in{
			{1000, five(160, false), '5'}, {1000, five(320, true), 0},
			{2600, five(160, false), '5'}, {2600, five(320, true), 0},
		}},
		{"leftover end packet of the previous event", []in{
			{1000, five(160, false), '5'},
			{2600, Event{Code: 11, Duration: 160}, '#'},
			{1000, five(320, true), 0},
			{2600, Event{Code: 11, End: true, Duration: 320}, 0},
		}},
		{"timestamp wrap", []in{
			{4294967000, five(160, false), '5'}, {4294967000, five(320, true), 0},
			{500, Event{Code: 0, Duration: 160}, '0'},
		}},
		{"new stream with earlier timestamps", []in{
			{3000000000, five(160, false), '5'},
			{1000, Event{Code: 1, Duration: 160}, '1'},
		}},
		{"non-key event is not reported", []in{
			{1000, Event{Code: 16, Duration: 160}, 0}, {1000, Event{Code: 16, End: true, Duration: 320}, 0},
			{2000, five(160, false), '5'},
		}},
	}
	for i, c := range cases {
		var r Receiver
		for j, p := range c.pkts {
			key, isNew := r.Handle(p.ts, p.e)
			if isNew != (p.key != 0) || key != p.key {
				t.Errorf("#%d %s: packet %d: Handle = %q, %v; want %q", i, c.name, j, key, isNew, p.key)
			}
		}
	}
}

// TestSenderToReceiver sends a key sequence through a Sender, losing every
// event's first packet, and reads it back.
func TestSenderToReceiver(t *testing.T) {
	var s Sender
	var r Receiver
	var got []rune
	buf := make([]byte, 4)
	ts := uint32(0)
	for _, k := range "12#*0D" {
		code, _ := EventCode(k)
		s.Start(code, ts, 800, 160)
		first := true
		for {
			n, _, pts, active := s.Next(buf)
			if !active {
				break
			}
			if first {
				first = false
				continue // lost
			}
			var e Event
			if err := e.Unmarshal(buf[:n]); err != nil {
				t.Fatal(err)
			}
			if key, isNew := r.Handle(pts, e); isNew {
				got = append(got, key)
			}
		}
		ts += 1600
	}
	if string(got) != "12#*0D" {
		t.Errorf("received %q", string(got))
	}
}
