package jitter

import "time"

// Kind says what a packet carries.
type Kind uint8

// The kinds of packet.
const (
	// Voice is codec audio.
	Voice Kind = iota
	// Comfort is an RFC 3389 comfort-noise payload: silence from its
	// timestamp on, at a level.
	Comfort
	// Event holds the place of a packet that carries no audio for the
	// buffer, such as an RFC 4733 event, whose sequence numbers the voice
	// stream skips.
	Event
)

// Packet describes an RTP packet going in or coming out.
type Packet struct {
	Seq    uint16
	TS     uint32
	Marker bool
	Kind   Kind
	// Units is how many RTP timestamp units the packet's audio lasts (its
	// samples at the clock rate; for G.711 and G.722 its payload bytes).
	// Zero means one period. Events last nothing.
	Units uint32
}

// Status is what Pop found for the audio due.
type Status uint8

// What Pop reports.
const (
	// Play: the packet returned is due; decode and play it.
	Play Status = iota
	// Drop: the buffer is shrinking. Decode the packet returned (to keep
	// the decoder's state) but do not play it; Pop again for the audio
	// due.
	Drop
	// Lost: the packet due is missing; conceal it.
	Lost
	// Wait: no audio is due: before playout starts, during silence (DTX,
	// comfort noise) or while waiting out an underrun. Conceal or play
	// comfort noise; nothing is lost.
	Wait
)

// String names the status.
func (s Status) String() string {
	switch s {
	case Play:
		return "play"
	case Drop:
		return "drop"
	case Lost:
		return "lost"
	case Wait:
		return "wait"
	}
	return "unknown"
}

// Stats counts what the buffer saw since New or Reset.
type Stats struct {
	// Received counts every packet pushed, whatever became of it.
	Received uint64
	// Late counts packets that came after their turn to play.
	Late uint64
	// Duplicates counts packets already held or already played.
	Duplicates uint64
	// Lost counts packets missing at their turn to play.
	Lost uint64
	// Reordered counts packets that came after a later-numbered one.
	Reordered uint64
	// Resyncs counts restarts on a sequence or timestamp jump.
	Resyncs uint64
	// Underruns counts times the buffer ran dry while audio was expected.
	Underruns uint64
	// Stretched counts periods inserted to deepen the buffer (or to wait
	// out an underrun); Dropped counts voice periods dropped to make it
	// shallower; SilenceSkipped counts periods of silence left out for
	// the same reason, unheard.
	Stretched, Dropped, SilenceSkipped uint64
	// Oversize counts packets dropped for not fitting a slot.
	Oversize uint64
	// Depth is the delay the buffer adds: how long the packets that come
	// soonest wait for their turn (the 99th percentile of the last few
	// seconds' waits, smoothed over about one more); MaxDepth its largest
	// value.
	Depth, MaxDepth time.Duration
}

// Slot states.
const (
	empty = iota
	held
	played
	missed
)

// slot holds one packet; its bytes live in Buffer.data.
type slot struct {
	pkt   Packet
	n     int
	state uint8
}

// Buffer is the adaptive jitter buffer. Push files packets as they arrive;
// each period, Tick, then Pop (more than once when packets are shorter
// than a period) hands out what is due.
type Buffer struct {
	cfg   Config
	mask  uint16
	frame uint32 // timestamp units per period
	slots []slot
	data  []byte

	started bool   // a packet has been seen since New, Reset or a resync
	playing bool   // Pop has started playout
	next    uint16 // the sequence number to play next
	highest uint16 // the highest sequence number pushed
	count   int    // slots held
	firstTS uint32 // lowest timestamp before playout
	firstAt time.Time

	playTS     uint32    // timestamp of the next audio to play
	anchorAt   time.Time // when the current period began (Tick)…
	anchorTS   uint32    // …and its first timestamp
	stretching bool      // this period is inserted: Pop waits
	lastKind   Kind      // the kind of the last packet played
	dry        int       // periods waited in the current underrun

	newestEnd  uint32 // end timestamp of the newest audio pushed
	haveNewest bool

	stretch, shrink int           // periods to insert or remove
	late            time.Duration // worst lateness since the last period
	calmSince       time.Time     // the last change of depth
	// The margins of the last packets (how long before their turn they
	// came), less shift at the time: shift sums the changes of depth
	// since, which move every margin alike.
	margins       [marginRing]time.Duration
	nMargins, pos int
	shift         time.Duration
	settling      int // packets still to come before margins count
	// The rank smallest and largest margins held, kept up as margins
	// come; stale when they must be found afresh: none found yet, or one
	// of them left the ring.
	smallest, largest [rank]time.Duration
	stale             bool

	probing bool   // a packet far behind was seen: is it a new stream?
	probe   uint16 // the sequence number that confirms it

	stats Stats
}

