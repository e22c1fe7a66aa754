package sdpneg

import (
	"fmt"
	"net/netip"
	"slices"

	"handset/mediapath/codec"
)

// defaultPtime is the packet time in ms when none is given.
const defaultPtime = 20

// Local is what the phone brings to a negotiation.
type Local struct {
	// Addr is our RTP address (in c= and o=).
	Addr netip.Addr
	// Port is our RTP port.
	Port int
	// Codecs are the SDP names of our codecs in preference order, e.g.
	// ["PCMU", "PCMA"].
	Codecs []string
	// DTMFPayloadType is our telephone-event payload type (96-127), e.g.
	// 101; 0 leaves telephone-event out.
	DTMFPayloadType uint8
	// ComfortNoise offers (and accepts) RFC 3389 comfort noise, CN on
	// static payload type 13 at 8000 Hz.
	ComfortNoise bool
	// SessionID and Version go in o=; bump Version for each new offer or
	// answer in the same session.
	SessionID uint64
	Version   uint64
	// Ptime is the packet time we want to receive, in ms; 0 means 20.
	Ptime int
}

// Negotiated is the outcome of an offer/answer exchange.
type Negotiated struct {
	// Codec is the SDP name of the codec, e.g. "PCMU".
	Codec string
	// PayloadType is the codec's payload type number for both directions:
	// the peer's number when the peer offered it.
	PayloadType uint8
	// ClockRate is the codec's RTP clock rate.
	ClockRate int
	// DTMFPayloadType is the peer's telephone-event payload type; 0 when
	// there is none (or we did not ask for it).
	DTMFPayloadType uint8
	// Remote is where to send RTP (the media-level c= wins over the
	// session-level one).
	Remote netip.AddrPort
	// Ptime is the packet time the peer wants, in ms; 20 when it said none.
	Ptime int
	// Direction is our direction: "sendrecv", "sendonly", "recvonly" or
	// "inactive".
	Direction string
	// CNPayloadType is the peer's comfort-noise payload type at the
	// codec's clock rate; 0 when there is none (or we did not offer it):
	// then no CN may be sent.
	CNPayloadType uint8
}

// local is a checked Local with its codecs resolved.
type local struct {
	Local
	codecs []codec.Codec
}

// check validates l and resolves its codecs.
func check(l Local) (local, error) {
	if !l.Addr.IsValid() || l.Addr.IsUnspecified() {
		return local{}, fmt.Errorf("%w: address %v", errLocal, l.Addr)
	}
	l.Addr = l.Addr.Unmap().WithZone("")
	if l.Port < 1 || l.Port > 65535 {
		return local{}, fmt.Errorf("%w: port %d", errLocal, l.Port)
	}
	if l.DTMFPayloadType != 0 && (l.DTMFPayloadType < 96 || l.DTMFPayloadType > 127) {
		return local{}, fmt.Errorf("%w: telephone-event payload type %d is not dynamic (96-127)", errLocal, l.DTMFPayloadType)
	}
	if l.Ptime == 0 {
		l.Ptime = defaultPtime
	}
	if l.Ptime < 10 || l.Ptime > 200 {
		return local{}, fmt.Errorf("%w: ptime %d ms", errLocal, l.Ptime)
	}
	out := local{Local: l}
	for _, name := range l.Codecs {
		c, ok := codec.ByName(name)
		if !ok {
			return local{}, fmt.Errorf("%w: unknown codec %q", errLocal, name)
		}
		if !slices.ContainsFunc(out.codecs, func(o codec.Codec) bool { return o.Name() == c.Name() }) {
			out.codecs = append(out.codecs, c)
		}
	}
	if len(out.codecs) == 0 {
		return local{}, fmt.Errorf("%w: no codecs", errLocal)
	}
	return out, nil
}
