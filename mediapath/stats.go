package mediapath

import "time"

// Stats counts one call's media. The pump updates it; Engine.Stats copies it.
type Stats struct {
	Codec           string
	PacketsSent     uint64
	PacketsReceived uint64
	BytesSent       uint64
	BytesReceived   uint64
	// Lost counts packets the receiver never got (sequence gaps).
	Lost uint64
	// Late counts packets that arrived after their playout time.
	Late uint64
	// Duplicates counts packets received twice.
	Duplicates uint64
	// Concealed counts periods played without a packet.
	Concealed uint64
	// JitterMs is the RFC 3550 interarrival jitter estimate.
	JitterMs float64
	// DTMFSent and DTMFReceived count RFC 4733 events.
	DTMFSent     uint64
	DTMFReceived uint64
	// Xruns counts sound-card under- and overruns recovered during the call.
	Xruns uint64
	// FirstRTPSent is when the first packet left, zero if none did.
	FirstRTPSent time.Time
	// FirstRTPReceived is when the first packet came in, zero if none did.
	FirstRTPReceived time.Time
}
