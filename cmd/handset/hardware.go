package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"

	"handset/board"
	"handset/board/alsa"
	"handset/callcontrol"
	"handset/config"
	"handset/hal"
	"handset/provision"
)

// openHardware takes the board's GPIO lines and the sound card. The caller
// closes the returned hardware.
func openHardware(cfg config.Config, log *slog.Logger, clk hal.Clock) (*board.Hardware, *alsa.Card, error) {
	hw, err := board.Open(cfg.Board, log.With("part", "board"), clk)
	if err != nil {
		return nil, nil, fmt.Errorf("board %s: %w", cfg.Board.Model, err)
	}
	card, err := alsa.NewCard(cfg.Audio, log.With("part", "alsa"), clk)
	if err != nil {
		hw.Close()
		return nil, nil, fmt.Errorf("sound card: %w", err)
	}
	return hw, card, nil
}

// runHardware runs the phone on a Raspberry Pi's parts. Events go to the
// log: there is no console.
func runHardware(ctx context.Context, path string, cfg config.Config, notReady string, log *slog.Logger) error {
	clk := hal.SystemClock{}
	hw, card, err := openHardware(cfg, log, clk)
	if err != nil {
		return err
	}
	defer hw.Close()
	keys := newVolumeKeys(ctx, hw.Keypad, card, log)
	// The provisioning server is polled even when the phone is not ready:
	// a phone without a usable file needs it most. A change restarts the
	// phone once no call is up.
	restart := make(chan struct{})
	var once sync.Once
	files := provisionedFiles(path, provision.DefaultCacheDir, log)
	startProvisioning(ctx, files, cfg, clk, log.With("part", "provisioning"),
		func() { once.Do(func() { close(restart) }) })
	return runPhone(ctx, phoneOptions{
		Config:   cfg,
		NotReady: notReady,
		Parts:    parts{Hook: hw.Hook, Keys: keys, Bell: hw.Bell, Lamps: hw.Lamps, Card: card},
		Clock:    clk,
		Log:      log,
		Liveness: hw.Watchdog.Register,
		Restart:  restart,
		Notify: func(ev callcontrol.Event) {
			log.Info("phone", "event", ev.Kind(), "detail", ev)
		},
		Ready: func(sip netip.AddrPort) { log.Info("phone ready", "sip", sip.String()) },
	})
}

// volumeStep is how much one press of a volume key changes the earpiece.
const volumeStep = 10 // percent

// volumeKeys passes the keypad's keys on to call control, except the volume
// keys, which turn the earpiece up and down.
type volumeKeys struct {
	in   hal.Keypad
	out  chan hal.KeyEvent
	card interface {
		StepVolume(delta int) (int, error)
	}
	log *slog.Logger
}

var _ hal.Keypad = (*volumeKeys)(nil)

func newVolumeKeys(ctx context.Context, in hal.Keypad, card *alsa.Card, log *slog.Logger) *volumeKeys {
	v := &volumeKeys{in: in, out: make(chan hal.KeyEvent, 16), card: card, log: log}
	go v.run(ctx)
	return v
}

func (v *volumeKeys) run(ctx context.Context) {
	defer close(v.out)
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-v.in.Keys():
			if !ok {
				return
			}
			delta := 0
			switch ev.Key {
			case hal.KeyVolumeUp:
				delta = volumeStep
			case hal.KeyVolumeDown:
				delta = -volumeStep
			}
			if delta == 0 {
				select {
				case v.out <- ev:
				case <-ctx.Done():
					return
				}
				continue
			}
			pct, err := v.card.StepVolume(delta)
			if err != nil {
				v.log.Warn("volume key", "err", err)
				continue
			}
			v.log.Info("earpiece volume", "percent", pct)
		}
	}
}

// Keys implements hal.Keypad.
func (v *volumeKeys) Keys() <-chan hal.KeyEvent { return v.out }

// Close implements hal.Keypad.
func (v *volumeKeys) Close() error { return v.in.Close() }

// fallbackBoard gives a phone whose configuration is missing or broken the
// wiring of the Pi it runs on, so that it lights the error lamp and plays
// the error tone instead of falling back to the simulator.
func fallbackBoard(cfg config.Config, log *slog.Logger) config.Config {
	if cfg.Board.Model != config.ModelSim {
		return cfg
	}
	if m, ok := board.DetectModel(board.DeviceTreeModel); ok {
		log.Warn("no usable configuration: using the default wiring of this board", "model", m)
		cfg.Board = config.Default().Board
		cfg.Board.Model = m
	}
	return cfg
}
