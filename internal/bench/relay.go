package bench

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"handset/hal"
)

// Relay is an impairing UDP relay on loopback: every datagram it gets
// goes on to one destination after a random delay drawn uniformly from
// [0, Jitter) (so packets may overtake each other, as with netem's
// delay). It records when each datagram went out: when an RTP packet
// reached the destination's socket.
type Relay struct {
	conn   *net.UDPConn
	clk    hal.Clock
	jitter time.Duration
	to     atomic.Pointer[netip.AddrPort]
	wg     sync.WaitGroup

	mu  sync.Mutex
	rnd *rand.Rand
	out []Forwarded
}

// Forwarded is one datagram sent on.
type Forwarded struct {
	At  time.Time
	Seq uint16 // the RTP sequence number, for an RTP packet
	RTP bool
}

// NewRelay listens on a free loopback port; seed makes its delays
// repeatable; clk times them.
func NewRelay(jitter time.Duration, seed uint64, clk hal.Clock) (*Relay, error) {
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		return nil, fmt.Errorf("bench: relay: %w", err)
	}
	r := &Relay{conn: c, clk: clk, jitter: jitter, rnd: rand.New(rand.NewPCG(seed, seed^0x5bd1e995))}
	r.wg.Add(1)
	go r.run()
	return r, nil
}

// Addr is where to send what the relay should pass on.
func (r *Relay) Addr() netip.AddrPort { return r.conn.LocalAddr().(*net.UDPAddr).AddrPort() }

// SetDest sets where datagrams go; until it is set they are dropped.
func (r *Relay) SetDest(to netip.AddrPort) { r.to.Store(&to) }

func (r *Relay) run() {
	defer r.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, _, err := r.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		to := r.to.Load()
		if to == nil {
			continue
		}
		pkt := append([]byte(nil), buf[:n]...)
		r.mu.Lock()
		delay := time.Duration(r.rnd.Int64N(int64(r.jitter) + 1))
		r.mu.Unlock()
		if r.jitter <= 0 {
			r.send(pkt, *to)
			continue
		}
		r.wg.Add(1)
		r.clk.AfterFunc(delay, func() {
			defer r.wg.Done()
			r.send(pkt, *to)
		})
	}
}

func (r *Relay) send(pkt []byte, to netip.AddrPort) {
	if _, err := r.conn.WriteToUDPAddrPort(pkt, to); err != nil {
		return // closed, or the destination is gone
	}
	f := Forwarded{At: r.clk.Now(), RTP: IsRTP(pkt)}
	if f.RTP {
		f.Seq = binary.BigEndian.Uint16(pkt[2:4])
	}
	r.mu.Lock()
	r.out = append(r.out, f)
	r.mu.Unlock()
}

// Close stops the relay and returns what it sent on. Closing again
// returns the same.
func (r *Relay) Close() []Forwarded {
	r.conn.Close()
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out
}
