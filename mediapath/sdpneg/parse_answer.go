package sdpneg

import (
	"fmt"
)

// ParseAnswer reads the peer's answer to our offer built from l: the first
// accepted audio stream, the first codec in it that we offered (with the
// answer's payload type number), its telephone-event and CN if we offered
// them, and
// our direction mirroring the answer's. An answer that rejects the audio
// or has none of our codecs gives an error wrapping ErrNoCommonCodec; SDP
// that does not parse, one wrapping ErrMalformed.
func ParseAnswer(answer []byte, l Local) (Negotiated, error) {
	loc, err := check(l)
	if err != nil {
		return Negotiated{}, fmt.Errorf("parse answer: %w", err)
	}
	sd, err := parse(answer, "answer")
	if err != nil {
		return Negotiated{}, err
	}
	reason := "no audio stream in the answer"
	for _, md := range sd.MediaDescriptions {
		if md.MediaName.Media != "audio" {
			continue
		}
		if !usable(md) {
			reason = "audio stream rejected"
			continue
		}
		p, ok := pick(formats(md, loc.codecs), loc.codecs)
		f, c, dtmf := p.f, p.c, p.dtmf
		if !ok {
			reason = "the answer has none of our codecs"
			continue
		}
		to, err := remote(sd, md)
		if err != nil {
			return Negotiated{}, err
		}
		n := Negotiated{
			Codec:       c.Name(),
			PayloadType: f.pt,
			ClockRate:   c.ClockRate(),
			Remote:      to,
			Ptime:       ptime(sd, md),
			Direction:   mirror(direction(sd, md), to),
		}
		if loc.DTMFPayloadType != 0 && dtmf.name != "" {
			n.DTMFPayloadType = dtmf.pt
		}
		if loc.ComfortNoise && p.cn.name != "" {
			n.CNPayloadType = p.cn.pt
		}
		return n, nil
	}
	return Negotiated{}, fmt.Errorf("%w: %s", ErrNoCommonCodec, reason)
}
