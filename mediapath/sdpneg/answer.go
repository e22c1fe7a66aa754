package sdpneg

import (
	"fmt"
	"strconv"

	"github.com/pion/sdp/v3"
)

// Answer answers a peer's SDP offer. It takes the first audio stream the
// phone can join and, in it, the first codec in the offer's order that is
// one of l.Codecs, keeping the offerer's payload type numbers. It accepts
// the offer's telephone-event at that codec's clock rate (when
// l.DTMFPayloadType is set), its CN at that rate (when l.ComfortNoise is
// set) and mirrors the offer's direction. Other m=
// lines are declined with port 0.
//
// An offer with no audio stream, only rejected ones, only non-RTP/AVP
// ones (e.g. SRTP) or no codec in common gives an error wrapping
// ErrNoCommonCodec; SDP that does not parse, or lacks a connection address,
// one wrapping ErrMalformed.
func Answer(offer []byte, l Local) (answer []byte, n Negotiated, err error) {
	loc, err := check(l)
	if err != nil {
		return nil, Negotiated{}, fmt.Errorf("answer: %w", err)
	}
	sd, err := parse(offer, "offer")
	if err != nil {
		return nil, Negotiated{}, err
	}

	chosen := -1
	var media []*sdp.MediaDescription
	reason := "no audio stream"
	for i, md := range sd.MediaDescriptions {
		if chosen < 0 && md.MediaName.Media == "audio" {
			reason = "no usable audio stream"
			if usable(md) {
				var ours *sdp.MediaDescription
				ours, n, err = answerAudio(sd, md, loc)
				if err != nil {
					return nil, Negotiated{}, err
				}
				if ours != nil {
					chosen = i
					media = append(media, ours)
					continue
				}
				reason = "no codec in common"
			}
		}
		media = append(media, decline(md))
	}
	if chosen < 0 {
		return nil, Negotiated{}, fmt.Errorf("%w: %s", ErrNoCommonCodec, reason)
	}
	answer, err = marshal(loc, media...)
	if err != nil {
		return nil, Negotiated{}, err
	}
	return answer, n, nil
}

// answerAudio answers one audio stream; nil when it has no codec of ours.
func answerAudio(sd *sdp.SessionDescription, md *sdp.MediaDescription, loc local) (*sdp.MediaDescription, Negotiated, error) {
	p, ok := pick(formats(md, loc.codecs), loc.codecs)
	if !ok {
		return nil, Negotiated{}, nil
	}
	f, c, dtmf := p.f, p.c, p.dtmf
	to, err := remote(sd, md)
	if err != nil {
		return nil, Negotiated{}, err
	}
	n := Negotiated{
		Codec:       c.Name(),
		PayloadType: f.pt,
		ClockRate:   c.ClockRate(),
		Remote:      to,
		Ptime:       ptime(sd, md),
		Direction:   mirror(direction(sd, md), to),
	}
	ours := newAudio(loc.Port)
	addCodec(ours, f.pt, c)
	if loc.ComfortNoise && p.cn.name != "" {
		n.CNPayloadType = p.cn.pt
		addCN(ours, p.cn.pt, p.cn.rate)
	}
	if loc.DTMFPayloadType != 0 && dtmf.name != "" {
		n.DTMFPayloadType = dtmf.pt
		addDTMF(ours, dtmf.pt, dtmf.rate)
	}
	ours.Attributes = append(ours.Attributes,
		sdp.NewAttribute("ptime", strconv.Itoa(loc.Ptime)),
		sdp.NewPropertyAttribute(n.Direction))
	return ours, n, nil
}

// decline answers an m= line we do not take: same media, proto and
// formats, port 0 (RFC 3264 §6).
func decline(md *sdp.MediaDescription) *sdp.MediaDescription {
	formats := md.MediaName.Formats
	if len(formats) == 0 {
		formats = []string{"0"}
	}
	return &sdp.MediaDescription{MediaName: sdp.MediaName{
		Media:   md.MediaName.Media,
		Port:    sdp.RangedPort{Value: 0},
		Protos:  md.MediaName.Protos,
		Formats: formats,
	}}
}
