package mediapath

import (
	"math/rand/v2"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/sim"
	"handset/mediapath/detect"
)

// party is one phone of a two-engine call.
type party struct {
	e    *Engine
	card *speakerCard
	s    *Stream
}

// call sets up A and B on real-time simulated cards, A offering and B
// answering, attaches both streams and starts both pumps. stop ends the
// pumps (the streams close at cleanup).
func call(t *testing.T, cardA, cardB sim.SoundConfig, editA, editB func(*Config)) (a, b party, stop func()) {
	t.Helper()
	clk := hal.SystemClock{}
	cardA.Realtime, cardB.Realtime = true, true
	a.card, b.card = newSpeakerCard(t, cardA, clk), newSpeakerCard(t, cardB, clk)
	a.e, _ = testEngine(t, a.card, clk, editA)
	b.e, _ = testEngine(t, b.card, clk, editB)
	var err error
	for _, p := range []*party{&a, &b} {
		if p.s, err = p.e.NewStream(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.s.Close() })
	}
	offer, err := a.s.Offer()
	if err != nil {
		t.Fatal(err)
	}
	answer, err := b.s.AcceptOffer(offer)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.s.AcceptAnswer(answer); err != nil {
		t.Fatal(err)
	}
	for _, p := range []party{a, b} {
		if err := p.e.Attach(p.s); err != nil {
			t.Fatal(err)
		}
	}
	stopA, stopB := run(t, a.e), run(t, b.e)
	return a, b, func() { stopA(); stopB() }
}

// heard is how long freq sounds in a recording, in stretches of at least
// 100 ms.
func heard(samples []int16, rate int, freq float64) time.Duration {
	var total time.Duration
	for _, s := range detect.Find(samples, rate, freq, 100*time.Millisecond) {
		total += s.End - s.Start
	}
	return total
}

// TestCallWideband: A prefers G.722 on a 48 kHz stereo card and talks at
// 6 kHz, a tone only wideband carries; B takes G.722 on a 16 kHz card and
// talks at 600 Hz. Each must hear the other, and a DTMF key must cross.
func TestCallWideband(t *testing.T) {
	keys := make(chan hal.Key, 4)
	a, b, stop := call(t,
		sim.SoundConfig{Rates: []int{48000}, Channels: []int{2}, Mic: sim.NewToneSource(48000, 6000, 0.3)},
		sim.SoundConfig{Rates: []int{16000}, Mic: sim.NewToneSource(16000, 600, 0.3)},
		func(c *Config) { c.Codecs = []string{"G722", "PCMU"}; c.ComfortNoise = true },
		func(c *Config) { c.Codecs = []string{"PCMU", "G722"}; c.OnDTMF = func(k hal.Key) { keys <- k } })
	if a.e.Rate() != 16000 || a.s.Negotiated().Codec != "G722" || b.s.Negotiated().Codec != "G722" {
		t.Fatalf("rate %d, codecs %s / %s", a.e.Rate(), a.s.Negotiated().Codec, b.s.Negotiated().Codec)
	}
	waitFor(t, "a second of the call", func() bool { return a.card.Played() >= 48000 && b.card.Played() >= 16000 })
	a.e.SendDTMF('9')
	select {
	case k := <-keys:
		if k != '9' {
			t.Errorf("B got %q", k)
		}
	case <-time.After(5 * time.Second):
		t.Error("no DTMF")
	}
	at := b.card.Played()
	waitFor(t, "a second more", func() bool { return b.card.Played() >= at+16000 })
	stop()
	sa, rateA := a.card.recording(t)
	sb, rateB := b.card.recording(t)
	if d := heard(sb, rateB, 6000); d < time.Second {
		t.Errorf("B heard A's 6 kHz for %v", d)
	}
	if d := heard(sa, rateA, 600); d < time.Second {
		t.Errorf("A heard B's 600 Hz for %v", d)
	}
}

// relay is an impairing UDP relay on loopback between two streams: while
// on, each RTP packet is lost with probability loss or delayed by a random
// time up to jitter (so some overtake others); RTCP passes after the same
// delays.
type relay struct {
	loss   float64
	jitter time.Duration
	rnd    *rand.Rand
	mu     sync.Mutex
	on     bool
	socks  []*net.UDPConn
	wg     sync.WaitGroup
	lost   atomic.Int64
}

// impair switches the impairment on or off.
func (r *relay) impair(on bool) {
	r.mu.Lock()
	r.on = on
	r.mu.Unlock()
}

