package jitter

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// op is one step of a scenario: a push of seq, or a pop (pop true) that
// must return the payload of want, or nothing when want is -1.
type op struct {
	pop  bool
	seq  uint16
	want int
}

func push(seq uint16) op { return op{seq: seq} }
func pop(want int) op    { return op{pop: true, want: want} }

// payload is a packet's content: its sequence number in two bytes.
func payload(seq uint16) []byte { return []byte{byte(seq >> 8), byte(seq)} }

func TestScenarios(t *testing.T) {
	cfg := Config{Depth: 3, Capacity: 8, MaxPayload: 160}
	cases := []struct {
		name string
		ops  []op
		want Stats
	}{
		{"in order", []op{
			pop(-1), push(10), pop(-1), push(11), pop(-1), push(12),
			pop(10), push(13), pop(11), push(14), pop(12), pop(13), pop(14),
		}, Stats{Received: 5}},
		{"reordered within depth", []op{
			push(1), push(3), push(2), pop(1), push(5), push(4), pop(2), pop(3), pop(4), pop(5),
		}, Stats{Received: 5, Reordered: 2}},
		{"earlier packet during prefill moves the start", []op{
			push(5), push(4), push(6), pop(4), pop(5), pop(6),
		}, Stats{Received: 3, Reordered: 1}},
		{"duplicates", []op{
			push(1), push(1), push(2), push(3), push(2), pop(1), pop(2), pop(3),
		}, Stats{Received: 5, Duplicates: 2}},
		{"late", []op{
			push(1), push(2), push(3), pop(1), pop(2), push(1), push(2), pop(3),
		}, Stats{Received: 5, Late: 2}},
		{"loss", []op{
			push(1), push(2), push(4), push(5), pop(1), pop(2), pop(-1), pop(4), pop(5),
		}, Stats{Received: 4, Lost: 1, Depth: 0}},
		{"lost packet arriving after its turn", []op{
			push(1), push(3), push(4), pop(1), pop(-1), push(2), pop(3),
		}, Stats{Received: 4, Lost: 1, Late: 1, Depth: 1}},
		{"sequence wrap", []op{
			push(65534), push(65535), push(0), pop(65534), push(1), pop(65535), push(2), pop(0), pop(1), pop(2),
		}, Stats{Received: 5}},
		{"reorder across the wrap", []op{
			push(65534), push(0), push(65535), pop(65534), pop(65535), pop(0),
		}, Stats{Received: 3, Reordered: 1}},
		{"underrun prefills again without skipping", []op{
			push(1), push(2), push(3), pop(1), pop(2), pop(3), pop(-1), pop(-1),
			push(4), pop(-1), push(5), push(6), pop(4), pop(5),
		}, Stats{Received: 6, Underruns: 1, Depth: 1}},
		{"jump ahead resyncs", []op{
			push(1), push(2), push(3), pop(1), push(1000), pop(-1), push(1001), push(1002), pop(1000),
		}, Stats{Received: 6, Resyncs: 1, Depth: 2}},
		{"new stream behind: resync on its second packet", []op{
			push(30000), push(30001), push(30002), pop(30000), push(100), push(101), push(102), push(103),
			pop(101), pop(102), pop(103),
		}, Stats{Received: 7, Late: 1, Resyncs: 1}},
		{"one stray packet far behind is only late", []op{
			push(30000), push(30001), push(30002), pop(30000), push(100), push(30003), pop(30001), pop(30002),
		}, Stats{Received: 5, Late: 1, Depth: 1}},
	}
	for i, c := range cases {
		b := New(cfg)
		dst := make([]byte, 160)
		for j, o := range c.ops {
			if !o.pop {
				b.Push(o.seq, uint32(o.seq)*160, payload(o.seq))
				continue
			}
			n, ok := b.Pop(dst)
			switch {
			case o.want < 0 && ok:
				t.Fatalf("#%d %s: op %d: Pop = %x, want nothing", i, c.name, j, dst[:n])
			case o.want >= 0 && (!ok || !slices.Equal(dst[:n], payload(uint16(o.want)))):
				t.Fatalf("#%d %s: op %d: Pop = %x, %v, want %d", i, c.name, j, dst[:n], ok, o.want)
			}
		}
		if got := b.Stats(); got != c.want {
			t.Errorf("#%d %s: stats %+v, want %+v", i, c.name, got, c.want)
		}
	}
}

