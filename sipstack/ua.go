package sipstack

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"handset/hal"
)

// Header values we advertise.
const (
	allowMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO"
	acceptTypes  = "application/sdp, application/dtmf-relay, application/dtmf"
)

// UA is the phone's SIP user agent: one UDP port, one registration, any
// number of calls. Build it with New, start it with Run; the call verbs
// work while Run is running.
type UA struct {
	cfg   settings
	log   *slog.Logger
	clk   hal.Clock
	q     *eventQueue
	ready chan struct{}
	guard guard

	mu      sync.Mutex
	started bool
	running bool // serving and accepting new calls
	calls   map[string]*call
	local   netip.AddrPort
	adv     netip.Addr

	// Set by Run before ready is closed, read-only afterwards.
	runCtx  context.Context // ends when shutdown starts
	sendCtx context.Context // for sending requests; ends after shutdown
	sua     *sipgo.UserAgent
	cli     *sipgo.Client
	srv     *sipgo.Server
	laddr   sip.Addr // the bound socket, for requests built by hand

	work     sync.WaitGroup // call owners, the registration, transaction watchers
	handlers sync.WaitGroup // sipgo request handlers running our code
}

// New checks cfg and returns a UA that has not touched the network yet.
// log may be nil (nothing is logged); clk must not be nil.
func New(cfg Config, log *slog.Logger, clk hal.Clock) (*UA, error) {
	s, err := cfg.check()
	if err != nil {
		return nil, err
	}
	if clk == nil {
		return nil, fmt.Errorf("%w: nil clock", ErrConfig)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &UA{
		cfg:   s,
		log:   log,
		clk:   clk,
		q:     newEventQueue(),
		ready: make(chan struct{}),
		calls: make(map[string]*call),
	}, nil
}

// Events delivers what happens on the SIP side, in order. It is closed when
// Run returns (also when Run fails to start).
func (u *UA) Events() <-chan Event { return u.q.out }

// Ready is closed once Run listens.
func (u *UA) Ready() <-chan struct{} { return u.ready }

// LocalAddr returns the bound SIP address (valid once Ready).
func (u *UA) LocalAddr() netip.AddrPort {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.local
}

// AdvertisedIP returns the address peers reach us at: the one in Contact
// and Via, and the one to put in SDP c= lines (valid once Ready).
func (u *UA) AdvertisedIP() netip.Addr {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.adv
}

// Run binds the port, serves, registers and keeps registered until ctx
// ends. Then it removes the registration (Expires: 0) and hangs up the
// calls, each bounded to about 2 s, closes the transport and returns once
// every goroutine it started is gone. It fails at once if the port is
// taken. Run may be called once.
func (u *UA) Run(ctx context.Context) error {
	u.mu.Lock()
	if u.started {
		u.mu.Unlock()
		return errAlreadyRun
	}
	u.started = true
	u.mu.Unlock()

	pc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(u.cfg.listen))
	if err != nil {
		u.q.flush()
		return fmt.Errorf("sipstack: listen on %s: %w", u.cfg.listen, err)
	}
	bound := pc.LocalAddr().(*net.UDPAddr).AddrPort()
	local := netip.AddrPortFrom(bound.Addr().Unmap(), bound.Port())
	adv := u.advertise(ctx, local.Addr())
	if err := u.buildStack(pc.LocalAddr().String(), adv, local.Port()); err != nil {
		pc.Close()
		u.q.flush()
		return err
	}
	if err := u.guard.refresh(ctx, net.DefaultResolver, []hostPort{u.cfg.registrar, u.cfg.proxy}); err != nil {
		u.log.Warn("cannot resolve our SIP servers yet; calls from them are refused until they resolve", "err", err)
	}

	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	sendCtx, stopSend := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSend()

	lc := newListenConn(pc)
	serveDone := make(chan error, 1)
	go func() { serveDone <- u.srv.ServeUDP(lc) }()
	select {
	case <-lc.reading:
	case err := <-serveDone:
		pc.Close()
		u.sua.Close()
		u.q.flush()
		return fmt.Errorf("sipstack: serve %s: %w", local, err)
	}
	quit := make(chan struct{})
	pumpDone := make(chan struct{})
	go func() {
		u.q.pump(quit)
		close(pumpDone)
	}()

	u.mu.Lock()
	u.local, u.adv = local, adv
	u.runCtx, u.sendCtx = runCtx, sendCtx
	u.running = true
	u.mu.Unlock()
	close(u.ready)
	u.log.Info("SIP listening", "addr", local.String(), "advertised", adv.String())

	if !u.cfg.registrar.isZero() {
		u.work.Add(1)
		go func() {
			defer u.work.Done()
			u.register(runCtx)
		}()
	}

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-serveDone:
		runErr = fmt.Errorf("sipstack: listener on %s stopped: %w", local, errListenerStopped)
		if err != nil {
			runErr = fmt.Errorf("%w: %w", runErr, err)
		}
		serveDone <- nil
	}

	// Shutdown: refuse new work, let the registration and the calls wind
	// down (each bounded), stop feeding sipgo, close the socket, end
	// sipgo's transactions. See listenConn for why sipgo's connection pool
	// is pinned rather than cleared.
	u.mu.Lock()
	u.running = false
	u.mu.Unlock()
	stopRun()
	u.work.Wait()
	lc.stop(u.sua.TransportLayer().Pool("udp"))
	pc.Close()
	<-serveDone
	u.handlers.Wait()
	u.sua.TransactionLayer().Close()
	close(quit)
	<-pumpDone
	u.q.flush()
	u.log.Info("SIP stopped")
	return runErr
}