// New returns an empty Buffer; see Config for the defaults.
func New(c Config) *Buffer {
	c = c.withDefaults()
	return &Buffer{
		settling: settlePackets,
		stale:    true,
		cfg:      c,
		mask:     uint16(c.Slots - 1),
		frame:    uint32(int64(c.ClockRate) * int64(c.Period) / int64(time.Second)),
		slots:    make([]slot, c.Slots),
		data:     make([]byte, c.Slots*c.MaxPayload),
	}
}

// Config returns the configuration in use, after New's corrections.
func (b *Buffer) Config() Config { return b.cfg }

// Push copies payload into the slot of packet p, which arrived at now.
// Packets whose turn has passed are dropped as late (and make the buffer
// deeper when their loss could have been avoided); duplicates are dropped.
// A packet a whole buffer ahead of the playout point, two packets in a row
// far behind it, or a timestamp far from it, starts the buffer afresh.
func (b *Buffer) Push(p Packet, payload []byte, now time.Time) {
	b.stats.Received++
	if len(payload) > b.cfg.MaxPayload {
		b.stats.Oversize++
		return
	}
	switch {
	case p.Kind == Event:
		p.Units = 0
	case p.Units == 0:
		p.Units = b.frame
	}
	if !b.started {
		b.restart(p, now)
	}
	slots := len(b.slots)
	d := int(int16(p.Seq - b.next))
	switch {
	case d >= slots:
		b.resync(p, now)
	case d < 0 && !b.playing && int(int16(b.highest-p.Seq)) < slots:
		b.next = p.Seq // still prefilling: start earlier
	case d < -slots:
		if b.probing && p.Seq == b.probe {
			b.resync(p, now)
			break
		}
		b.probing, b.probe = true, p.Seq+1
		b.stats.Late++
		return
	case d < 0:
		b.tooLate(p, now)
		return
	}
	b.probing = false
	if b.playing && p.Kind != Event {
		if ahead := b.duration(int32(p.TS - b.playTS)); ahead < -maxBehind || ahead > maxAhead {
			b.resync(p, now)
		}
	}

	s := &b.slots[p.Seq&b.mask]
	if s.state == held && s.pkt.Seq == p.Seq {
		b.stats.Duplicates++
		return
	}
	if int16(p.Seq-b.highest) < 0 {
		b.stats.Reordered++
	} else {
		b.highest = p.Seq
	}
	if s.state != held {
		b.count++
	}
	off := int(p.Seq&b.mask) * b.cfg.MaxPayload
	s.pkt, s.state = p, held
	s.n = copy(b.data[off:off+b.cfg.MaxPayload], payload)
	if p.Kind == Event {
		return
	}
	if end := p.TS + p.Units; !b.haveNewest || int32(end-b.newestEnd) > 0 {
		b.newestEnd, b.haveNewest = end, true
	}
	if !b.playing {
		if int32(p.TS-b.firstTS) < 0 {
			b.firstTS = p.TS
		}
		return
	}
	if b.settling > 0 {
		// A far end's first packets often come in a burst, as its sound
		// card's buffer fills: they would make the network look jittery.
		b.settling--
		return
	}
	b.addMargin(b.margin(p.TS, now) - b.shift)
}

