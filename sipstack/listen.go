package sipstack

import (
	"net"
	"sync"

	"github.com/emiago/sipgo/sip"
)

// maxSources bounds how many peer addresses listenConn remembers.
const maxSources = 4096

// listenConn is our UDP socket as sipgo reads it. It works around two
// things in sipgo:
//
//   - Requests must leave from this socket (WithClientConnectionAddr), which
//     sipgo finds in its connection pool; the socket is in the pool once
//     sipgo starts reading, which reading reports.
//   - sipgo handles each message in a goroutine of its own that we cannot
//     wait for. One that runs after the socket closed finds its peer gone
//     from the pool (sipgo's read loop removes its entries when it ends) and
//     opens a new socket, with a reader goroutine, that nothing closes. So
//     at shutdown stop first drops all input, then pins every peer address
//     we saw (and our own) in the pool to a stand-in for the closed socket,
//     where late writes just fail. The pool is never cleared.
type listenConn struct {
	net.PacketConn
	reading  chan struct{} // closed at the first read
	once     sync.Once
	mu       sync.Mutex
	dropping bool
	sources  map[string]struct{}
}

func newListenConn(pc net.PacketConn) *listenConn {
	return &listenConn{PacketConn: pc, reading: make(chan struct{}), sources: make(map[string]struct{})}
}

// ReadFrom implements net.PacketConn.
func (c *listenConn) ReadFrom(b []byte) (int, net.Addr, error) {
	c.once.Do(func() { close(c.reading) })
	for {
		n, addr, err := c.PacketConn.ReadFrom(b)
		if err != nil {
			return n, addr, err
		}
		c.mu.Lock()
		drop := c.dropping
		if !drop && len(c.sources) < maxSources {
			c.sources[addr.String()] = struct{}{}
		}
		c.mu.Unlock()
		if !drop {
			return n, addr, nil
		}
	}
}

// stop drops all further input and pins the pool entries (see listenConn).
func (c *listenConn) stop(pool *sip.ConnectionPool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropping = true
	if pool == nil {
		return
	}
	local := c.LocalAddr().String()
	standIn := &sip.UDPConnection{PacketConn: c.PacketConn, PacketAddr: local, Listener: true}
	pool.Add(local, standIn)
	for src := range c.sources {
		pool.Add(src, standIn)
	}
}
