package bench

import (
	"net/netip"
	"time"
)

// Packet is one UDP datagram seen on the wire.
type Packet struct {
	At       time.Time
	Src, Dst netip.AddrPort
	Payload  []byte
}
