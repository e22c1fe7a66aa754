package sdpneg

import (
	"fmt"
	"strconv"

	"github.com/pion/sdp/v3"

	"handset/mediapath/codec"
)

// Offer returns our SDP offer: one sendrecv audio stream with our codecs in
// preference order, CN when l.ComfortNoise is set, telephone-event when
// l.DTMFPayloadType is set, and a=ptime.
func Offer(l Local) ([]byte, error) {
	loc, err := check(l)
	if err != nil {
		return nil, fmt.Errorf("offer: %w", err)
	}
	md := newAudio(loc.Port)
	for _, c := range loc.codecs {
		addCodec(md, c.PayloadType(), c)
	}
	if loc.ComfortNoise {
		addCN(md, cnStatic, loc.codecs[0].ClockRate())
	}
	if loc.DTMFPayloadType != 0 {
		addDTMF(md, loc.DTMFPayloadType, loc.codecs[0].ClockRate())
	}
	md.Attributes = append(md.Attributes,
		sdp.NewAttribute("ptime", strconv.Itoa(loc.Ptime)),
		sdp.NewPropertyAttribute("sendrecv"))
	return marshal(loc, md)
}

// newAudio starts an RTP/AVP audio m= line on port.
func newAudio(port int) *sdp.MediaDescription {
	return &sdp.MediaDescription{MediaName: sdp.MediaName{
		Media:  "audio",
		Port:   sdp.RangedPort{Value: port},
		Protos: []string{"RTP", "AVP"},
	}}
}

// addCodec lists payload type pt as codec c, with its a=rtpmap.
func addCodec(md *sdp.MediaDescription, pt uint8, c codec.Codec) {
	md.MediaName.Formats = append(md.MediaName.Formats, strconv.Itoa(int(pt)))
	md.Attributes = append(md.Attributes,
		sdp.NewAttribute("rtpmap", fmt.Sprintf("%d %s/%d", pt, c.Name(), c.ClockRate())))
}

// addCN lists payload type pt as comfort noise.
func addCN(md *sdp.MediaDescription, pt uint8, rate int) {
	md.MediaName.Formats = append(md.MediaName.Formats, strconv.Itoa(int(pt)))
	md.Attributes = append(md.Attributes,
		sdp.NewAttribute("rtpmap", fmt.Sprintf("%d %s/%d", pt, comfortNoise, rate)))
}

// addDTMF lists payload type pt as telephone-event for the keypad.
func addDTMF(md *sdp.MediaDescription, pt uint8, rate int) {
	md.MediaName.Formats = append(md.MediaName.Formats, strconv.Itoa(int(pt)))
	md.Attributes = append(md.Attributes,
		sdp.NewAttribute("rtpmap", fmt.Sprintf("%d %s/%d", pt, telephoneEvent, rate)),
		sdp.NewAttribute("fmtp", fmt.Sprintf("%d %s", pt, dtmfEvents)))
}

// marshal wraps media in our session lines.
func marshal(loc local, media ...*sdp.MediaDescription) ([]byte, error) {
	addrType := "IP4"
	if loc.Addr.Is6() {
		addrType = "IP6"
	}
	addr := loc.Addr.String()
	sd := sdp.SessionDescription{
		Origin: sdp.Origin{
			Username:       "-",
			SessionID:      loc.SessionID,
			SessionVersion: loc.Version,
			NetworkType:    "IN",
			AddressType:    addrType,
			UnicastAddress: addr,
		},
		SessionName: "-",
		ConnectionInformation: &sdp.ConnectionInformation{
			NetworkType: "IN",
			AddressType: addrType,
			Address:     &sdp.Address{Address: addr},
		},
		TimeDescriptions:  []sdp.TimeDescription{{}},
		MediaDescriptions: media,
	}
	out, err := sd.Marshal()
	if err != nil {
		return nil, fmt.Errorf("sdpneg: marshal: %w", err)
	}
	return out, nil
}
