package sipstack

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Config is the phone's SIP account and transport setup.
type Config struct {
	// User is the SIP user (From/Contact user part); AuthUser is the digest
	// user name ("" = User).
	User, AuthUser, Password, DisplayName string
	// Domain is the SIP domain, host[:port]. "" = the registrar's host, or
	// no domain at all (then only full sip: URIs can be dialled).
	Domain string
	// Registrar is host[:port]; "" = no registration.
	Registrar string
	// OutboundProxy is host[:port]; "" = none (requests go to the
	// registrar for the domain, or to the URI host).
	OutboundProxy string
	// ListenAddr is the "ip:port" we listen on and send from (one port for
	// everything); port 0 picks a free port.
	ListenAddr string
	// ContactHost is the IP to advertise in Contact, Via and SDP (needed
	// behind a static NAT). "" = ListenAddr's IP, or, when that is
	// unspecified, the address of the interface that routes to the proxy,
	// registrar or domain.
	ContactHost string
	// Expiry is the registration time we ask for; 0 = one hour.
	Expiry time.Duration
	// UserAgent is sent in the User-Agent header; "" = "handset".
	UserAgent string
	// AllowDirectCalls accepts INVITEs from any address. false keeps the
	// ghost-call guard on: only the registrar and outbound proxy may call.
	AllowDirectCalls bool
}

const (
	defaultExpiry    = time.Hour
	defaultUserAgent = "handset"
)

// hostPort is a parsed host[:port]; port 0 means the SIP default.
type hostPort struct {
	host string
	port int
}

func (h hostPort) isZero() bool { return h.host == "" }

// String returns host[:port], with brackets around an IPv6 host.
func (h hostPort) String() string {
	host := h.host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if h.port == 0 {
		return host
	}
	return host + ":" + strconv.Itoa(h.port)
}

// addr returns host:port with the SIP default port filled in.
func (h hostPort) addr() string {
	p := h.port
	if p == 0 {
		p = 5060
	}
	return net.JoinHostPort(h.host, strconv.Itoa(p))
}

// settings is a validated Config.
type settings struct {
	user, authUser, password, displayName string
	domain, registrar, proxy              hostPort
	listen                                netip.AddrPort
	contactIP                             netip.Addr // invalid = auto
	expiry                                time.Duration
	userAgent                             string
	allowDirect                           bool
}

// check validates c and fills in the defaults.
func (c Config) check() (settings, error) {
	s := settings{
		user:        c.User,
		authUser:    c.AuthUser,
		password:    c.Password,
		displayName: c.DisplayName,
		expiry:      c.Expiry,
		userAgent:   c.UserAgent,
		allowDirect: c.AllowDirectCalls,
	}
	bad := func(field, format string, args ...any) (settings, error) {
		return settings{}, fmt.Errorf("%w: %s: %s", ErrConfig, field, fmt.Sprintf(format, args...))
	}
	if s.user == "" {
		return bad("User", "empty")
	}
	if !validUser(s.user) {
		return bad("User", "%q has characters a SIP user part cannot hold", s.user)
	}
	if s.authUser == "" {
		s.authUser = s.user
	}
	for _, f := range []struct{ name, val string }{
		{"AuthUser", s.authUser}, {"Password", s.password}, {"UserAgent", s.userAgent},
	} {
		if hasControl(f.val) {
			return bad(f.name, "control characters")
		}
	}
	if hasControl(s.displayName) || strings.ContainsAny(s.displayName, `"\`) {
		return bad("DisplayName", "quotes, backslashes and control characters are not allowed")
	}
	if s.userAgent == "" {
		s.userAgent = defaultUserAgent
	}
	var err error
	if s.registrar, err = parseHostPort(c.Registrar); err != nil {
		return bad("Registrar", "%v", err)
	}
	if s.proxy, err = parseHostPort(c.OutboundProxy); err != nil {
		return bad("OutboundProxy", "%v", err)
	}
	if s.domain, err = parseHostPort(c.Domain); err != nil {
		return bad("Domain", "%v", err)
	}
	if s.domain.isZero() && !s.registrar.isZero() {
		s.domain = hostPort{host: s.registrar.host}
	}
	if c.ListenAddr == "" {
		return bad("ListenAddr", "empty")
	}
	if s.listen, err = netip.ParseAddrPort(c.ListenAddr); err != nil {
		return bad("ListenAddr", "want ip:port: %v", err)
	}
	s.listen = netip.AddrPortFrom(s.listen.Addr().Unmap(), s.listen.Port())
	if c.ContactHost != "" {
		if s.contactIP, err = netip.ParseAddr(c.ContactHost); err != nil {
			return bad("ContactHost", "want an IP address: %v", err)
		}
		if s.contactIP.IsUnspecified() {
			return bad("ContactHost", "%s is not an address peers can reach", c.ContactHost)
		}
		s.contactIP = s.contactIP.Unmap()
	}
	switch {
	case s.expiry == 0:
		s.expiry = defaultExpiry
	case s.expiry < time.Second:
		return bad("Expiry", "%v is below one second", s.expiry)
	default:
		s.expiry = s.expiry.Round(time.Second)
	}
	return s, nil
}

// parseHostPort parses "host", "host:port", "[v6]" or "[v6]:port"; "" gives
// the zero hostPort.
func parseHostPort(s string) (hostPort, error) {
	if s == "" {
		return hostPort{}, nil
	}
	if hasControl(s) || strings.ContainsAny(s, " \t/@;?") {
		return hostPort{}, fmt.Errorf("%q is not host[:port]", s)
	}
	host, portStr := s, ""
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return hostPort{}, fmt.Errorf("%q: unclosed [", s)
		}
		host, portStr = s[1:end], s[end+1:]
		if portStr != "" {
			if portStr[0] != ':' {
				return hostPort{}, fmt.Errorf("%q is not host[:port]", s)
			}
			portStr = portStr[1:]
		}
		if ip, err := netip.ParseAddr(host); err != nil || !ip.Is6() {
			return hostPort{}, fmt.Errorf("%q: bad IPv6 address", s)
		}
	case strings.Count(s, ":") == 1:
		i := strings.IndexByte(s, ':')
		host, portStr = s[:i], s[i+1:]
	case strings.Count(s, ":") > 1:
		if _, err := netip.ParseAddr(s); err != nil {
			return hostPort{}, fmt.Errorf("%q: bad IPv6 address (use [addr]:port)", s)
		}
	}
	if host == "" {
		return hostPort{}, fmt.Errorf("%q: empty host", s)
	}
	if !strings.Contains(host, ":") && !validHostName(host) {
		return hostPort{}, fmt.Errorf("%q: bad host name", s)
	}
	hp := hostPort{host: strings.ToLower(host)}
	if portStr != "" || strings.HasSuffix(s, ":") {
		p, err := strconv.Atoi(portStr)
		if err != nil || p < 1 || p > 65535 {
			return hostPort{}, fmt.Errorf("%q: bad port", s)
		}
		hp.port = p
	}
	return hp, nil
}

func validHostName(h string) bool {
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
		default:
			return false
		}
	}
	return true
}

// validUser reports whether u fits a SIP URI user part unescaped (RFC 3261
// §25.1: unreserved and user-unreserved characters).
func validUser(u string) bool {
	for _, r := range u {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-_.!~*'()&=+$,;?/", r):
		default:
			return false
		}
	}
	return u != ""
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}
