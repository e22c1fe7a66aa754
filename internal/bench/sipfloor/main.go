// Command sipfloor is the smallest SIP user agent sipgo allows: a user
// agent with a server and a client, listening on one UDP address and
// answering OPTIONS with 200, nothing else. The bench (TestBenchFloor)
// builds it as the handset is built and measures its memory: the floor
// any phone on sipgo stands on.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:5060", "UDP address to listen on")
	flag.Parse()
	if err := run(*listen); err != nil {
		fmt.Fprintln(os.Stderr, "sipfloor:", err)
		os.Exit(1)
	}
}

func run(listen string) error {
	ua, err := sipgo.NewUA()
	if err != nil {
		return fmt.Errorf("user agent: %w", err)
	}
	defer ua.Close()
	srv, err := sipgo.NewServer(ua)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	cli, err := sipgo.NewClient(ua)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	defer cli.Close()
	srv.OnOptions(func(req *sip.Request, tx sip.ServerTransaction) {
		tx.Respond(sip.NewResponseFromRequest(req, sip.StatusOK, "OK", nil))
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.ListenAndServe(ctx, "udp", listen); err != nil && ctx.Err() == nil {
		return fmt.Errorf("listen %s: %w", listen, err)
	}
	return nil
}