// addMargin records margin m in the ring, in place of the oldest once it
// is full. The smallest and largest margins stand unless the oldest was
// one of them; one the same as m leaves the margins held as they were.
func (b *Buffer) addMargin(m time.Duration) {
	replaced := false
	if b.nMargins == marginRing {
		old := b.margins[b.pos]
		replaced = old == m
		if !replaced && (old <= b.smallest[rank-1] || old >= b.largest[rank-1]) {
			b.stale = true
		}
	}
	b.margins[b.pos] = m
	b.pos = (b.pos + 1) % marginRing
	b.nMargins = min(b.nMargins+1, marginRing)
	if !b.stale && !replaced {
		b.rankMargin(m)
	}
}

// tooLate handles a packet whose sequence number has been played or
// given up.
func (b *Buffer) tooLate(p Packet, now time.Time) {
	s := &b.slots[p.Seq&b.mask]
	if s.pkt.Seq == p.Seq && s.state == played {
		b.stats.Duplicates++
		return
	}
	b.stats.Late++
	if s.pkt.Seq == p.Seq && s.state == missed && p.Kind != Event && b.playing {
		// Concealed for want of it: a deeper buffer would have played it.
		b.late = max(b.late, -b.margin(p.TS, now))
	}
}

// margin is how long before its playout time a packet with timestamp ts
// arrived at now (negative: after it).
func (b *Buffer) margin(ts uint32, now time.Time) time.Duration {
	return b.anchorAt.Add(b.duration(int32(ts - b.anchorTS))).Sub(now)
}

// duration converts timestamp units to time.
func (b *Buffer) duration(units int32) time.Duration {
	return time.Duration(int64(units) * int64(time.Second) / int64(b.cfg.ClockRate))
}

// Tick starts a period at now: the buffer decides whether to deepen or
// thin itself. Call it once per period, before the period's Pops.
func (b *Buffer) Tick(now time.Time) {
	b.anchorAt = now
	b.stretching = false
	if !b.started {
		return
	}
	if !b.playing {
		b.begin(now)
	}
	b.anchorAt, b.anchorTS = now, b.playTS
	b.adapt(now)
	if b.stretch > 0 {
		b.stretch--
		b.stats.Stretched++
		b.moved(b.cfg.Period)
		b.stretching = true
	}
}

// Pop returns what is due in the current period (see Tick) when the
// engine still needs `need` timestamp units of audio for it (0 means a
// whole period). On Play and Drop, dst holds the payload (as much as
// fits) and n its length. Call it until the period is filled: packets
// shorter than a period take more than one call, a Drop is followed by
// the packet to play, and Lost or Wait stand for the rest of the period.
func (b *Buffer) Pop(dst []byte, need uint32) (p Packet, n int, st Status) {
	if !b.started || !b.playing || b.stretching {
		return Packet{}, 0, Wait
	}
	if need == 0 {
		need = b.frame
	}
	for range len(b.slots) {
		s := &b.slots[b.next&b.mask]
		if s.state != held || s.pkt.Seq != b.next {
			break
		}
		if s.pkt.Kind == Event {
			b.consume(s)
			continue
		}
		ahead := int32(s.pkt.TS - b.playTS)
		if ahead < 0 {
			// Behind the playout point (it moved on in silence): too late.
			b.consume(s)
			b.stats.Late++
			continue
		}
		if uint32(ahead) < need {
			n = copy(dst, b.data[int(b.next&b.mask)*b.cfg.MaxPayload:][:s.n])
			p = s.pkt
			b.consume(s)
			b.playTS = p.TS + p.Units
			b.dry = 0
			if b.shrink > 0 && p.Kind == Voice {
				b.shrink--
				b.stats.Dropped++
				b.moved(-b.cfg.Period)
				return p, n, Drop
			}
			b.lastKind = p.Kind
			return p, n, Play
		}
		// Due later: silence before it (a talkspurt follows), the time to
		// deepen or thin the buffer unheard.
		return Packet{}, 0, b.silence(uint32(ahead), need)
	}

	// The packet due is not here.
	if !b.haveLater() {
		if b.lastKind == Comfort {
			b.playTS += need // the far end is quiet
			return Packet{}, 0, Wait
		}
		// Run dry: wait for it, which deepens the buffer by a period —
		// up to MaxDelay; a far end that stays quiet longer has paused.
		if b.dry == 0 {
			b.stats.Underruns++
			b.calmSince = b.anchorAt
		}
		b.dry++
		if time.Duration(b.dry)*b.cfg.Period > b.cfg.MaxDelay {
			b.playTS += need
			return Packet{}, 0, Wait
		}
		b.stats.Stretched++
		b.moved(b.cfg.Period)
		return Packet{}, 0, Wait
	}
	// Later packets are here. If the missing ones, placed just before
	// the first of them, are not due yet, this is silence before a
	// talkspurt whose start was lost.
	if ts, k, ok := b.nextHeld(); ok {
		if gap := int32(ts-b.playTS) - int32(k*b.frame); gap >= int32(need) {
			return Packet{}, 0, b.silence(uint32(gap), need)
		}
	}
	s := &b.slots[b.next&b.mask]
	s.pkt, s.state = Packet{Seq: b.next}, missed
	b.next++
	b.stats.Lost++
	b.playTS += need
	return Packet{}, 0, Lost
}

