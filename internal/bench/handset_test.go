package bench

import (
	"fmt"
	"strings"
	"testing"

	"handset/internal/testpeer"
)

// event is one JSON line the phone printed.
type event = testpeer.Event

// phone is a running "handset --sim" process.
type phone struct{ *testpeer.Handset }

func (p phone) pid() int { return p.Pid() }

// startPhone runs the handset binary in the simulator with config (TOML
// text) and extra flags, and stops it when the test ends.
func startPhone(t *testing.T, config string, flags ...string) phone {
	t.Helper()
	return phone{testpeer.StartHandset(t, handsetBin, "handset", config,
		append([]string{"--log-level", "info"}, flags...)...)}
}

// handsetConfig is a phone's TOML: account 1001, SIP on port, through
// proxy (and registering there when register is set), one codec, RTP
// ports from rtp, the card's ring in periods (0: the default).
func handsetConfig(proxy string, register bool, port int, codec string, rtp, ring int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "version = 1\n\n[account]\nuser = \"1001\"\npassword = %q\ndomain = %q\n", users["1001"], domain)
	if register {
		fmt.Fprintf(&b, "registrar = %q\nregister = true\n", proxy)
	} else {
		b.WriteString("register = false\n")
	}
	fmt.Fprintf(&b, "outbound_proxy = %q\nlocal_ip = \"127.0.0.1\"\nlocal_port = %d\n", proxy, port)
	fmt.Fprintf(&b, "\n[media]\ncodecs = [%q]\nrtp_port_min = %d\nrtp_port_max = %d\n", codec, rtp, rtp+98)
	if ring > 0 {
		fmt.Fprintf(&b, "\n[audio]\nbuffer_periods = %d\n", ring)
	}
	return b.String()
}
