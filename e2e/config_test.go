package e2e

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// account describes one test phone's [account] and [security] sections.
type account struct {
	user, password string
	domain         string // SIP domain
	registrar      string // host:port; "" with register=false
	proxy          string // outbound proxy host:port
	register       bool
	port           int  // SIP port
	direct         bool // allow_direct_calls
	expiry         int  // seconds; 0 = default
}

// rtpBase hands each phone its own RTP port range, so parallel phones and
// peers never collide.
var rtpBase atomic.Int32

func init() { rtpBase.Store(20000) }

func (a account) toml() string {
	lo := int(rtpBase.Add(200)) - 200
	var b strings.Builder
	fmt.Fprintf(&b, "version = 1\n\n[account]\nuser = %q\npassword = %q\n", a.user, a.password)
	fmt.Fprintf(&b, "domain = %q\nregistrar = %q\nregister = %v\n", a.domain, a.registrar, a.register)
	if a.proxy != "" {
		fmt.Fprintf(&b, "outbound_proxy = %q\n", a.proxy)
	}
	fmt.Fprintf(&b, "local_ip = \"127.0.0.1\"\nlocal_port = %d\n", a.port)
	if a.expiry > 0 {
		fmt.Fprintf(&b, "expiry = %d\n", a.expiry)
	}
	fmt.Fprintf(&b, "\n[media]\nrtp_port_min = %d\nrtp_port_max = %d\n", lo, lo+98)
	fmt.Fprintf(&b, "\n[security]\nallow_direct_calls = %v\n", a.direct)
	return b.String()
}
