package jitter

// Limits on Config values: sequence distances are measured as int16.
const (
	maxCapacity       = 1 << 14
	defaultMaxPayload = 320
)

// Config sizes a Buffer.
type Config struct {
	// Depth is how many packets are held before playout starts (prefill),
	// at least 1.
	Depth int
	// Capacity is the number of slots: a power of two, at least 2·Depth,
	// e.g. 16. A packet further ahead than Capacity resyncs the buffer.
	Capacity int
	// MaxPayload is the size of a slot in bytes, e.g. 320.
	MaxPayload int
}

// Stats counts what the buffer saw since New or Reset.
type Stats struct {
	// Received counts every packet pushed, whatever became of it.
	Received uint64
	// Late counts packets that came after their turn to play.
	Late uint64
	// Duplicates counts packets already waiting in the buffer.
	Duplicates uint64
	// Lost counts turns played without a packet once playout has started.
	Lost uint64
	// Reordered counts packets that came after a later-numbered one, yet in
	// time to play.
	Reordered uint64
	// Resyncs counts restarts on a sequence jump (a new stream).
	Resyncs uint64
	// Underruns counts times the buffer ran dry and prefilled again.
	Underruns uint64
	// Oversize counts packets dropped for not fitting a slot.
	Oversize uint64
	// Depth is the number of packets waiting now.
	Depth int
}

// slot holds one packet; its bytes live in Buffer.data.
type slot struct {
	seq  uint16
	n    int
	full bool
}

// Buffer orders packets by RTP sequence number, handling its 16-bit
// wrap-around. It orders by sequence number only: timestamps are accepted
// for the adaptive buffer that will replace it and are not used.
type Buffer struct {
	cfg   Config
	mask  uint16
	slots []slot
	data  []byte // Capacity slots of MaxPayload bytes

	started bool   // a packet has been seen since New, Reset or a resync
	playing bool   // prefill is done: Pop hands out packets
	played  bool   // Pop has moved next since the (re)start
	next    uint16 // the sequence number Pop plays next
	highest uint16 // the highest sequence number pushed
	count   int    // packets waiting

	probing bool   // a packet far behind was seen: is it a new stream?
	probe   uint16 // the sequence number that confirms it

	stats Stats
}

// New returns an empty Buffer. It corrects a Config it cannot use: a Depth
// below 1 becomes 1, Capacity is raised to a power of two of at least
// 2·Depth (and limited to 16384, Depth to half that), and a MaxPayload
// below 1 becomes 320.
func New(c Config) *Buffer {
	c.Depth = min(max(c.Depth, 1), maxCapacity/2)
	capacity := 2
	for capacity < c.Capacity || capacity < 2*c.Depth {
		capacity *= 2
		if capacity == maxCapacity {
			break
		}
	}
	c.Capacity = capacity
	if c.MaxPayload < 1 {
		c.MaxPayload = defaultMaxPayload
	}
	return &Buffer{
		cfg:   c,
		mask:  uint16(c.Capacity - 1),
		slots: make([]slot, c.Capacity),
		data:  make([]byte, c.Capacity*c.MaxPayload),
	}
}

// Config returns the configuration in use, after New's corrections.
func (b *Buffer) Config() Config { return b.cfg }

// Push copies payload into the slot for seq. Late packets (their turn has
// passed) and duplicates are counted and dropped. A packet Capacity or more
// ahead of the next one to play starts the buffer afresh (a resync), as do
// two consecutive packets far behind it (a new stream). Before playout has
// started, an earlier packet than the first one moves the start back.
func (b *Buffer) Push(seq uint16, ts uint32, payload []byte) {
	b.stats.Received++
	if len(payload) > b.cfg.MaxPayload {
		b.stats.Oversize++
		return
	}
	if !b.started {
		b.restart(seq)
	}
	capacity := b.cfg.Capacity
	d := int(int16(seq - b.next))
	switch {
	case d >= capacity:
		b.resync(seq)
	case d < 0 && !b.played && int(int16(b.highest-seq)) < capacity:
		b.next = seq // still prefilling: start earlier
	case d < -capacity:
		if b.probing && seq == b.probe {
			b.resync(seq)
			break
		}
		b.probing, b.probe = true, seq+1
		b.stats.Late++
		return
	case d < 0:
		b.stats.Late++
		return
	}
	b.probing = false

	s := &b.slots[seq&b.mask]
	if s.full && s.seq == seq {
		b.stats.Duplicates++
		return
	}
	if int16(seq-b.highest) < 0 {
		b.stats.Reordered++
	} else {
		b.highest = seq
	}
	if !s.full {
		b.count++
	}
	off := int(seq&b.mask) * b.cfg.MaxPayload
	s.seq, s.n, s.full = seq, copy(b.data[off:off+b.cfg.MaxPayload], payload), true
}

// Pop copies the next packet in sequence into dst (as much as fits) and
// returns its length. ok is false when there is no packet to play: while
// the buffer prefills (not counted), after it ran dry (an underrun: it
// prefills again, Depth packets, without skipping), or when the packet is
// missing (counted as Lost and skipped). The caller conceals the gap.
func (b *Buffer) Pop(dst []byte) (n int, ok bool) {
	if !b.playing {
		if b.count < b.cfg.Depth {
			return 0, false
		}
		b.playing = true
	}
	if b.count == 0 {
		b.playing = false
		b.stats.Underruns++
		return 0, false
	}
	s := &b.slots[b.next&b.mask]
	b.played = true
	if !s.full || s.seq != b.next {
		b.stats.Lost++
		b.next++
		return 0, false
	}
	off := int(b.next&b.mask) * b.cfg.MaxPayload
	n = copy(dst, b.data[off:off+s.n])
	s.full = false
	b.count--
	b.next++
	return n, true
}

// Reset empties the buffer and zeroes its statistics, as New does.
func (b *Buffer) Reset() {
	b.clear()
	b.started = false
	b.stats = Stats{}
}

// Stats returns the counters and the current depth.
func (b *Buffer) Stats() Stats {
	s := b.stats
	s.Depth = b.count
	return s
}

// resync drops everything waiting and starts again at seq.
func (b *Buffer) resync(seq uint16) {
	b.stats.Resyncs++
	b.clear()
	b.restart(seq)
}

// restart begins a stream at seq.
func (b *Buffer) restart(seq uint16) {
	b.started = true
	b.next, b.highest = seq, seq
}

// clear empties the slots and the playout state.
func (b *Buffer) clear() {
	for i := range b.slots {
		b.slots[i].full = false
	}
	b.count = 0
	b.playing, b.played, b.probing = false, false, false
}