// newRelay binds two even/odd socket pairs and rewires the streams: what
// A sends goes to the first pair and on to B, what B sends to the second
// and on to A.
func newRelay(t *testing.T, a, b *Stream, loss float64, jitter time.Duration) *relay {
	t.Helper()
	r := &relay{loss: loss, jitter: jitter, rnd: rand.New(rand.NewPCG(11, 12))}
	lo, _ := freePorts(t, 2)
	for _, leg := range []struct {
		port     int
		from, to *Stream
	}{{lo, a, b}, {lo + 2, b, a}} {
		for k := range 2 { // RTP, then RTCP
			c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, uint16(leg.port+k))))
			if err != nil {
				t.Fatal(err)
			}
			r.socks = append(r.socks, c)
			dest := netip.AddrPortFrom(loopback, uint16(leg.to.LocalPort()+k))
			r.wg.Add(1)
			go r.forward(c, dest, k == 0)
		}
		leg.from.mu.Lock()
		leg.from.neg.Remote = netip.AddrPortFrom(loopback, uint16(leg.port))
		leg.from.mu.Unlock()
	}
	t.Cleanup(r.close)
	return r
}

func (r *relay) forward(c *net.UDPConn, to netip.AddrPort, impair bool) {
	defer r.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, _, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		r.mu.Lock()
		drop := impair && r.on && r.rnd.Float64() < r.loss
		delay := time.Duration(0)
		if r.on {
			delay = time.Duration(r.rnd.Float64() * float64(r.jitter))
		}
		r.mu.Unlock()
		if drop {
			r.lost.Add(1)
			continue
		}
		pkt := append([]byte(nil), buf[:n]...)
		time.AfterFunc(delay, func() { c.WriteToUDPAddrPort(pkt, to) })
	}
}

func (r *relay) close() {
	for _, c := range r.socks {
		c.Close()
	}
	r.wg.Wait()
}

// TestCallImpaired runs a call through a relay, clean for 3 s, then
// losing 5 % of the RTP packets and delaying each by up to 40 ms for 5 s.
// The call goes on, each side still hears the other's tone, the jitter
// buffers deepen, and the losses are concealed.
func TestCallImpaired(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an 8 s call")
	}
	a, b, stop := call(t,
		sim.SoundConfig{Mic: sim.NewToneSource(8000, 1000, 0.3)},
		sim.SoundConfig{Mic: sim.NewToneSource(8000, 600, 0.3)},
		nil, nil)
	rl := newRelay(t, a.s, b.s, 0.05, 40*time.Millisecond)
	waitFor(t, "3 s of the call", func() bool { return a.card.Played() >= 3*8000 && b.card.Played() >= 3*8000 })
	cleanA, cleanB := a.e.Stats(), b.e.Stats()
	rl.impair(true)
	at := a.card.Played()
	waitFor(t, "5 s more", func() bool { return a.card.Played() >= at+5*8000 && b.card.Played() >= at+5*8000 })
	stop()
	sa, _ := a.card.recording(t)
	sb, _ := b.card.recording(t)
	for _, x := range []struct {
		name      string
		clean, st Stats
		samples   []int16
		want      float64
	}{{"A", cleanA, a.e.Stats(), sa, 600}, {"B", cleanB, b.e.Stats(), sb, 1000}} {
		rough := x.samples[3*8000:]
		d := heard(rough, 8000, x.want)
		t.Logf("%s: heard %v Hz for %v of %v impaired; received %d, lost %d, late %d, concealed %d periods; jitter %.1f ms; buffer %.1f ms clean, %.1f ms impaired (max %.1f), stretched %d, dropped %d; RTT %.2f ms, far end reports %d lost",
			x.name, x.want, d, time.Duration(len(rough))*time.Second/8000, x.st.PacketsReceived, x.st.Lost, x.st.Late, x.st.Concealed,
			x.st.JitterMs, x.clean.JitterBufferMs, x.st.JitterBufferMs, x.st.JitterBufferMaxMs, x.st.JitterStretched, x.st.JitterDropped, x.st.RTTMs, x.st.RemoteLost)
		if d < 3500*time.Millisecond {
			t.Errorf("%s heard %v Hz for only %v of 5 s", x.name, x.want, d)
		}
		if x.st.Concealed == 0 || x.st.Lost == 0 {
			t.Errorf("%s: nothing lost or concealed through a lossy relay: %+v", x.name, x.st)
		}
		// How deep it goes depends on the machine too (our own pump's
		// hiccups count as jitter); jitter.TestJitterAdapts measures the
		// adaptation exactly. Here it must at least have kept up.
		if x.st.JitterBufferMaxMs < 40 {
			t.Errorf("%s: the jitter buffer stayed at %.1f ms under 40 ms of jitter", x.name, x.st.JitterBufferMaxMs)
		}
	}
	t.Logf("the relay dropped %d packets", rl.lost.Load())
}

