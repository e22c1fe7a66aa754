package mediapath

import "time"

// Stats counts one call's media. The pump and the stream's goroutines
// update it; Engine.Stats copies it. Call control prints it when a call
// ends.
type Stats struct {
	Codec           string
	PacketsSent     uint64
	PacketsReceived uint64
	BytesSent       uint64
	BytesReceived   uint64
	// Lost counts packets missing at their turn to play (lost on the way
	// or too late); Late those that came after it; Duplicates those
	// received twice.
	Lost       uint64
	Late       uint64
	Duplicates uint64
	// Concealed counts periods (20 ms) the loss concealment made up for
	// lost or late packets.
	Concealed uint64
	// JitterMs is the RFC 3550 interarrival jitter estimate.
	JitterMs float64
	// FractionLost is the share of the far end's packets lost on the way
	// in the last RTCP interval (RFC 3550: expected less received), 0–1.
	FractionLost float64
	// JitterBufferMs is the jitter buffer's delay (how long the earliest
	// packets wait to play) at the end; JitterBufferMaxMs the most it
	// reached. JitterStretched and JitterDropped count periods it
	// inserted or left out to follow the network and the far end's clock.
	JitterBufferMs    float64
	JitterBufferMaxMs float64
	JitterStretched   uint64
	JitterDropped     uint64
	// ComfortNoise counts periods played as comfort noise; CNSent counts
	// comfort-noise packets sent while the mouthpiece was silent.
	ComfortNoise uint64
	CNSent       uint64
	// EchoSuppressed counts periods the echo suppressor turned the
	// mouthpiece down in.
	EchoSuppressed uint64
	// RTTMs is the round-trip time from the last RTCP report that had one
	// (RFC 3550 LSR/DLSR), 0 when none did.
	RTTMs float64
	// RemoteLost, RemoteFractionLost and RemoteJitterMs are what the far
	// end last reported of our stream: packets lost (cumulative), the
	// share lost in its last interval, and its jitter estimate.
	RemoteLost         int64
	RemoteFractionLost float64
	RemoteJitterMs     float64
	// RTCPSent and RTCPReceived count RTCP compound packets.
	RTCPSent     uint64
	RTCPReceived uint64
	// DTMFSent and DTMFReceived count RFC 4733 events.
	DTMFSent     uint64
	DTMFReceived uint64
	// Xruns counts sound-card under- and overruns recovered during the call.
	Xruns uint64
	// PlaybackLeadMs is the audio queued in the sound card ahead of the
	// earpiece when the pump wakes: delay it adds, kept as short as the
	// pump's lateness allows. PumpLateMaxMs is the latest the pump has
	// woken (as the lead shows it) and PumpLate counts the periods it woke
	// late, since the card was opened.
	PlaybackLeadMs float64
	PumpLateMaxMs  float64
	PumpLate       uint64
	// FirstRTPSent is when the first packet left, zero if none did.
	FirstRTPSent time.Time
	// FirstRTPReceived is when the first packet came in, zero if none did.
	FirstRTPReceived time.Time
}
