package jitter

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var t0 = time.Unix(1000, 0)

func ms(v float64) time.Time { return t0.Add(time.Duration(v * float64(time.Millisecond))) }

// payload is a packet's content: its sequence number in two bytes.
func payload(seq uint16) []byte { return []byte{byte(seq >> 8), byte(seq)} }

func seqOf(b []byte) int { return int(b[0])<<8 | int(b[1]) }

// op is one step of a scenario at a time in ms: a push of seq (ts is
// seq·160 unless set) or a pop, which must play want (-1: nothing, with
// status st).
type op struct {
	at   float64
	pop  bool
	seq  uint16
	ts   uint32
	kind Kind
	want int
	st   Status
}

func push(at float64, seq uint16) op              { return op{at: at, seq: seq, ts: uint32(int16(seq)) * 160} }
func pushTS(at float64, seq uint16, ts uint32) op { return op{at: at, seq: seq, ts: ts} }
func event(at float64, seq uint16, ts uint32) op  { return op{at: at, seq: seq, ts: ts, kind: Event} }
func cn(at float64, seq uint16, ts uint32) op     { return op{at: at, seq: seq, ts: ts, kind: Comfort} }
func pop(at float64, want int) op                 { return op{at: at, pop: true, want: want} }
func popSt(at float64, st Status) op              { return op{at: at, pop: true, want: -1, st: st} }

// play serves one whole period at now, taking a Drop's successor.
func play(b *Buffer, dst []byte, now time.Time) (Packet, int, Status) {
	b.Tick(now)
	p, n, st := b.Pop(dst, 0)
	if st == Drop {
		p, n, st = b.Pop(dst, 0)
	}
	return p, n, st
}