// TestJitterWithinDepth plays a long stream whose packets arrive shuffled
// within windows of Depth: nothing is lost and the order is restored.
func TestJitterWithinDepth(t *testing.T) {
	const depth = 4
	b := New(Config{Depth: depth, Capacity: 16, MaxPayload: 2})
	r := rand.New(rand.NewPCG(1, 2))
	dst := make([]byte, 2)
	start := uint16(65000) // crosses the wrap
	next := start
	played := 0
	for w := range 500 {
		window := make([]uint16, depth)
		for i := range window {
			window[i] = start + uint16(w*depth+i)
		}
		r.Shuffle(len(window), func(i, j int) { window[i], window[j] = window[j], window[i] })
		for _, s := range window {
			b.Push(s, 0, payload(s))
			if n, ok := b.Pop(dst); ok {
				if !slices.Equal(dst[:n], payload(next)) {
					t.Fatalf("played %x, want %d", dst[:n], next)
				}
				next++
				played++
			}
		}
	}
	st := b.Stats()
	if st.Lost != 0 || st.Late != 0 || st.Underruns != 0 || played < 500*depth-2*depth {
		t.Errorf("played %d, stats %+v", played, st)
	}
}

func TestPayloadSizes(t *testing.T) {
	b := New(Config{Depth: 1, Capacity: 2, MaxPayload: 4})
	b.Push(1, 0, []byte{1, 2, 3, 4, 5})
	if st := b.Stats(); st.Oversize != 1 || st.Depth != 0 {
		t.Fatalf("oversize packet: %+v", st)
	}
	b.Push(1, 0, []byte{1, 2, 3, 4})
	dst := make([]byte, 2)
	if n, ok := b.Pop(dst); !ok || n != 2 || dst[1] != 2 {
		t.Errorf("Pop into 2 bytes = %d %v %x", n, ok, dst)
	}
	b.Push(2, 0, nil)
	if n, ok := b.Pop(dst); !ok || n != 0 {
		t.Errorf("empty payload: Pop = %d %v", n, ok)
	}
}

func TestConfigCorrected(t *testing.T) {
	cases := []struct {
		in, want Config
	}{
		{Config{}, Config{Depth: 1, Capacity: 2, MaxPayload: 320}},
		{Config{Depth: 3, Capacity: 16, MaxPayload: 160}, Config{Depth: 3, Capacity: 16, MaxPayload: 160}},
		{Config{Depth: 5, Capacity: 6, MaxPayload: -1}, Config{Depth: 5, Capacity: 16, MaxPayload: 320}},
		{Config{Depth: 1 << 20, Capacity: 1 << 30, MaxPayload: 1}, Config{Depth: 8192, Capacity: 16384, MaxPayload: 1}},
	}
	for i, c := range cases {
		if got := New(c.in).Config(); got != c.want {
			t.Errorf("#%d: New(%+v).Config() = %+v, want %+v", i, c.in, got, c.want)
		}
	}
}

func TestReset(t *testing.T) {
	b := New(Config{Depth: 2, Capacity: 4, MaxPayload: 2})
	for s := range uint16(3) {
		b.Push(s, 0, payload(s))
	}
	b.Push(1, 0, payload(1))
	b.Reset()
	if st := b.Stats(); st != (Stats{}) {
		t.Fatalf("stats after Reset = %+v", st)
	}
	dst := make([]byte, 2)
	if _, ok := b.Pop(dst); ok {
		t.Fatal("Pop after Reset returned a packet")
	}
	b.Push(500, 0, payload(500))
	b.Push(501, 0, payload(501))
	if n, ok := b.Pop(dst); !ok || !slices.Equal(dst[:n], payload(500)) {
		t.Errorf("after Reset: Pop = %x %v", dst[:n], ok)
	}
}

func TestAllocs(t *testing.T) {
	b := New(Config{Depth: 3, Capacity: 16, MaxPayload: 160})
	p := make([]byte, 160)
	dst := make([]byte, 160)
	seq := uint16(0)
	if a := testing.AllocsPerRun(1000, func() {
		b.Push(seq, uint32(seq)*160, p)
		b.Pop(dst)
		seq++
	}); a != 0 {
		t.Errorf("%v allocs per Push+Pop, want 0", a)
	}
}

func BenchmarkPushPop(b *testing.B) {
	buf := New(Config{Depth: 3, Capacity: 16, MaxPayload: 160})
	p := make([]byte, 160)
	dst := make([]byte, 160)
	seq := uint16(0)
	b.ReportAllocs()
	for b.Loop() {
		buf.Push(seq, uint32(seq)*160, p)
		buf.Pop(dst)
		seq++
	}
}