// silence serves a period of silence that lasts gap units more, moving
// the playout point as the buffer needs: holding it to deepen, skipping
// ahead to thin.
func (b *Buffer) silence(gap, need uint32) Status {
	switch {
	case b.stretch > 0:
		b.stretch--
		b.stats.Stretched++
		b.moved(b.cfg.Period)
		return Wait
	case b.shrink > 0 && gap >= need+b.frame:
		skip := min(uint32(b.shrink), (gap-need)/b.frame)
		b.shrink -= int(skip)
		b.stats.SilenceSkipped += uint64(skip)
		b.moved(-time.Duration(skip) * b.cfg.Period)
		b.playTS += skip * b.frame
	}
	b.playTS += need
	return Wait
}

// consume marks s played and moves to the next sequence number.
func (b *Buffer) consume(s *slot) {
	s.state = played
	b.count--
	b.next++
}

// haveLater reports whether any audio waits in the buffer.
func (b *Buffer) haveLater() bool { return b.count > 0 }

// nextHeld returns the timestamp of the first audio held after next and
// how many sequence numbers before it are missing.
func (b *Buffer) nextHeld() (ts, missing uint32, ok bool) {
	for i := uint16(1); int(i) < len(b.slots); i++ {
		s := &b.slots[(b.next+i)&b.mask]
		if s.state == held && s.pkt.Seq == b.next+i && s.pkt.Kind != Event {
			return s.pkt.TS, uint32(i), true
		}
	}
	return 0, 0, false
}

// begin starts playout: the first packet plays StartDelay after it came.
func (b *Buffer) begin(now time.Time) {
	b.playing = true
	wait := b.firstAt.Add(b.cfg.StartDelay).Sub(now)
	periods := uint32(0)
	if wait > 0 {
		periods = uint32((wait + b.cfg.Period - 1) / b.cfg.Period)
	}
	b.playTS = b.firstTS - periods*b.frame
	b.anchorAt, b.anchorTS = now, b.playTS
	b.calmSince = now
}