func TestScenarios(t *testing.T) {
	cfg := Config{Slots: 8, MaxPayload: 160}
	cases := []struct {
		name string
		ops  []op
		want Stats // Depth and MaxDepth are not compared
	}{
		{"in order, starting 40 ms after the first packet", []op{
			popSt(0, Wait), push(1, 10), push(21, 11), popSt(20, Wait), popSt(40, Wait),
			push(41, 12), pop(60, 10), push(61, 13), pop(80, 11), pop(100, 12), pop(120, 13),
		}, Stats{Received: 4}},
		{"reordered", []op{
			push(0, 1), push(1, 3), push(2, 2), popSt(20, Wait), pop(40, 1), push(45, 5), push(46, 4),
			pop(60, 2), pop(80, 3), pop(100, 4), pop(120, 5),
		}, Stats{Received: 5, Reordered: 2}},
		{"an earlier packet during prefill moves the start", []op{
			push(0, 5), push(1, 4), push(2, 6), popSt(20, Wait), pop(40, 4), pop(60, 5), pop(80, 6),
		}, Stats{Received: 3, Reordered: 1}},
		{"duplicates, held and played", []op{
			push(0, 1), push(1, 1), push(2, 2), push(3, 3), push(4, 2), popSt(20, Wait), pop(40, 1),
			push(41, 1), pop(60, 2), pop(80, 3),
		}, Stats{Received: 6, Duplicates: 3}},
		{"loss", []op{
			push(0, 1), push(1, 2), push(2, 4), push(3, 5), popSt(20, Wait), pop(40, 1), pop(60, 2),
			popSt(80, Lost), pop(100, 4), pop(120, 5),
		}, Stats{Received: 4, Lost: 1}},
		{"a lost packet arriving after its turn is late and deepens the buffer", []op{
			push(0, 1), push(1, 3), push(2, 4), popSt(20, Wait), pop(40, 1), popSt(60, Lost), push(70, 2),
			popSt(80, Wait), pop(100, 3), pop(120, 4),
		}, Stats{Received: 4, Lost: 1, Late: 1, Stretched: 1}},
		{"sequence wrap", []op{
			push(0, 65534), push(1, 65535), push(2, 0), popSt(20, Wait), pop(40, 65534), push(41, 1),
			pop(60, 65535), push(61, 2), pop(80, 0), pop(100, 1), pop(120, 2),
		}, Stats{Received: 5}},
		{"reorder across the wrap", []op{
			push(0, 65534), push(1, 0), push(2, 65535), popSt(20, Wait), pop(40, 65534), pop(60, 65535), pop(80, 0),
		}, Stats{Received: 3, Reordered: 1}},
		{"an underrun waits for the packet instead of skipping it", []op{
			push(0, 1), push(1, 2), popSt(20, Wait), pop(40, 1), pop(60, 2), popSt(80, Wait), popSt(100, Wait),
			push(101, 3), pop(120, 3),
		}, Stats{Received: 3, Underruns: 1, Stretched: 2}},
		{"a jump ahead resyncs", []op{
			push(0, 1), push(1, 2), popSt(20, Wait), pop(40, 1), push(41, 1000), popSt(60, Wait),
			push(61, 1001), popSt(80, Wait), pop(100, 1000), pop(120, 1001),
		}, Stats{Received: 4, Resyncs: 1}},
		{"a new stream behind: resync on its second packet", []op{
			push(0, 30000), push(1, 30001), popSt(20, Wait), pop(40, 30000), push(41, 100), push(42, 101),
			push(43, 102), popSt(60, Wait), popSt(80, Wait), pop(100, 101), pop(120, 102),
		}, Stats{Received: 5, Late: 1, Resyncs: 1}},
		{"a timestamp jump restarts the playout there", []op{
			push(0, 1), push(1, 2), popSt(20, Wait), pop(40, 1), pushTS(41, 3, 9_000_000), popSt(60, Wait),
			popSt(80, Wait), pop(100, 3),
		}, Stats{Received: 3, Resyncs: 1}},
		{"events hold their sequence numbers", []op{
			push(0, 1), event(1, 2, 320), event(2, 3, 320), push(3, 4), popSt(20, Wait), pop(40, 1),
			// 2 and 3 carry no audio: voice 4 (ts 640) is due two periods on.
			popSt(60, Wait), popSt(80, Wait), pop(100, 4),
		}, Stats{Received: 4}},
		{"comfort noise, then silence, then a talkspurt", []op{
			push(0, 1), cn(1, 2, 320), pushTS(2, 3, 1120), popSt(20, Wait), pop(40, 1), pop(60, 2),
			popSt(80, Wait), popSt(100, Wait), popSt(120, Wait), popSt(140, Wait), pop(160, 3),
		}, Stats{Received: 3}},
		{"after comfort noise an empty buffer is silence, not an underrun", []op{
			push(0, 1), cn(1, 2, 320), popSt(20, Wait), pop(40, 1), pop(60, 2), popSt(80, Wait),
			popSt(100, Wait), pushTS(101, 3, 800), pop(120, 3),
		}, Stats{Received: 3}},
		{"the lost first packet of a talkspurt is not due in the silence", []op{
			push(0, 1), cn(1, 2, 320), pushTS(2, 4, 1120), popSt(20, Wait), pop(40, 1), pop(60, 2),
			popSt(80, Wait), popSt(100, Wait), popSt(120, Wait), popSt(140, Lost), pop(160, 4),
		}, Stats{Received: 3, Lost: 1}},
	}
	for i, c := range cases {
		b := New(cfg)
		dst := make([]byte, 160)
		for j, o := range c.ops {
			if !o.pop {
				b.Push(Packet{Seq: o.seq, TS: o.ts, Kind: o.kind}, payload(o.seq), ms(o.at))
				continue
			}
			_, n, st := play(b, dst, ms(o.at))
			switch {
			case o.want < 0 && (st == Play || st != o.st):
				t.Fatalf("#%d %s: op %d: Pop = %s %x, want %s", i, c.name, j, st, dst[:n], o.st)
			case o.want >= 0 && (st != Play || seqOf(dst[:n]) != o.want):
				t.Fatalf("#%d %s: op %d: Pop = %s %x, want %d", i, c.name, j, st, dst[:n], o.want)
			}
		}
		got := b.Stats()
		got.Depth, got.MaxDepth = 0, 0
		if got != c.want {
			t.Errorf("#%d %s: stats %+v, want %+v", i, c.name, got, c.want)
		}
	}
}

// network simulates a far end sending 20 ms packets every interval (20 ms
// of its own clock) through a network that delays each by delay(k) and
// loses it when lose(k); the buffer is popped every 20 ms of ours.
type network struct {
	interval time.Duration
	delay    func(k int) time.Duration
	lose     func(k int) bool
	// each, if set, sees the buffer at the start of every period.
	each func(b *Buffer, period int)
}

