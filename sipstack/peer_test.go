package sipstack

import (
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

// fakePeer is a bare UDP SIP endpoint that a test drives by hand, for the
// cases sipp cannot script (responses crossing, floods of provisionals).
// With registrar set it answers every REGISTER itself.
type fakePeer struct {
	t         testing.TB
	conn      *net.UDPConn
	msgs      chan sip.Message
	tag       string
	registrar atomic.Int64 // >0: answer REGISTERs with this expiry (ns)
	registers atomic.Int32
}

func newFakePeer(t testing.TB, ip string) *fakePeer {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(ip)})
	if err != nil {
		t.Fatal(err)
	}
	p := &fakePeer{t: t, conn: c, msgs: make(chan sip.Message, 256), tag: "peer" + randID(4)}
	t.Cleanup(func() { c.Close() })
	return p
}

// startRegistrar makes a peer that grants every REGISTER expiry.
func startRegistrar(t testing.TB, expiry time.Duration) *fakePeer {
	p := newFakePeer(t, "127.0.0.1")
	p.registrar.Store(int64(expiry))
	p.serve()
	return p
}

func (p *fakePeer) serve() *fakePeer {
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := p.conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			msg, err := sip.ParseMessage(append([]byte(nil), buf[:n]...))
			if err != nil {
				continue
			}
			msg.SetSource(from.String())
			if req, ok := msg.(*sip.Request); ok && req.Method == sip.REGISTER && p.registrar.Load() > 0 {
				p.registers.Add(1)
				exp := strconv.Itoa(int(time.Duration(p.registrar.Load()) / time.Second))
				if e := req.GetHeader("Expires"); e != nil && e.Value() == "0" {
					exp = "0"
				}
				p.reply(req, 200, "OK", nil, sip.NewHeader("Expires", exp))
				continue
			}
			if req, ok := msg.(*sip.Request); ok && req.Method == sip.BYE {
				p.reply(req, 200, "OK", nil) // so that hang-ups end quickly
			}
			select {
			case p.msgs <- msg:
			default:
			}
		}
	}()
	return p
}

func (p *fakePeer) addr() string { return p.conn.LocalAddr().String() }

// next returns the next message the peer received.
func (p *fakePeer) next() sip.Message {
	p.t.Helper()
	select {
	case m := <-p.msgs:
		return m
	case <-time.After(eventTimeout):
		p.t.Fatalf("peer %s: nothing received", p.addr())
		return nil
	}
}

// nextRequest returns the next request with method, skipping the rest.
func (p *fakePeer) nextRequest(method sip.RequestMethod) *sip.Request {
	p.t.Helper()
	for {
		m := p.next()
		if req, ok := m.(*sip.Request); ok && req.Method == method {
			return req
		}
		p.t.Logf("peer skips %s", m.String())
	}
}

// reply answers req with the peer's To tag and a Contact.
func (p *fakePeer) reply(req *sip.Request, code int, reason string, body []byte, hdrs ...sip.Header) {
	res := sip.NewResponseFromRequest(req, code, reason, body)
	if to := res.To(); to != nil && code > 100 {
		to.Params.Add("tag", p.tag)
	}
	hasContact := false
	for _, h := range hdrs {
		_, c := h.(*sip.ContactHeader)
		hasContact = hasContact || c
	}
	if !hasContact {
		res.AppendHeader(p.contact())
	}
	for _, h := range hdrs {
		res.AppendHeader(h)
	}
	if body != nil {
		res.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	}
	p.send(res, req.Source())
}

func (p *fakePeer) contact() *sip.ContactHeader {
	return &sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "peer", Host: "127.0.0.1", Port: p.conn.LocalAddr().(*net.UDPAddr).Port}}
}

// invite builds an INVITE from the peer to uri.
func (p *fakePeer) invite(uri string, sdp []byte, extra ...sip.Header) *sip.Request {
	p.t.Helper()
	var ruri sip.Uri
	if err := sip.ParseUri(uri, &ruri); err != nil {
		p.t.Fatal(err)
	}
	req := sip.NewRequest(sip.INVITE, ruri)
	port := p.conn.LocalAddr().(*net.UDPAddr).Port
	via := &sip.ViaHeader{ProtocolName: "SIP", ProtocolVersion: "2.0", Transport: "UDP", Host: "127.0.0.1", Port: port}
	via.Params.Add("branch", sip.GenerateBranch())
	req.AppendHeader(via)
	fp := sip.NewParams()
	fp.Add("tag", p.tag)
	req.AppendHeader(&sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: "peer", Host: "127.0.0.1", Port: port}, Params: fp})
	req.AppendHeader(&sip.ToHeader{Address: ruri})
	cid := sip.CallIDHeader("call-" + randID(8))
	req.AppendHeader(&cid)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: 1, MethodName: sip.INVITE})
	req.AppendHeader(p.contact())
	for _, h := range extra {
		req.AppendHeader(h)
	}
	if sdp != nil {
		req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	}
	req.SetBody(sdp)
	return req
}

func (p *fakePeer) send(msg sip.Message, to string) {
	p.t.Helper()
	addr, err := net.ResolveUDPAddr("udp", to)
	if err != nil {
		p.t.Fatal(err)
	}
	if _, err := p.conn.WriteToUDP([]byte(msg.String()), addr); err != nil {
		p.t.Fatal(err)
	}
}

// sendRaw writes bytes as they are.
func (p *fakePeer) sendRaw(b []byte, to string) {
	p.t.Helper()
	addr, err := net.ResolveUDPAddr("udp", to)
	if err != nil {
		p.t.Fatal(err)
	}
	if _, err := p.conn.WriteToUDP(b, addr); err != nil {
		p.t.Fatal(err)
	}
}
