package sdpneg

import (
	"bytes"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"

	"handset/mediapath/codec"
)

const (
	telephoneEvent = "telephone-event"
	comfortNoise   = "CN"
	// cnStatic is CN's static payload type (RFC 3551), at 8000 Hz.
	cnStatic = 13
	// dtmfEvents are the events we take: the keypad, 0-15.
	dtmfEvents = "0-15"
	avp        = "RTP/AVP"
)

// rtpmap is one a=rtpmap line: <pt> <name>/<rate>[/<channels>].
type rtpmap struct {
	name     string
	rate     int
	channels string
}

// rtpmaps returns md's a=rtpmap lines by payload type, skipping lines it
// cannot read.
func rtpmaps(md *sdp.MediaDescription) map[uint8]rtpmap {
	out := map[uint8]rtpmap{}
	for _, a := range md.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		ptStr, enc, ok := strings.Cut(strings.TrimSpace(a.Value), " ")
		if !ok {
			continue
		}
		pt, err := strconv.ParseUint(ptStr, 10, 8)
		if err != nil {
			continue
		}
		parts := strings.Split(strings.TrimSpace(enc), "/")
		if len(parts) < 2 {
			continue
		}
		rate, err := strconv.Atoi(parts[1])
		if err != nil {
			continue
		}
		m := rtpmap{name: parts[0], rate: rate}
		if len(parts) > 2 {
			m.channels = parts[2]
		}
		if _, dup := out[uint8(pt)]; !dup {
			out[uint8(pt)] = m
		}
	}
	return out
}

// format is one payload type of an m= line, resolved.
type format struct {
	pt   uint8
	name string
	rate int
	mono bool
}

// formats resolves md's payload types in m= order: by a=rtpmap, or by the
// static assignment (RFC 3551) of one of ours. Unknown ones are skipped.
func formats(md *sdp.MediaDescription, ours []codec.Codec) []format {
	maps := rtpmaps(md)
	var out []format
	for _, f := range md.MediaName.Formats {
		pt, err := strconv.ParseUint(f, 10, 8)
		if err != nil || pt > 127 {
			continue
		}
		if m, ok := maps[uint8(pt)]; ok {
			out = append(out, format{uint8(pt), m.name, m.rate, m.channels == "" || m.channels == "1"})
			continue
		}
		if pt >= 96 {
			continue
		}
		if pt == cnStatic {
			out = append(out, format{uint8(pt), comfortNoise, 8000, true})
			continue
		}
		for _, c := range ours {
			if c.PayloadType() == uint8(pt) {
				out = append(out, format{uint8(pt), c.Name(), c.ClockRate(), true})
			}
		}
	}
	return out
}

// match returns the codec of ours that f is, if any.
func match(f format, ours []codec.Codec) (codec.Codec, bool) {
	for _, c := range ours {
		if f.mono && strings.EqualFold(f.name, c.Name()) && f.rate == c.ClockRate() {
			return c, true
		}
	}
	return nil, false
}

// picked is what pick chose of an m= line.
type picked struct {
	f    format      // the codec's format…
	c    codec.Codec // …and the codec
	dtmf format      // telephone-event at its clock rate, if any
	cn   format      // CN at its clock rate, if any
}

// pick takes the first format in fs that is one of ours, and the first
// telephone-event and CN at its clock rate.
func pick(fs []format, ours []codec.Codec) (p picked, ok bool) {
	for _, f := range fs {
		if p.c, ok = match(f, ours); ok {
			p.f = f
			break
		}
	}
	if !ok {
		return picked{}, false
	}
	for _, f := range fs {
		if f.rate != p.c.ClockRate() {
			continue
		}
		switch {
		case strings.EqualFold(f.name, telephoneEvent) && p.dtmf.name == "":
			p.dtmf = f
		case strings.EqualFold(f.name, comfortNoise) && p.cn.name == "":
			p.cn = f
		}
	}
	return p, true
}

// usable reports whether md is an audio stream we can take part in.
func usable(md *sdp.MediaDescription) bool {
	return md.MediaName.Media == "audio" && md.MediaName.Port.Value != 0 &&
		strings.Join(md.MediaName.Protos, "/") == avp
}

// remote returns where md's RTP goes: its c= or the session's.
func remote(sd *sdp.SessionDescription, md *sdp.MediaDescription) (netip.AddrPort, error) {
	ci := md.ConnectionInformation
	if ci == nil || ci.Address == nil {
		ci = sd.ConnectionInformation
	}
	if ci == nil || ci.Address == nil {
		return netip.AddrPort{}, fmt.Errorf("%w: no connection address (c=)", ErrMalformed)
	}
	host, _, _ := strings.Cut(ci.Address.Address, "/") // drop a multicast TTL
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("%w: connection address %q is not an IP address", ErrMalformed, host)
	}
	return netip.AddrPortFrom(a.Unmap(), uint16(md.MediaName.Port.Value)), nil
}

// direction returns the direction md declares (media level first, then
// session level), sendrecv by default.
func direction(sd *sdp.SessionDescription, md *sdp.MediaDescription) string {
	for _, attrs := range [][]sdp.Attribute{md.Attributes, sd.Attributes} {
		for _, a := range attrs {
			switch a.Key {
			case "sendrecv", "sendonly", "recvonly", "inactive":
				return a.Key
			}
		}
	}
	return "sendrecv"
}

// mirror returns our direction for the peer's direction (RFC 3264 §6.1).
// A peer on hold the old way (c= 0.0.0.0) receives nothing, so we do not
// send either.
func mirror(peer string, to netip.AddrPort) string {
	send, recv := true, true // what we do
	switch peer {
	case "sendonly":
		send = false
	case "recvonly":
		recv = false
	case "inactive":
		send, recv = false, false
	}
	if to.Addr().IsUnspecified() {
		send = false
	}
	switch {
	case send && recv:
		return "sendrecv"
	case send:
		return "sendonly"
	case recv:
		return "recvonly"
	}
	return "inactive"
}

// ptime returns md's a=ptime (or the session's), 20 when absent or not a
// sensible number of ms.
func ptime(sd *sdp.SessionDescription, md *sdp.MediaDescription) int {
	v, ok := md.Attribute("ptime")
	if !ok {
		v, ok = sd.Attribute("ptime")
	}
	if !ok {
		return defaultPtime
	}
	// Some peers write fractions ("20.0"); take the whole ms.
	whole, _, _ := strings.Cut(strings.TrimSpace(v), ".")
	n, err := strconv.Atoi(whole)
	if err != nil || n < 1 || n > 1000 {
		return defaultPtime
	}
	return n
}

// parse unmarshals raw SDP.
func parse(raw []byte, what string) (*sdp.SessionDescription, error) {
	if !bytes.HasPrefix(raw, []byte("v=")) { // pion takes empty input as SDP
		return nil, fmt.Errorf("%w: %s does not start with v=", ErrMalformed, what)
	}
	var sd sdp.SessionDescription
	if err := sd.Unmarshal(raw); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
	}
	if sd.Origin.NetworkType == "" { // pion stops quietly at the end of input
		return nil, fmt.Errorf("%w: %s has no o= line", ErrMalformed, what)
	}
	return &sd, nil
}