// TestPumpUnderGCLoad runs a G.722 call on a 48 kHz stereo card (the
// heaviest path) while a goroutine churns the heap so the collector runs
// all the time: with two Ps, as the phone runs (cmd/handset), on all CPUs
// and on one (as on a Pi Zero). It measures, for every period, how late
// the pump got the period it waited for (after the card had captured it),
// and counts the card's underruns: the periods missed because the pump
// came later than its playback lead. The figures go to the log; only a
// gross failure — more than 2 % of periods missed — fails the test, as a
// shared machine stalls now and then.
func TestPumpUnderGCLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two 5 s calls")
	}
	for _, oneCPU := range []bool{false, true} {
		name := "GOMAXPROCS=2"
		if oneCPU {
			name += ",one-CPU"
		}
		t.Run(name, func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
			if oneCPU {
				pinOneCPU(t)
			}
			pumpUnderGCLoad(t)
		})
	}
}

func pumpUnderGCLoad(t *testing.T) {
	clk := hal.SystemClock{}
	card := &timedCard{}
	card.SoundCard = sim.NewSoundCard(sim.SoundConfig{Rates: []int{48000}, Channels: []int{2},
		Mic: sim.NewToneSource(48000, 1000, 0.3), Realtime: true, OnCapture: card.captured}, clk)
	e, _ := testEngine(t, card, clk, func(c *Config) {
		c.Codecs = []string{"G722"}
		c.EchoSuppressor = true
	})
	s, err := e.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	far := newPeer(t)
	negotiateCodec(t, s, far.addr(), "G722", 0)
	go far.echo(s)
	if err := e.Attach(s); err != nil {
		t.Fatal(err)
	}

	done := make(chan struct{})
	var wg sync.WaitGroup
	var gcBefore, gcAfter runtime.MemStats
	runtime.ReadMemStats(&gcBefore)
	wg.Add(1)
	go func() {
		defer wg.Done()
		churn(done)
	}()
	stop := run(t, e)
	const periods = 250
	waitFor(t, "5 s of the call", func() bool { return card.count() >= periods })
	stop()
	close(done)
	wg.Wait()
	runtime.ReadMemStats(&gcAfter)

	worst, over5, over10 := card.lateness()
	missed := int(card.Underruns())
	st := e.Stats()
	t.Logf("%d periods under GC load (%d collections, %.1f ms of pauses): worst lateness %v, %d later than 5 ms, %d later than 10 ms; %d missed (card underruns); playback lead %.1f ms",
		card.count(), gcAfter.NumGC-gcBefore.NumGC, float64(gcAfter.PauseTotalNs-gcBefore.PauseTotalNs)/1e6,
		worst, over5, over10, missed, st.PlaybackLeadMs)
	if missed > card.count()/50 {
		t.Errorf("%d of %d periods missed", missed, card.count())
	}
	if st := e.Stats(); st.PacketsReceived == 0 {
		t.Errorf("no audio went round: %+v", st)
	}
}

// churn allocates short- and long-lived garbage until done closes: a ring
// of 64 chunks of pointers (about 30 MB live) replaced one at a time.
func churn(done <-chan struct{}) {
	type node struct {
		next *node
		pad  [6]int64
	}
	var ring [64][]*node
	for i := 0; ; i++ {
		select {
		case <-done:
			return
		default:
		}
		chunk := make([]*node, 8192)
		for j := range chunk {
			chunk[j] = &node{}
			if j > 0 {
				chunk[j].next = chunk[j-1]
			}
		}
		ring[i%len(ring)] = chunk
	}
}

// timedCard records how late the pump got each capture period: from when
// the card had captured it (its first frame was heard at the time OnCapture
// reports, and the period took one period more) to when Read returned.
type timedCard struct {
	*sim.SoundCard
	mu    sync.Mutex
	heard time.Time // the last period's first frame, from OnCapture
	late  []time.Duration
}

func (c *timedCard) Open(want hal.PCMFormat) (hal.PCM, error) {
	p, err := c.SoundCard.Open(want)
	if err != nil {
		return nil, err
	}
	return &timedPCM{PCM: p, card: c}, nil
}

func (c *timedCard) captured(_ int64, at time.Time) {
	c.mu.Lock()
	c.heard = at
	c.mu.Unlock()
}

type timedPCM struct {
	hal.PCM
	card *timedCard
}

func (p *timedPCM) Read(buf []int16) error {
	err := p.PCM.Read(buf)
	now := time.Now()
	c := p.card
	c.mu.Lock()
	c.late = append(c.late, max(0, now.Sub(c.heard.Add(period))))
	c.mu.Unlock()
	return err
}

func (c *timedCard) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.late)
}

// lateness returns the worst lateness and the periods the pump got more
// than 5 and 10 ms after the card had them.
func (c *timedCard) lateness() (worst time.Duration, over5, over10 int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, late := range c.late {
		worst = max(worst, late)
		if late > 5*time.Millisecond {
			over5++
		}
		if late > 10*time.Millisecond {
			over10++
		}
	}
	return worst, over5, over10
}
