package bench

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/pion/rtp"

	"handset/mediapath/codec"
)

// Latency figures are matched within these windows: a click the phone
// sent must reach the wire within micWindow of being heard, and one it
// got must play within speakerWindow of arriving (the jitter buffer's
// largest delay is 200 ms by default); clicks come 500 ms apart.
const (
	micWindow     = 100 * time.Millisecond
	speakerWindow = 450 * time.Millisecond
)

// Timed is a latency measured at a moment.
type Timed struct {
	At      time.Time // when the click was heard (mic) or arrived (network)
	Latency time.Duration
}

// MicToWire measures the way out: for each click the phone sent from
// phone (its RTP address) in codec, how long after the microphone heard
// it (clickFrames: the microphone frames where clicks start; trace: when
// each frame was heard) its packet was on the wire.
func MicToWire(pkts []Packet, phone netip.AddrPort, codecName string, trace *AudioTrace, clickFrames []int64) ([]Timed, error) {
	c, ok := codec.ByName(codecName)
	if !ok {
		return nil, fmt.Errorf("bench: unknown codec %q", codecName)
	}
	type sent struct {
		seq uint32 // extended
		at  time.Time
		pl  []byte
	}
	var out []sent
	var pkt rtp.Packet
	var cycles uint32
	last, have := uint16(0), false
	for _, p := range pkts {
		if p.Src != phone || !IsRTP(p.Payload) || pkt.Unmarshal(p.Payload) != nil || pkt.PayloadType != c.PayloadType() {
			continue
		}
		if have && pkt.SequenceNumber < last && last-pkt.SequenceNumber > 1<<15 {
			cycles += 1 << 16
		}
		last, have = pkt.SequenceNumber, true
		out = append(out, sent{cycles + uint32(pkt.SequenceNumber), p.At, slices.Clone(pkt.Payload)})
	}
	slices.SortFunc(out, func(a, b sent) int { return int(a.seq) - int(b.seq) })
	// Decode the stream and note which packet each sample came in.
	var samples []int16
	var from []int
	buf := make([]int16, 2*1500)
	for i, s := range out {
		n := c.Decode(buf, s.pl)
		samples = append(samples, buf[:n]...)
		for range n {
			from = append(from, i)
		}
	}
	heard := make([]time.Time, 0, len(clickFrames))
	for _, f := range clickFrames {
		if at, ok := trace.Heard(f); ok {
			heard = append(heard, at)
		}
	}
	slices.SortFunc(heard, func(a, b time.Time) int { return a.Compare(b) })
	var res []Timed
	for _, i := range Onsets(samples, c.SampleRate()) {
		wire := out[from[i]].at
		if h, ok := latestBefore(heard, wire, micWindow); ok {
			res = append(res, Timed{At: h, Latency: wire.Sub(h)})
		}
	}
	return res, nil
}

// WireToSpeaker measures the way in: for each click packet (clickSeqs)
// that reached the phone at phone (its RTP address), how long after it
// arrived the click started to play, found in the speaker recording
// (mono, frames counted as in trace).
func WireToSpeaker(pkts []Packet, phone netip.AddrPort, clickSeqs []uint16, speaker []int16, trace *AudioTrace) []Timed {
	want := make(map[uint16]bool, len(clickSeqs))
	for _, s := range clickSeqs {
		want[s] = true
	}
	var arrived []time.Time
	for _, p := range pkts {
		if p.Dst != phone || !IsRTP(p.Payload) {
			continue
		}
		if seq := binary.BigEndian.Uint16(p.Payload[2:4]); want[seq] {
			arrived = append(arrived, p.At)
			delete(want, seq)
		}
	}
	slices.SortFunc(arrived, func(a, b time.Time) int { return a.Compare(b) })
	var res []Timed
	for _, i := range Onsets(speaker, trace.Rate) {
		plays, ok := trace.Plays(int64(i))
		if !ok {
			continue
		}
		if a, ok := latestBefore(arrived, plays, speakerWindow); ok {
			res = append(res, Timed{At: a, Latency: plays.Sub(a)})
		}
	}
	return res
}

// latestBefore returns the latest of the sorted times at or before t and
// no more than window before it.
func latestBefore(times []time.Time, t time.Time, window time.Duration) (time.Time, bool) {
	i, _ := slices.BinarySearchFunc(times, t, func(a, b time.Time) int {
		if a.After(b) {
			return 1
		}
		return -1 // equal counts as before: land after it
	})
	if i == 0 || t.Sub(times[i-1]) > window {
		return time.Time{}, false
	}
	return times[i-1], true
}

// Summary describes a set of latencies.
type Summary struct {
	N                     int
	Min, Median, P95, Max time.Duration
	Mean                  time.Duration
}

// Summarize the latencies of the clicks at or after from and before to
// (a zero to: to the end).
func Summarize(ts []Timed, from, to time.Time) Summary {
	var d []time.Duration
	for _, t := range ts {
		if !t.At.Before(from) && (to.IsZero() || t.At.Before(to)) {
			d = append(d, t.Latency)
		}
	}
	if len(d) == 0 {
		return Summary{}
	}
	slices.Sort(d)
	var sum time.Duration
	for _, v := range d {
		sum += v
	}
	return Summary{
		N: len(d), Min: d[0], Median: d[len(d)/2], P95: d[(len(d)*95+99)/100-1], Max: d[len(d)-1],
		Mean: sum / time.Duration(len(d)),
	}
}