// adapt decides, once a period, whether the buffer should deepen (a
// packet came late, or the margins of the last packets say one soon
// will) or thin (they have all come well ahead of their turn since the
// last change).
func (b *Buffer) adapt(now time.Time) {
	level := b.level()
	period := b.cfg.Period
	room := int((b.cfg.MaxDelay - level) / period)
	deepen := func(by time.Duration) {
		b.stretch = max(b.stretch, min(int((by+period-1)/period), room))
		b.shrink = 0
		b.calmSince = now
	}
	switch {
	case b.late > 0:
		deepen(b.late + guard)
		b.late = 0
		return
	case level-b.cfg.MaxDelay > period: // a burst filled it up
		b.shrink, b.stretch = int((level-b.cfg.MaxDelay)/period), 0
		b.calmSince = now
		return
	case b.nMargins < minMargins:
		return
	}
	q, high := b.marginRange()
	b.stats.Depth += (max(high, 0) - b.stats.Depth) / 16
	b.stats.MaxDepth = max(b.stats.MaxDepth, b.stats.Depth)
	switch {
	case b.stretch > 0 || b.shrink > 0:
	case q < 0:
		deepen(guard - q)
	case q >= period+guard && now.Sub(b.calmSince) >= window:
		spare := int((q - guard) / period)
		floor := int((level - b.cfg.MinDelay) / period)
		b.shrink = max(0, min(spare, floor))
		b.calmSince = now
	}
}

// marginRange returns about the 1st and the 99th percentile of the recent
// margins, as they stand after the changes of depth since: how much
// earlier than needed nearly every packet comes, and how long the ones
// that come soonest wait.
func (b *Buffer) marginRange() (low1, high99 time.Duration) {
	if b.stale {
		b.rankMargins()
	}
	k := min(rank, max(1, b.nMargins/100)) - 1
	return b.smallest[k] + b.shift, b.largest[k] + b.shift
}

// rankMargins finds the rank smallest and largest margins held afresh.
func (b *Buffer) rankMargins() {
	for i := range rank {
		b.smallest[i], b.largest[i] = 1<<62, -1<<62
	}
	for _, m := range b.margins[:b.nMargins] {
		b.rankMargin(m)
	}
	b.stale = false
}

// rankMargin counts margin m among the smallest and largest, each list
// ordered from its extreme inward.
func (b *Buffer) rankMargin(m time.Duration) {
	if m < b.smallest[rank-1] {
		i := rank - 1
		for ; i > 0 && m < b.smallest[i-1]; i-- {
			b.smallest[i] = b.smallest[i-1]
		}
		b.smallest[i] = m
	}
	if m > b.largest[rank-1] {
		i := rank - 1
		for ; i > 0 && m > b.largest[i-1]; i-- {
			b.largest[i] = b.largest[i-1]
		}
		b.largest[i] = m
	}
}

// moved records a change of depth by d (a period inserted: +period).
func (b *Buffer) moved(d time.Duration) { b.shift += d }

// level is the audio held ahead of the playout point.
func (b *Buffer) level() time.Duration {
	if !b.haveNewest {
		return 0
	}
	return max(0, b.duration(int32(b.newestEnd-b.playTS)))
}

// Reset empties the buffer and zeroes its statistics, as New does.
func (b *Buffer) Reset() {
	b.clear()
	b.started = false
	b.stats = Stats{}
}

// Stats returns the counters.
func (b *Buffer) Stats() Stats { return b.stats }

// resync drops everything waiting and starts again at p.
func (b *Buffer) resync(p Packet, now time.Time) {
	b.stats.Resyncs++
	b.clear()
	b.restart(p, now)
}

// restart begins a stream at p.
func (b *Buffer) restart(p Packet, now time.Time) {
	b.started = true
	b.next, b.highest = p.Seq, p.Seq
	b.firstTS, b.firstAt = p.TS, now
}

// clear empties the slots and the playout state.
func (b *Buffer) clear() {
	for i := range b.slots {
		b.slots[i].state = empty
	}
	b.count = 0
	b.playing, b.probing, b.stretching, b.haveNewest = false, false, false, false
	b.dry = 0
	b.stretch, b.shrink, b.late = 0, 0, 0
	b.nMargins, b.pos, b.shift = 0, 0, 0
	b.stale = true // ranked afresh from no margins
	b.settling = settlePackets
	b.lastKind = Voice
}
