package sipstack

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
)

// guard knows the addresses of our own servers (registrar, outbound proxy).
// Out-of-dialog INVITEs from anywhere else are ghost calls from scanners and
// are refused unless direct calls are allowed; digest challenges from
// anywhere else are never answered (that would leak a crackable hash).
type guard struct {
	mu      sync.Mutex
	trusted []netip.Addr
}

// trusts reports whether src ("ip:port" or "ip") is one of our servers.
func (g *guard) trusts(src string) bool {
	ip, ok := sourceIP(src)
	if !ok {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Contains(g.trusted, ip)
}

// refresh resolves hosts and replaces the trusted set. When a host does not
// resolve the old set stays, so a DNS hiccup does not lock our own server
// out.
func (g *guard) refresh(ctx context.Context, r *net.Resolver, hosts []hostPort) error {
	var fresh []netip.Addr
	for _, h := range hosts {
		if h.isZero() {
			continue
		}
		if ip, err := netip.ParseAddr(h.host); err == nil {
			fresh = append(fresh, ip.Unmap())
			continue
		}
		ips, err := r.LookupNetIP(ctx, "ip", h.host)
		if err != nil {
			return fmt.Errorf("resolve %s: %w", h.host, err)
		}
		for _, ip := range ips {
			fresh = append(fresh, ip.Unmap())
		}
	}
	g.mu.Lock()
	g.trusted = fresh
	g.mu.Unlock()
	return nil
}

// sourceIP parses the IP of "ip:port" or a bare IP.
func sourceIP(src string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(src); err == nil {
		return ap.Addr().Unmap(), true
	}
	if ip, err := netip.ParseAddr(src); err == nil {
		return ip.Unmap(), true
	}
	return netip.Addr{}, false
}
