package sipstack

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/emiago/sipgo/sip"
)

// Probe sends an OPTIONS to the UA's own port and waits for its 200: it
// passes only when the socket, the transaction layer and our handlers all
// work. The hardware watchdog is fed while it keeps passing.
func (u *UA) Probe(ctx context.Context) error {
	u.mu.Lock()
	running, local, cli := u.running, u.local, u.cli
	u.mu.Unlock()
	if !running {
		return ErrNotRunning
	}
	dst := local
	if dst.Addr().IsUnspecified() {
		dst = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), local.Port())
		if local.Addr().Is6() && !local.Addr().Is4In6() {
			dst = netip.AddrPortFrom(netip.IPv6Loopback(), local.Port())
		}
	}
	to := sip.Uri{Scheme: "sip", User: u.cfg.user, Host: dst.Addr().String(), Port: int(dst.Port())}
	req := sip.NewRequest(sip.OPTIONS, to)
	req.SetTransport("UDP")
	req.SetDestination(dst.String())
	from := u.aor()
	fp := sip.NewParams()
	fp.Add("tag", sip.GenerateTagN(16))
	req.AppendHeader(&sip.FromHeader{Address: from, Params: fp})
	req.AppendHeader(&sip.ToHeader{Address: *to.Clone()})
	cid := sip.CallIDHeader(sip.GenerateTagN(24))
	req.AppendHeader(&cid)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: 1, MethodName: sip.OPTIONS})
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	req.AppendHeader(sip.NewHeader("User-Agent", u.cfg.userAgent))
	res, err := cli.Do(ctx, req)
	if err != nil {
		return fmt.Errorf("sipstack: probe: %w", err)
	}
	if res.StatusCode != 200 {
		return fmt.Errorf("sipstack: probe: %d %s", res.StatusCode, res.Reason)
	}
	return nil
}
