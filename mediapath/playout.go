package mediapath

import (
	"time"

	"handset/mediapath/cn"
	"handset/mediapath/codec"
	"handset/mediapath/jitter"
)

// spliceMs is how long a dropped packet fades into the one played in its
// place.
const spliceMs = 4

// playout fills p.rx with this period of the far end's audio: packets from
// the jitter buffer, decoded; lost ones made up by the concealment;
// comfort noise where the far end is silent. Audio at the codec's rate is
// resampled to the engine's.
func (p *pump) playout(s *Stream, now time.Time) {
	s.mu.Lock()
	ok := s.negotiated
	c := s.codec
	fresh := s.rx.newSource
	s.rx.newSource = false
	s.mu.Unlock()
	if !ok {
		clear(p.rx)
		return
	}
	if c != p.codec || fresh {
		if r, ok := c.(codec.DecoderResetter); ok && fresh {
			r.ResetDecoder()
		}
		p.setCodec(c)
	}

	out := p.rx
	if c.SampleRate() != p.e.rate {
		out = p.rxCodec[:c.SampleRate()/periodsPerSecond]
	}
	p.fill(s, c, out, now)
	if c.SampleRate() != p.e.rate {
		p.up.Process(p.rx, out)
	}
}

// fill writes one period at the codec's rate into out.
func (p *pump) fill(s *Stream, c codec.Codec, out []int16, now time.Time) {
	perUnit := c.SampleRate() / c.ClockRate() // samples per RTP clock unit
	filled := copy(out, p.carry)
	p.carry = p.carry[:copy(p.carry, p.carry[filled:])]
	if filled > 0 {
		p.plc.Good(out[:filled])
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	canHear := canReceive(s.neg.Direction)
	s.jb.Tick(now)
	concealed, comfort := false, false
	for filled < len(out) {
		rest := out[filled:]
		pk, n, st := s.jb.Pop(p.rxPayload, uint32(len(rest)/perUnit))
		if !canHear {
			st = jitter.Wait // keep the buffer moving, play nothing
		}
		switch st {
		case jitter.Drop:
			// Decoded for the decoder's sake; the next packet fades in
			// from its start, which is where the audio before it went on.
			m := c.Decode(p.dropped[:cap(p.dropped)], p.rxPayload[:n])
			p.dropped = p.dropped[:m]
			p.splice = true
			continue
		case jitter.Play:
			if pk.Kind == jitter.Comfort {
				if level, err := cn.Unmarshal(p.rxPayload[:n]); err == nil {
					p.cng.SetLevel(level)
				}
				p.comfort, p.heard = true, true
				p.cng.Fill(rest)
				p.plc.Good(rest)
				comfort = true
				filled = len(out)
				continue
			}
			m := c.Decode(p.dec, p.rxPayload[:n])
			dec := p.dec[:m]
			if p.splice {
				p.blend(dec)
			}
			p.comfort, p.heard = false, true
			k := copy(rest, dec)
			p.carry = append(p.carry, dec[k:]...)
			p.plc.Good(rest[:k])
			filled += k
			continue
		case jitter.Lost:
			p.plc.Conceal(rest)
			concealed = true
		default: // Wait: silence, comfort noise, or an underrun
			switch {
			case p.comfort:
				p.cng.Fill(rest)
				p.plc.Good(rest)
				comfort = true
			case p.heard:
				p.plc.Conceal(rest) // fades out: no click
			default:
				clear(rest)
				p.plc.Good(rest)
			}
		}
		filled = len(out)
	}
	if concealed {
		s.stats.Concealed++
	}
	if comfort {
		s.stats.ComfortNoise++
	}
}

// blend fades dec in from the dropped packet's audio over spliceMs.
func (p *pump) blend(dec []int16) {
	p.splice = false
	n := min(len(dec), len(p.dropped), p.codec.SampleRate()*spliceMs/1000)
	for i := range n {
		w := int32(i+1) * 256 / int32(n+1)
		dec[i] = int16((int32(dec[i])*w + int32(p.dropped[i])*(256-w)) / 256)
	}
}
