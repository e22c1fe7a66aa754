package provision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"time"

	"handset/config"
	"handset/hal"
)

// retryMin is the first wait after a failed sync; it doubles after each
// further failure, up to the [provisioning] interval.
const retryMin = time.Minute

// Options are what a Client needs.
type Options struct {
	// Files are the phone's configuration files; Files.Cache must be set.
	Files Files
	// DHCPFile is where the DHCP client hook writes option 66
	// (DefaultDHCPFile).
	DHCPFile string
	// UserAgent is sent with each request; "" sends "handset".
	UserAgent string
	Log       *slog.Logger
	Clock     hal.Clock
	// HTTP fetches the files; NewHTTPClient makes the one the phone uses.
	HTTP *HTTPSClient
}

// Client fetches the phone's configuration from the provisioning server
// and keeps the last good copy in Files.Cache.
type Client struct {
	files     Files
	dhcpFile  string
	userAgent string
	log       *slog.Logger
	clock     hal.Clock
	http      *HTTPSClient
}

// New returns a Client.
func New(o Options) *Client {
	ua := o.UserAgent
	if ua == "" {
		ua = "handset"
	}
	return &Client{files: o.Files, dhcpFile: o.DHCPFile, userAgent: ua, log: o.Log, clock: o.Clock, http: o.HTTP}
}

// layer is one file fetched from the server.
type layer struct {
	name  string // CommonName or <mac>.toml
	url   string
	data  []byte
	found bool
}

// Sync fetches <mac>.toml and handset.toml from the server once. It stores
// them in the cache, replacing what was there, only when both fetches
// worked, the server had at least one of the files, and neither has a
// problem in the layered configuration (each problem is logged, with its
// URL and line); a file the server no longer has, while it has the other,
// is removed from the cache. It reports whether the cache changed.
//
// The errors: ErrNoServer (none configured), ErrNotFound (the server has
// neither file), ErrRejected (a fetched file has problems), or a failed
// fetch (server down, certificate not trusted, ...). In each case the cache
// is left as it was.
func (c *Client) Sync(ctx context.Context) (bool, error) {
	return c.sync(ctx, c.settings())
}

func (c *Client) sync(ctx context.Context, p config.Provisioning) (bool, error) {
	if c.files.Cache == "" {
		return false, errors.New("provision: no cache directory")
	}
	base, err := c.server(p)
	if err != nil {
		return false, err
	}
	// Lowest precedence first, as config.ParseLayers takes them; fetched
	// the other way round, the phone's own file first.
	layers := []layer{{name: CommonName}}
	if name := c.files.perMACName(); name != "" {
		layers = append(layers, layer{name: name})
	}
	anyFound := false
	for i := len(layers) - 1; i >= 0; i-- {
		l := &layers[i]
		l.url = base + l.name
		if l.data, l.found, err = c.fetch(ctx, l.url); err != nil {
			return false, err
		}
		anyFound = anyFound || l.found
	}
	if !anyFound {
		return false, fmt.Errorf("%w: %s answered 404 for every file", ErrNotFound, base)
	}
	changes := c.changes(layers)
	if len(changes) == 0 {
		c.log.Debug("provisioning: no change", "server", base)
		return false, nil
	}
	if err := c.check(layers); err != nil {
		return false, err
	}
	if err := replaceFiles(c.files.Cache, changes, 0o600); err != nil {
		return false, fmt.Errorf("provision: store: %w", err)
	}
	for _, ch := range changes {
		if ch.data == nil {
			c.log.Info("provisioning: file removed: the server no longer has it", "file", ch.name, "server", base)
		} else {
			c.log.Info("provisioning: new file stored", "file", ch.name, "server", base)
		}
	}
	return true, nil
}