// buildStack makes the sipgo user agent, client and server. Every sipgo
// part gets our logger through its options.
func (u *UA) buildStack(bound string, adv netip.Addr, port uint16) error {
	lg := u.log.With("part", "sipgo")
	sua, err := sipgo.NewUA(
		sipgo.WithUserAgent(u.cfg.userAgent),
		sipgo.WithUserAgentHostname(adv.String()),
		sipgo.WithUserAgentTransactionLayerOptions(
			sip.WithTransactionLayerLogger(lg),
			sip.WithTransactionLayerUnhandledResponseHandler(func(r *sip.Response) {
				lg.Debug("response without transaction", "res", r.StartLine(), "from", r.Source())
			}),
		),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(lg)),
	)
	if err != nil {
		return fmt.Errorf("sipstack: user agent: %w", err)
	}
	cli, err := sipgo.NewClient(sua,
		sipgo.WithClientLogger(lg),
		sipgo.WithClientHostname(adv.String()),
		sipgo.WithClientPort(int(port)),
		sipgo.WithClientNAT(),
		sipgo.WithClientConnectionAddr(bound),
	)
	if err != nil {
		sua.Close()
		return fmt.Errorf("sipstack: client: %w", err)
	}
	srv, err := sipgo.NewServer(sua, sipgo.WithServerLogger(lg))
	if err != nil {
		sua.Close()
		return fmt.Errorf("sipstack: server: %w", err)
	}
	srv.OnInvite(u.wrap(u.onInvite))
	srv.OnAck(u.wrap(u.onAck))
	srv.OnBye(u.wrap(u.onInDialog))
	srv.OnInfo(u.wrap(u.onInDialog))
	srv.OnCancel(u.wrap(u.onStrayCancel))
	srv.OnOptions(u.wrap(u.onOptions))
	srv.OnNoRoute(u.wrap(u.onUnsupported))

	host, p, _ := sip.ParseAddr(bound)
	u.sua, u.cli, u.srv = sua, cli, srv
	u.laddr = sip.Addr{IP: net.ParseIP(host), Port: p, Hostname: host}
	return nil
}

// advertise picks the address for Contact, Via and SDP.
func (u *UA) advertise(ctx context.Context, bound netip.Addr) netip.Addr {
	if u.cfg.contactIP.IsValid() {
		return u.cfg.contactIP
	}
	if !bound.IsUnspecified() {
		return bound
	}
	network := "udp"
	if bound.Is4() {
		network = "udp4"
	}
	// A connected UDP socket sends nothing but tells which local address
	// routes to our server.
	var d net.Dialer
	for _, h := range []hostPort{u.cfg.proxy, u.cfg.registrar, u.cfg.domain} {
		if h.isZero() {
			continue
		}
		c, err := d.DialContext(ctx, network, h.addr())
		if err != nil {
			continue
		}
		ip := c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap()
		c.Close()
		if ip.IsValid() && !ip.IsUnspecified() {
			return ip
		}
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				ip, ok := netip.AddrFromSlice(n.IP)
				ip = ip.Unmap()
				if ok && ip.IsGlobalUnicast() && ip.Is4() == bound.Is4() {
					return ip
				}
			}
		}
	}
	u.log.Warn("no routable address found; advertising loopback")
	if bound.Is4() {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	return netip.IPv6Loopback()
}

// wrap runs h for a request unless the UA is shutting down, counts it so
// that Run can wait for it, and keeps a bug in our code from killing the
// phone.
func (u *UA) wrap(h sipgo.RequestHandler) sipgo.RequestHandler {
	return func(req *sip.Request, tx sip.ServerTransaction) {
		u.mu.Lock()
		if !u.running {
			u.mu.Unlock()
			if !req.IsAck() {
				u.reply(tx, req, 503, "Service Unavailable")
			}
			return
		}
		u.handlers.Add(1)
		u.mu.Unlock()
		defer u.handlers.Done()
		defer func() {
			if r := recover(); r != nil {
				u.log.Error("bug: panic while handling a SIP request", "panic", r, "req", req.StartLine())
			}
		}()
		h(req, tx)
	}
}

// emit queues ev for call control.
func (u *UA) emit(ev Event) {
	if !u.q.push(ev) {
		u.log.Error("event queue full; event dropped", "event", fmt.Sprintf("%T", ev))
	}
}

// reply sends a response built from req on tx.
func (u *UA) reply(tx sip.ServerTransaction, req *sip.Request, code int, reason string, hdrs ...sip.Header) {
	res := sip.NewResponseFromRequest(req, code, reason, nil)
	res.AppendHeader(sip.NewHeader("Server", u.cfg.userAgent))
	for _, h := range hdrs {
		res.AppendHeader(h)
	}
	if err := tx.Respond(res); err != nil {
		u.log.Debug("cannot send response", "code", code, "err", err)
	}
}

// contact returns our Contact header.
func (u *UA) contact() *sip.ContactHeader {
	return &sip.ContactHeader{Address: sip.Uri{
		Scheme: "sip", User: u.cfg.user, Host: u.adv.String(), Port: int(u.local.Port()),
	}}
}

// aor returns our address of record: sip:user@domain, or sip:user@our-IP
// without a domain.
func (u *UA) aor() sip.Uri {
	if u.cfg.domain.isZero() {
		return sip.Uri{Scheme: "sip", User: u.cfg.user, Host: u.adv.String(), Port: int(u.local.Port())}
	}
	return sip.Uri{Scheme: "sip", User: u.cfg.user, Host: u.cfg.domain.host, Port: u.cfg.domain.port}
}

// withLaddr is a client option for requests we build completely (CANCEL):
// it only pins the source socket.
func (u *UA) withLaddr(_ *sipgo.Client, r *sip.Request) error {
	u.laddr.Copy(&r.Laddr)
	return nil
}