type outcome struct {
	played  []int // sequence numbers played, in order
	lost    int   // periods played as Lost
	stats   Stats
	depthAt []time.Duration // smoothed depth, once a second
}

func (n network) run(b *Buffer, d time.Duration) outcome {
	type arrival struct {
		at  time.Time
		seq int
	}
	var arr []arrival
	for k := 0; time.Duration(k)*n.interval < d; k++ {
		if n.lose != nil && n.lose(k) {
			continue
		}
		arr = append(arr, arrival{t0.Add(time.Duration(k)*n.interval + n.delay(k)), k})
	}
	slices.SortStableFunc(arr, func(a, b arrival) int { return a.at.Compare(b.at) })
	var o outcome
	dst := make([]byte, 16)
	next := 0
	for at := time.Duration(0); at < d; at += 20 * time.Millisecond {
		now := t0.Add(at + 7*time.Millisecond) // the card's period starts off the sender's grid
		for ; next < len(arr) && !arr[next].at.After(now); next++ {
			s := uint16(arr[next].seq)
			b.Push(Packet{Seq: s, TS: uint32(arr[next].seq) * 160}, payload(s), arr[next].at)
		}
		if n.each != nil {
			n.each(b, int(at/(20*time.Millisecond)))
		}
		_, m, st := play(b, dst, now)
		switch st {
		case Play:
			o.played = append(o.played, seqOf(dst[:m]))
		case Lost:
			o.lost++
		}
		if at%time.Second == 0 {
			o.depthAt = append(o.depthAt, b.Stats().Depth)
		}
	}
	o.stats = b.Stats()
	return o
}

func inOrder(s []int) bool {
	for i := 1; i < len(s); i++ {
		if s[i] <= s[i-1] {
			return false
		}
	}
	return true
}

// TestSteadyNetwork: a fixed delay. The buffer starts at 40 ms and thins
// to what the network needs, dropping a period or two, and loses nothing.
func TestSteadyNetwork(t *testing.T) {
	b := New(Config{})
	o := network{interval: 20 * time.Millisecond, delay: func(int) time.Duration { return 3 * time.Millisecond }}.run(b, 10*time.Second)
	if o.lost != 0 || !inOrder(o.played) || o.stats.Late != 0 || o.stats.Underruns != 0 {
		t.Errorf("lost %d, late %d, underruns %d, in order %v", o.lost, o.stats.Late, o.stats.Underruns, inOrder(o.played))
	}
	if o.stats.Dropped+o.stats.SilenceSkipped == 0 || o.stats.Depth > 45*time.Millisecond {
		t.Errorf("did not thin: %+v", o.stats)
	}
	if len(o.played) < 490 {
		t.Errorf("played %d of 500 periods", len(o.played))
	}
}

// TestJitterAdapts: 5 % loss and up to 40 ms of random delay for 20 s,
// then a calm network for 20 s. The buffer deepens while it is rough, late
// losses stay rare once it has, and it thins again when calm.
func TestJitterAdapts(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	rough := 20 * time.Second
	n := network{
		interval: 20 * time.Millisecond,
		delay: func(k int) time.Duration {
			if time.Duration(k)*20*time.Millisecond < rough {
				return 2*time.Millisecond + time.Duration(r.Float64()*40*float64(time.Millisecond))
			}
			return 2 * time.Millisecond
		},
		lose: func(k int) bool { return time.Duration(k)*20*time.Millisecond < rough && r.Float64() < 0.05 },
	}
	b := New(Config{})
	o := n.run(b, 2*rough)
	roughDepth, calmDepth := o.depthAt[19], o.depthAt[len(o.depthAt)-1]
	t.Logf("depth 2 s in %v, at 19 s %v (max %v), after 20 s calm %v; lost periods %d (%.1f %%), late %d, stretched %d, dropped %d, silence skipped %d",
		o.depthAt[2], roughDepth, o.stats.MaxDepth, calmDepth, o.lost, 100*float64(o.lost)/1000, o.stats.Late, o.stats.Stretched, o.stats.Dropped, o.stats.SilenceSkipped)
	if roughDepth < 40*time.Millisecond || o.stats.MaxDepth > DefaultMaxDelay {
		t.Errorf("under 40 ms of jitter the depth is %v (max %v)", roughDepth, o.stats.MaxDepth)
	}
	if o.stats.Late > 20 {
		t.Errorf("%d packets came too late for a buffer that adapts", o.stats.Late)
	}
	if calmDepth > roughDepth/2 {
		t.Errorf("calm network: depth %v, rough %v: it did not thin", calmDepth, roughDepth)
	}
	if !inOrder(o.played) {
		t.Error("played out of order")
	}
	// 5 % lost on the wire, and a few late ones while it learns.
	if o.lost > 1000*8/100 {
		t.Errorf("%d of 1000 rough periods lost", o.lost)
	}
}

