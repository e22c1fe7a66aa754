package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"handset/config"
	"handset/hal"
	"handset/provision"
)

// exitConfigChanged is the exit code after the provisioning server changed
// the configuration: the supervisor (handset-supervise on the image)
// starts the phone again at once, and it loads the new configuration.
const exitConfigChanged = 3

// errConfigChanged ends the phone so that it restarts with the
// configuration the provisioning server changed.
var errConfigChanged = errors.New("the provisioning server changed the configuration")

// provisionedFiles are the phone's configuration layers: the server's files
// cached in cacheDir under the SD card's file at local. Without a MAC
// address the server's per-phone file is left out, with a warning.
func provisionedFiles(local, cacheDir string, log *slog.Logger) provision.Files {
	mac, err := provision.LocalMAC()
	if err != nil {
		log.Warn("provisioning: no MAC address, so the server's per-phone file is not used", "error", err)
	}
	return provision.Files{Local: local, Cache: cacheDir, MAC: mac}
}

// startProvisioning fetches the configuration from the provisioning server
// in the background until ctx ends (provision.Client.Run), and calls
// changed after the server's files changed; the phone then exits with
// exitConfigChanged once it is idle. cfg is the running configuration: its
// [provisioning] ca_file is trusted besides the system's CAs.
func startProvisioning(ctx context.Context, files provision.Files, cfg config.Config, clk hal.Clock, log *slog.Logger, changed func()) {
	hc, err := provision.NewHTTPClient(cfg.Provisioning.CAFile)
	if err != nil {
		log.Error("provisioning: off", "error", err)
		return
	}
	c := provision.New(provision.Options{
		Files:     files,
		DHCPFile:  provision.DefaultDHCPFile,
		UserAgent: "handset/" + version,
		Log:       log,
		Clock:     clk,
		HTTP:      hc,
	})
	go c.Run(ctx, changed)
}

// provisionCommand is "handset provision", run at boot before the network
// starts: it checks the configuration (the SD card's file over the cached
// server files), prints every problem with its file and line, and writes
// the Wi-Fi settings for wpa_supplicant (mode 0600, on tmpfs; never to the
// SD card). With --fetch it also fetches from the provisioning server once
// and says what happened, for troubleshooting. It exits 0 when the
// configuration is valid, 1 when it is missing or invalid or a step failed.
func provisionCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("handset provision", flag.ContinueOnError)
	fs.SetOutput(stderr)
	local := fs.String("config", config.DefaultPath, "the SD card's configuration file")
	cache := fs.String("cache", provision.DefaultCacheDir, "the directory of the server's files, on the data partition")
	wifi := fs.String("wifi", provision.DefaultWiFiFile, "the wpa_supplicant configuration to write")
	dhcp := fs.String("dhcp", provision.DefaultDHCPFile, "the file the DHCP hook writes option 66 to")
	fetch := fs.Bool("fetch", false, "also fetch from the provisioning server now")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "handset provision: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	files := provisionedFiles(*local, *cache, log)
	if files.MAC != "" {
		fmt.Fprintf(stdout, "mac %s: the server's file for this phone is %s.toml\n", files.MAC, files.MAC)
	}
	code := exitOK
	if *fetch {
		code = fetchNow(ctx, files, *dhcp, stdout, log)
	}
	cfg, err := files.Load()
	var probs config.Problems
	switch {
	case errors.As(err, &probs):
		for _, p := range probs {
			fmt.Fprintln(stdout, p)
		}
		fmt.Fprintf(stdout, "configuration: %d problem(s); the phone runs not ready (error lamp, error tone)\n", len(probs))
		return exitFailure
	case err != nil:
		fmt.Fprintln(stdout, "configuration:", err)
		return exitFailure
	}
	ok, err := provision.WriteWiFi(*wifi, cfg.WiFi)
	switch {
	case err != nil:
		fmt.Fprintln(stdout, "wifi:", err)
		return exitFailure
	case ok:
		fmt.Fprintf(stdout, "wifi: network %q written to %s\n", cfg.WiFi.SSID, *wifi)
	default:
		fmt.Fprintln(stdout, "wifi: no network configured ([wifi] ssid is empty)")
	}
	fmt.Fprintln(stdout, "configuration: OK")
	return code
}

// fetchNow syncs with the provisioning server once and prints the outcome.
func fetchNow(ctx context.Context, files provision.Files, dhcpFile string, stdout io.Writer, log *slog.Logger) int {
	caFile := ""
	if cfg, err := files.Load(); err == nil {
		caFile = cfg.Provisioning.CAFile
	}
	hc, err := provision.NewHTTPClient(caFile)
	if err != nil {
		fmt.Fprintln(stdout, "fetch:", err)
		return exitFailure
	}
	c := provision.New(provision.Options{Files: files, DHCPFile: dhcpFile, UserAgent: "handset/" + version, Log: log, Clock: hal.SystemClock{}, HTTP: hc})
	changed, err := c.Sync(ctx)
	switch {
	case err != nil:
		fmt.Fprintln(stdout, "fetch:", err)
		return exitFailure
	case changed:
		fmt.Fprintln(stdout, "fetch: new configuration stored; restart the phone's software to use it")
	default:
		fmt.Fprintln(stdout, "fetch: the server's files are unchanged")
	}
	return exitOK
}
