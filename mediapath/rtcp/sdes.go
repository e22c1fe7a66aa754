package rtcp

import (
	"encoding/binary"
	"fmt"
)

// sdesCNAME is the CNAME item type.
const sdesCNAME = 1

// MarshalSDES writes a source description with one chunk, ssrc's CNAME
// (RFC 3550 §6.5), into b and returns its size:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|V=2|P| SC=1    |  PT=SDES=202  |             length            |
//	+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//	|                          SSRC/CSRC_1                          |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|    CNAME=1    |     length    | user and domain name        …
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The item list ends with a zero byte and is padded to 32 bits.
func MarshalSDES(b []byte, ssrc uint32, cname string) (int, error) {
	if len(cname) > 255 {
		return 0, fmt.Errorf("marshal SDES: %w", errCNAME)
	}
	items := 2 + len(cname) + 1 // type, length, text, end
	size := headerSize + 4 + (items+3)/4*4
	if len(b) < size {
		return 0, fmt.Errorf("marshal SDES: %w", errShort)
	}
	putHeader(b, 1, TypeSDES, size)
	binary.BigEndian.PutUint32(b[4:8], ssrc)
	b[8] = sdesCNAME
	b[9] = uint8(len(cname))
	copy(b[10:], cname)
	clear(b[10+len(cname) : size])
	return size, nil
}

// MarshalBye writes a BYE for ssrc (RFC 3550 §6.6), without a reason,
// into b and returns its size.
func MarshalBye(b []byte, ssrc uint32) (int, error) {
	const size = headerSize + 4
	if len(b) < size {
		return 0, fmt.Errorf("marshal BYE: %w", errShort)
	}
	putHeader(b, 1, TypeBYE, size)
	binary.BigEndian.PutUint32(b[4:8], ssrc)
	return size, nil
}