// changes compares the fetched layers with the cache.
func (c *Client) changes(layers []layer) []change {
	var out []change
	for _, l := range layers {
		old, err := readLimited(filepath.Join(c.files.Cache, l.name))
		had := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			c.log.Warn("provisioning: cached file unreadable; replacing it", "error", err)
		}
		if had == l.found && bytes.Equal(old, l.data) {
			continue
		}
		ch := change{name: l.name}
		if l.found {
			ch.data = append([]byte{}, l.data...)
		}
		out = append(out, ch)
	}
	return out
}

// check parses the fetched layers under the SD card's file and refuses
// them if any problem lies in a fetched file. Problems in the SD card's
// file alone do not stop the server's files: the phone reports those
// itself, and has the server's newest files once the card is fixed.
func (c *Client) check(layers []layer) error {
	var srcs []config.Source
	var fetched []string
	for _, l := range layers {
		if l.found {
			srcs = append(srcs, config.Source{Name: l.url, Data: l.data})
			fetched = append(fetched, l.url)
		}
	}
	if c.files.Local != "" {
		local, err := readLimited(c.files.Local)
		switch {
		case err == nil:
			srcs = append(srcs, config.Source{Name: c.files.Local, Data: local})
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("provision: %w", err)
		}
	}
	_, err := config.ParseLayers(srcs...)
	var probs config.Problems
	if !errors.As(err, &probs) {
		return err
	}
	var bad config.Problems
	for _, p := range probs {
		if slices.Contains(fetched, p.File) {
			bad = append(bad, p)
		}
	}
	if len(bad) == 0 {
		c.log.Warn("provisioning: the SD card's file has problems; storing the server's files anyway", "file", c.files.Local, "problems", len(probs))
		return nil
	}
	for _, p := range bad {
		c.log.Error("provisioning: refused", "problem", p.String())
	}
	return fmt.Errorf("%w: %d problem(s), the first: %s", ErrRejected, len(bad), bad[0])
}

// settings returns the [provisioning] section of the phone's current
// configuration, or its defaults when that configuration has problems.
func (c *Client) settings() config.Provisioning {
	cfg, err := c.files.Load()
	switch {
	case err == nil:
		return cfg.Provisioning
	case !errors.Is(err, config.ErrNoConfig):
		c.log.Warn("provisioning: the configuration has problems; using the [provisioning] defaults", "error_count", problemCount(err))
	}
	return config.Default().Provisioning
}

// problemCount counts the problems in err (1 for another error).
func problemCount(err error) int {
	var probs config.Problems
	if errors.As(err, &probs) {
		return len(probs)
	}
	return 1
}

// server returns the base URL of the provisioning server.
func (c *Client) server(p config.Provisioning) (string, error) {
	switch {
	case p.URL != "":
		return serverURL(p.URL)
	case !p.DHCP:
		return "", fmt.Errorf("%w: no [provisioning] url, and dhcp = false", ErrNoServer)
	}
	return readOption66(c.dhcpFile)
}

// Run syncs at once and then every [provisioning] interval until ctx is
// done. After a failed sync it tries again sooner: after a minute, then
// twice as long each time, up to the interval (at boot the network, DNS
// and the clock may not be ready yet). It calls changed after every sync
// that stored a new configuration; the caller restarts the phone's
// software with it.
func (c *Client) Run(ctx context.Context, changed func()) {
	retry := retryMin
	quiet := false // ErrNoServer was logged once already
	for {
		p := c.settings()
		ok, err := c.sync(ctx, p)
		wait := p.Interval
		switch {
		case ctx.Err() != nil:
			return
		case err == nil:
			retry = retryMin
			if ok {
				changed()
			}
		case errors.Is(err, ErrNoServer):
			wait = min(retryMin, p.Interval)
			if !quiet {
				c.log.Info("provisioning: off until a server is configured", "reason", err)
				quiet = true
			}
		case errors.Is(err, ErrRejected):
			c.log.Error("provisioning: keeping the last good configuration", "error", err)
		default:
			wait = min(retry, p.Interval)
			retry = min(2*retry, p.Interval)
			c.log.Warn("provisioning: fetch failed; keeping the last good configuration", "error", err, "retry_in", wait)
		}
		t := c.clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
	}
}
