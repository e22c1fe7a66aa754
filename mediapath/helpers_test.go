package mediapath

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/sim"
	"handset/mediapath/tone"
	"handset/wav"
)

var loopback = netip.MustParseAddr("127.0.0.1")

// freePorts finds n consecutive even ports on loopback that bind right now.
func freePorts(t testing.TB, n int) (lo, hi int) {
	t.Helper()
	for try := 0; try < 50; try++ {
		lo = 20000 + 2*rand.IntN(20000)
		ok := true
		var conns []*net.UDPConn
		for p := lo; p < lo+2*n; p += 2 {
			c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, uint16(p))))
			if err != nil {
				ok = false
				break
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.Close()
		}
		if ok {
			return lo, lo + 2*n - 1
		}
	}
	t.Fatal("no free port range on loopback")
	return 0, 0
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testEngine makes an engine on loopback with a free port range of 8
// streams and the US tone plan; edit adjusts the config first.
func testEngine(t testing.TB, card hal.SoundCard, clk hal.Clock, edit func(*Config)) (*Engine, *syncBuffer) {
	t.Helper()
	plan, err := tone.PlanFor("us")
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := freePorts(t, 8)
	cfg := Config{Card: card, Plan: plan, LocalAddr: loopback, PortMin: lo, PortMax: hi}
	if edit != nil {
		edit(&cfg)
	}
	logs := &syncBuffer{}
	e, err := NewEngine(cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), clk)
	if err != nil {
		t.Fatal(err)
	}
	return e, logs
}

// run starts e.Run and stops it at cleanup (or when the returned stop is
// called), failing if Run returns an error or does not return in 5 s.
func run(t testing.TB, e *Engine) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Error("Run did not return 5 s after cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// speakerCard is a simulated card recording its speaker to a file.
type speakerCard struct {
	*sim.SoundCard
	path string
	file *os.File
}

func newSpeakerCard(t testing.TB, cfg sim.SoundConfig, clk hal.Clock) *speakerCard {
	t.Helper()
	path := filepath.Join(t.TempDir(), "speaker.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	cfg.Speaker = f
	return &speakerCard{SoundCard: sim.NewSoundCard(cfg, clk), path: path, file: f}
}

// recording closes the card and returns what its speaker played (mono).
func (c *speakerCard) recording(t testing.TB) ([]int16, int) {
	t.Helper()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(c.path)
	if err != nil {
		t.Fatal(err)
	}
	samples, rate, _, err := wav.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return samples, rate
}
