package rtcp

import (
	"encoding/binary"
	"fmt"
)

// ReportBlock is one reception report (RFC 3550 §6.4.1):
//
//	+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//	|                 SSRC_1 (SSRC of first source)                 |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	| fraction lost |       cumulative number of packets lost       |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|           extended highest sequence number received           |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                      interarrival jitter                      |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                         last SR (LSR)                         |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                   delay since last SR (DLSR)                  |
//	+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
type ReportBlock struct {
	SSRC uint32
	// FractionLost is the share of packets lost since the last report,
	// in 1/256.
	FractionLost uint8
	// TotalLost is the packets lost since the start (24 bits, signed:
	// duplicates can make it negative).
	TotalLost int32
	// HighestSeq is the highest sequence number received, with the count
	// of wrap-arounds in the high 16 bits.
	HighestSeq uint32
	// Jitter is the interarrival jitter in timestamp units.
	Jitter uint32
	// LSR is the middle 32 bits of the NTP time of the last SR received
	// from the source, 0 if none; DLSR the time since, in 1/65536 s.
	LSR, DLSR uint32
}

const reportBlockSize = 24

func (r ReportBlock) putTo(b []byte) {
	binary.BigEndian.PutUint32(b[0:4], r.SSRC)
	lost := min(max(r.TotalLost, -1<<23), 1<<23-1)
	binary.BigEndian.PutUint32(b[4:8], uint32(r.FractionLost)<<24|uint32(lost)&0xFFFFFF)
	binary.BigEndian.PutUint32(b[8:12], r.HighestSeq)
	binary.BigEndian.PutUint32(b[12:16], r.Jitter)
	binary.BigEndian.PutUint32(b[16:20], r.LSR)
	binary.BigEndian.PutUint32(b[20:24], r.DLSR)
}

func (r *ReportBlock) readFrom(b []byte) {
	r.SSRC = binary.BigEndian.Uint32(b[0:4])
	v := binary.BigEndian.Uint32(b[4:8])
	r.FractionLost = uint8(v >> 24)
	r.TotalLost = int32(v<<8) >> 8 // sign-extend 24 bits
	r.HighestSeq = binary.BigEndian.Uint32(b[8:12])
	r.Jitter = binary.BigEndian.Uint32(b[12:16])
	r.LSR = binary.BigEndian.Uint32(b[16:20])
	r.DLSR = binary.BigEndian.Uint32(b[20:24])
}

// SenderReport is an SR (RFC 3550 §6.4.1), sent by a source that sent RTP
// since its last report:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|V=2|P|    RC   |   PT=SR=200   |             length            |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                         SSRC of sender                        |
//	+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//	|              NTP timestamp, most significant word             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|             NTP timestamp, least significant word             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                         RTP timestamp                         |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                     sender's packet count                     |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                      sender's octet count                     |
//	+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//	|                 report blocks (RC of them)…                   |
type SenderReport struct {
	SSRC        uint32
	NTPTime     uint64
	RTPTime     uint32
	PacketCount uint32
	OctetCount  uint32
	Reports     [MaxReports]ReportBlock
	NumReports  int
}

const srInfoSize = 24 // SSRC + sender info

// MarshalTo writes the SR into b and returns its size.
func (r *SenderReport) MarshalTo(b []byte) (int, error) {
	if r.NumReports < 0 || r.NumReports > MaxReports {
		return 0, fmt.Errorf("marshal SR: %w: %d", errTooMany, r.NumReports)
	}
	size := headerSize + srInfoSize + r.NumReports*reportBlockSize
	if len(b) < size {
		return 0, fmt.Errorf("marshal SR: %w", errShort)
	}
	putHeader(b, uint8(r.NumReports), TypeSR, size)
	binary.BigEndian.PutUint32(b[4:8], r.SSRC)
	binary.BigEndian.PutUint64(b[8:16], r.NTPTime)
	binary.BigEndian.PutUint32(b[16:20], r.RTPTime)
	binary.BigEndian.PutUint32(b[20:24], r.PacketCount)
	binary.BigEndian.PutUint32(b[24:28], r.OctetCount)
	for i := range r.NumReports {
		r.Reports[i].putTo(b[28+i*reportBlockSize:])
	}
	return size, nil
}

// Unmarshal reads an SR body (what Next returns) with count blocks.
func (r *SenderReport) Unmarshal(count uint8, body []byte) error {
	if len(body) < srInfoSize+int(count)*reportBlockSize {
		return fmt.Errorf("unmarshal SR: %w", errShort)
	}
	r.SSRC = binary.BigEndian.Uint32(body[0:4])
	r.NTPTime = binary.BigEndian.Uint64(body[4:12])
	r.RTPTime = binary.BigEndian.Uint32(body[12:16])
	r.PacketCount = binary.BigEndian.Uint32(body[16:20])
	r.OctetCount = binary.BigEndian.Uint32(body[20:24])
	r.NumReports = int(count)
	for i := range r.NumReports {
		r.Reports[i].readFrom(body[srInfoSize+i*reportBlockSize:])
	}
	return nil
}

// ReceiverReport is an RR (RFC 3550 §6.4.2), sent by a source that sent
// no RTP since its last report:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|V=2|P|    RC   |   PT=RR=201   |             length            |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                     SSRC of packet sender                     |
//	+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//	|                 report blocks (RC of them)…                   |
type ReceiverReport struct {
	SSRC       uint32
	Reports    [MaxReports]ReportBlock
	NumReports int
}

// MarshalTo writes the RR into b and returns its size.
func (r *ReceiverReport) MarshalTo(b []byte) (int, error) {
	if r.NumReports < 0 || r.NumReports > MaxReports {
		return 0, fmt.Errorf("marshal RR: %w: %d", errTooMany, r.NumReports)
	}
	size := headerSize + 4 + r.NumReports*reportBlockSize
	if len(b) < size {
		return 0, fmt.Errorf("marshal RR: %w", errShort)
	}
	putHeader(b, uint8(r.NumReports), TypeRR, size)
	binary.BigEndian.PutUint32(b[4:8], r.SSRC)
	for i := range r.NumReports {
		r.Reports[i].putTo(b[8+i*reportBlockSize:])
	}
	return size, nil
}

// Unmarshal reads an RR body (what Next returns) with count blocks.
func (r *ReceiverReport) Unmarshal(count uint8, body []byte) error {
	if len(body) < 4+int(count)*reportBlockSize {
		return fmt.Errorf("unmarshal RR: %w", errShort)
	}
	r.SSRC = binary.BigEndian.Uint32(body[0:4])
	r.NumReports = int(count)
	for i := range r.NumReports {
		r.Reports[i].readFrom(body[4+i*reportBlockSize:])
	}
	return nil
}
