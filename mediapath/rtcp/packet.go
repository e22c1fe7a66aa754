package rtcp

import "encoding/binary"

// Packet types (RFC 3550 §12.1).
const (
	TypeSR   = 200
	TypeRR   = 201
	TypeSDES = 202
	TypeBYE  = 203
)

// MaxReports is the most report blocks a report can hold (a 5-bit count).
const MaxReports = 31

// headerSize is the common header:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|V=2|P|    RC   |      PT       |             length            |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// RC counts the report blocks (or SDES chunks, or BYE sources); length is
// the packet's size in 32-bit words minus one, header included.
const headerSize = 4

// Header is the common header of one RTCP packet in a compound packet.
type Header struct {
	Padding bool
	Count   uint8
	Type    uint8
	// Length is the packet's size in bytes, header included.
	Length int
}

// putHeader writes a header for a packet of size bytes (a multiple of 4).
func putHeader(b []byte, count, typ uint8, size int) {
	b[0] = 2<<6 | count&0x1F
	b[1] = typ
	binary.BigEndian.PutUint16(b[2:4], uint16(size/4-1))
}

// Next splits the first packet off a compound packet: its header, its
// body (after the header, padding removed) and the rest.
func Next(b []byte) (h Header, body, rest []byte, err error) {
	if len(b) < headerSize {
		return Header{}, nil, nil, errShort
	}
	if b[0]>>6 != 2 {
		return Header{}, nil, nil, errVersion
	}
	h = Header{
		Padding: b[0]&0x20 != 0,
		Count:   b[0] & 0x1F,
		Type:    b[1],
		Length:  (int(binary.BigEndian.Uint16(b[2:4])) + 1) * 4,
	}
	if h.Length > len(b) {
		return Header{}, nil, nil, errLength
	}
	body = b[headerSize:h.Length]
	if h.Padding && len(body) > 0 {
		pad := int(body[len(body)-1])
		if pad == 0 || pad > len(body) {
			return Header{}, nil, nil, errLength
		}
		body = body[:len(body)-pad]
	}
	return h, body, b[h.Length:], nil
}