// TestDrift runs the far end's clock 0.5 % fast, then 0.5 % slow, for a
// minute each: the buffer must stay within its bounds, dropping or
// stretching a period now and then, and lose nothing.
func TestDrift(t *testing.T) {
	for _, c := range []struct {
		name     string
		interval time.Duration
	}{
		{"fast", 19900 * time.Microsecond},
		{"slow", 20100 * time.Microsecond},
	} {
		b := New(Config{})
		o := network{interval: c.interval, delay: func(int) time.Duration { return 5 * time.Millisecond }}.run(b, time.Minute)
		t.Logf("%s far end: dropped %d, stretched %d, max depth %v, depth %v", c.name, o.stats.Dropped, o.stats.Stretched, o.stats.MaxDepth, o.stats.Depth)
		if o.lost != 0 || !inOrder(o.played) || o.stats.MaxDepth > 80*time.Millisecond {
			t.Errorf("%s: lost %d, in order %v, max depth %v", c.name, o.lost, inOrder(o.played), o.stats.MaxDepth)
		}
		switch c.name {
		case "fast":
			if o.stats.Dropped+o.stats.SilenceSkipped < 10 {
				t.Errorf("fast far end: only %d periods dropped in a minute (it sent 15 too many)", o.stats.Dropped)
			}
		case "slow":
			if o.stats.Stretched < 10 {
				t.Errorf("slow far end: only %d periods stretched in a minute (it sent 15 too few)", o.stats.Stretched)
			}
		}
	}
}

// TestPacketLengths plays 10 ms and 30 ms packets into 20 ms periods, as
// the engine does: it keeps what a long packet gives beyond a period and
// asks for less in the next.
func TestPacketLengths(t *testing.T) {
	for _, units := range []uint32{80, 240} {
		b := New(Config{})
		dst := make([]byte, 16)
		var covered []uint32 // timestamps played up to, in order
		sent, carry := 0, uint32(0)
		for at := 0; at < 2000; at += 10 {
			for ; uint32(sent)*units <= uint32(at)*8; sent++ {
				b.Push(Packet{Seq: uint16(sent), TS: uint32(sent) * units, Units: units}, payload(uint16(sent)), ms(float64(at)+1))
			}
			if at%20 != 0 {
				continue
			}
			have := carry
			b.Tick(ms(float64(at) + 5))
			for have < 160 {
				p, _, st := b.Pop(dst, 160-have)
				if st != Play {
					break
				}
				covered = append(covered, p.TS+p.Units)
				have += p.Units
			}
			carry = 0
			if have > 160 {
				carry = have - 160
			}
		}
		st := b.Stats()
		if st.Lost != 0 || st.Late != 0 || st.Resyncs != 0 || len(covered) < int(1600/units) {
			t.Errorf("%d-unit packets: %+v, %d played", units, st, len(covered))
		}
		for i := 1; i < len(covered); i++ {
			if covered[i] != covered[i-1]+units {
				t.Fatalf("%d-unit packets: played up to %d after %d", units, covered[i], covered[i-1])
			}
		}
	}
}

// referenceRange is how marginRange found the 1st and 99th percentiles
// of the margins before it kept the smallest and largest as they came: a
// walk over all of them, every period, inserting each into two sorted
// lists of rank through comparison functions.
func referenceRange(margins []time.Duration, shift time.Duration) (low1, high99 time.Duration) {
	var low, high [rank]time.Duration
	for i := range rank {
		low[i], high[i] = 1<<62, -1<<62
	}
	insert := func(top *[rank]time.Duration, m time.Duration, before func(a, b time.Duration) bool) {
		if !before(m, top[rank-1]) {
			return
		}
		i := rank - 1
		for ; i > 0 && before(m, top[i-1]); i-- {
			top[i] = top[i-1]
		}
		top[i] = m
	}
	for _, m := range margins {
		insert(&low, m, func(a, b time.Duration) bool { return a < b })
		insert(&high, m, func(a, b time.Duration) bool { return a > b })
	}
	k := min(rank, max(1, len(margins)/100)) - 1
	return low[k] + shift, high[k] + shift
}

// TestMarginRangeMatchesReference runs random networks through the buffer
// and, every period, compares the percentiles that adapt would use with
// the reference walk over the same margins. adapt's decisions depend on
// the margins through these two values only, so equal values make equal
// decisions. The networks make margins tie (delays in whole ms), leave
// the ring full for long (so extremes fall out of it), spike, lose
// packets, reorder and restart; a copy of the buffer answers, so that
// checking does not change when the buffer itself ranks afresh.
func TestMarginRangeMatchesReference(t *testing.T) {
	for i, tc := range []struct {
		name  string
		delay func(r *rand.Rand, k int) time.Duration
		lose  float64
		reset int // a period to Reset the buffer at; 0 for none
	}{
		{"uniform to 40 ms in whole ms, 5 % lost", func(r *rand.Rand, _ int) time.Duration {
			return time.Duration(r.IntN(41)) * time.Millisecond
		}, 0.05, 0},
		{"uniform to 60 ms in ns, reset halfway", func(r *rand.Rand, _ int) time.Duration {
			return time.Duration(r.Int64N(int64(60 * time.Millisecond)))
		}, 0.02, 1500},
		{"calm with spikes", func(r *rand.Rand, _ int) time.Duration {
			if r.IntN(50) == 0 {
				return 20*time.Millisecond + time.Duration(r.Int64N(int64(150*time.Millisecond)))
			}
			return 3*time.Millisecond + time.Duration(r.Int64N(int64(500*time.Microsecond)))
		}, 0.01, 0},
		{"steady: every margin the same", func(*rand.Rand, int) time.Duration { return 5 * time.Millisecond }, 0, 0},
		{"rough, then calm", func(r *rand.Rand, k int) time.Duration {
			if k < 1000 {
				return time.Duration(r.Int64N(int64(80 * time.Millisecond)))
			}
			return 2 * time.Millisecond
		}, 0, 0},
	} {
		r := rand.New(rand.NewPCG(uint64(i), 42))
		periods, ranked, kept := 0, 0, 0
		n := network{
			interval: 20 * time.Millisecond,
			delay:    func(k int) time.Duration { return tc.delay(r, k) },
			lose:     func(int) bool { return r.Float64() < tc.lose },
			each: func(b *Buffer, period int) {
				if period == tc.reset && tc.reset > 0 {
					b.Reset()
				}
				if b.nMargins == 0 {
					return
				}
				c := *b
				if c.nMargins == marginRing {
					if c.stale {
						ranked++
					} else {
						kept++
					}
				}
				low, high := c.marginRange()
				wantLow, wantHigh := referenceRange(b.margins[:b.nMargins], b.shift)
				if low != wantLow || high != wantHigh {
					t.Fatalf("#%d %s: period %d, %d margins: range %v..%v, want %v..%v",
						i, tc.name, period, b.nMargins, low, high, wantLow, wantHigh)
				}
				periods++
			},
		}
		n.run(New(Config{}), 80*time.Second)
		t.Logf("%s: %d periods compared; with the ring full %d ranked afresh, %d kept up", tc.name, periods, ranked, kept)
		if periods < 3000 || kept == 0 || ranked == 0 {
			t.Errorf("#%d %s: %d periods compared, %d ranked afresh, %d kept up: the test did not reach every path",
				i, tc.name, periods, ranked, kept)
		}
	}
}

func TestPayloadSizes(t *testing.T) {
	b := New(Config{MaxPayload: 4})
	b.Push(Packet{Seq: 1}, []byte{1, 2, 3, 4, 5}, t0)
	if st := b.Stats(); st.Oversize != 1 {
		t.Fatalf("oversize packet: %+v", st)
	}
	b.Push(Packet{Seq: 1, TS: 160}, []byte{1, 2, 3, 4}, t0)
	dst := make([]byte, 2)
	for i := 0; ; i++ {
		if _, n, st := play(b, dst, ms(float64(20*i))); st == Play {
			if n != 2 || dst[1] != 2 {
				t.Errorf("Pop into 2 bytes = %d %x", n, dst)
			}
			break
		}
		if i > 10 {
			t.Fatal("never played")
		}
	}
}

func TestConfigCorrected(t *testing.T) {
	cases := []struct{ in, want Config }{
		{Config{}, Config{ClockRate: 8000, Period: 20 * time.Millisecond, MinDelay: DefaultMinDelay, StartDelay: DefaultStartDelay, MaxDelay: DefaultMaxDelay, Slots: 64, MaxPayload: 320}},
		{Config{ClockRate: 16000, MaxDelay: 10 * time.Millisecond, Slots: 100, MaxPayload: 160},
			Config{ClockRate: 16000, Period: 20 * time.Millisecond, MinDelay: DefaultMinDelay, StartDelay: DefaultMinDelay, MaxDelay: DefaultMinDelay, Slots: 128, MaxPayload: 160}},
		{Config{Slots: 1 << 20}, Config{ClockRate: 8000, Period: 20 * time.Millisecond, MinDelay: DefaultMinDelay, StartDelay: DefaultStartDelay, MaxDelay: DefaultMaxDelay, Slots: maxSlots, MaxPayload: 320}},
	}
	for i, c := range cases {
		if got := New(c.in).Config(); got != c.want {
			t.Errorf("#%d: New(%+v).Config() = %+v, want %+v", i, c.in, got, c.want)
		}
	}
}

func TestReset(t *testing.T) {
	b := New(Config{})
	for s := range uint16(3) {
		b.Push(Packet{Seq: s, TS: uint32(s) * 160}, payload(s), t0)
	}
	b.Reset()
	if st := b.Stats(); st != (Stats{}) {
		t.Fatalf("stats after Reset = %+v", st)
	}
	dst := make([]byte, 2)
	if _, _, st := play(b, dst, ms(100)); st != Wait {
		t.Fatalf("Pop after Reset: %s", st)
	}
	b.Push(Packet{Seq: 500, TS: 7}, payload(500), ms(100))
	for i := 0; i < 5; i++ {
		if _, n, st := play(b, dst, ms(float64(120+20*i))); st == Play {
			if seqOf(dst[:n]) != 500 {
				t.Errorf("after Reset played %x", dst[:n])
			}
			return
		}
	}
	t.Error("nothing played after Reset")
}

func TestAllocs(t *testing.T) {
	b := New(Config{MaxPayload: 160})
	p := make([]byte, 160)
	dst := make([]byte, 160)
	seq := uint16(0)
	if a := testing.AllocsPerRun(1000, func() {
		now := ms(float64(seq) * 20)
		b.Push(Packet{Seq: seq, TS: uint32(seq) * 160}, p, now)
		play(b, dst, now)
		seq++
	}); a != 0 {
		t.Errorf("%v allocs per Push+Pop, want 0", a)
	}
}

func BenchmarkPushPop(b *testing.B) {
	buf := New(Config{MaxPayload: 160})
	p := make([]byte, 160)
	dst := make([]byte, 160)
	seq := uint16(0)
	b.ReportAllocs()
	for b.Loop() {
		now := ms(float64(seq) * 20)
		buf.Push(Packet{Seq: seq, TS: uint32(seq) * 160}, p, now)
		play(buf, dst, now)
		seq++
	}
}

// BenchmarkPushPopJitter is BenchmarkPushPop with arrivals spread over
// 10 ms, as off a real network: margins seldom tie, and the smallest and
// largest of them are seldom the ones that leave the ring.
func BenchmarkPushPopJitter(b *testing.B) {
	buf := New(Config{MaxPayload: 160})
	p := make([]byte, 160)
	dst := make([]byte, 160)
	var jitter [1024]time.Duration
	r := rand.New(rand.NewPCG(1, 2))
	for i := range jitter {
		jitter[i] = time.Duration(r.Int64N(int64(10 * time.Millisecond)))
	}
	seq := uint16(0)
	b.ReportAllocs()
	for b.Loop() {
		now := t0.Add(time.Duration(seq) * 20 * time.Millisecond)
		buf.Push(Packet{Seq: seq, TS: uint32(seq) * 160}, p, now.Add(-jitter[seq%1024]))
		play(buf, dst, now)
		seq++
	}
}
