package emu_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handset/internal/emu"
	"handset/mediapath/detect"
	"handset/wav"
)

// micHz is the tone the host plays into the guest's microphone.
const micHz = 600

// audioCase is one run of "guest audio" in the guest.
type audioCase struct {
	name    string
	bin     string
	config  string
	tone    float64 // played; each case that reaches the host has its own
	seconds float64
	gap     time.Duration // no I/O this long half way: an xrun
	expect  float64       // the tone the capture must hold
	heard   bool          // the host records what the case plays
	busy    bool          // also check that a second Open of the held card fails
	lead    time.Duration // kept queued in the card at each write, as the audio pump does
}

// The playback leads the guest keeps: what the card still holds when each
// period is written, with a margin for a busy 2-core host under TCG.
// Smaller ones underrun on these emulated cards, not from the driver:
//   - snd-aloop moves its pointers a jiffy (4 ms) at a time, and the
//     guest's vCPU stalls now and then: at 5 ms it underran 2–6 times in
//     2 s, at 10 ms none to once; at 20 ms the 32-bit binary still
//     underran twice in 2 s in about one run of five.
//   - QEMU's HDA codec delivers capture in bursts (reads 10–25 ms apart)
//     and, after each start, drains the ring faster than real time until
//     its own 8 KiB FIFO is half full (64 ms at 16 kHz stereo, unseen by
//     Delay), so every recovery starts that again: at 5–15 ms it underran
//     every few periods, at 20 ms now and then.
//
// A busy host stalls the guest for longer than these now and then (HDA
// underran twice at 30 ms in one run of five), so the guest reports
// underruns and fails only past one period in 20: a lead not kept.
const (
	aloopLead = 20 * time.Millisecond
	hdaLead   = 30 * time.Millisecond
)

var audioConfigs = map[string]string{
	// The HDA card, asked for 8 kHz mono: it grants what it has.
	"hda.toml": "version = 1\n[audio]\ncard = \"Intel\"\nplayback_volume = 100\ncapture_volume = 100\n",
	// The HDA card at a configured 48 kHz.
	"hda48.toml": "version = 1\n[audio]\ncard = \"Intel\"\nrate = 48000\nplayback_volume = 100\ncapture_volume = 100\n",
	// snd-aloop in the guest: what device 0 plays, device 1 captures.
	"aloop.toml": "version = 1\n[audio]\nplayback_device = \"hw:Loopback,0\"\ncapture_device = \"hw:Loopback,1\"\n",
}

func audioCases() []audioCase {
	var cs []audioCase
	for _, a := range []struct {
		arch             string
		hda, hda48, xrun float64
	}{{"arm64", 1000, 1250, 800}, {"armv6", 1500, 1750, 1150}} {
		bin := "guest-" + a.arch
		cs = append(cs,
			audioCase{"hda-" + a.arch, bin, "hda.toml", a.hda, 2, 0, micHz, true, a.arch == "arm64", hdaLead},
			audioCase{"hda48-" + a.arch, bin, "hda48.toml", a.hda48, 2, 0, micHz, true, false, hdaLead},
			audioCase{"aloop-" + a.arch, bin, "aloop.toml", 1000, 2, 0, 1000, false, false, aloopLead},
			audioCase{"xrun-" + a.arch, bin, "hda.toml", a.xrun, 2.5, 500 * time.Millisecond, micHz, true, false, hdaLead},
		)
	}
	return cs
}

// TestALSA plays and captures through board/alsa on the kernel's real
// drivers: QEMU's HDA card (played to and fed from a private PulseAudio on
// the host) and snd-aloop (8 kHz mono, inside the guest), with the arm64
// and the 32-bit armv6 binary. The guest keeps a small playback lead and
// reports the card's Delay around each write. The host checks that each
// tone arrived, for as long as it was played, on both channels.
func TestALSA(t *testing.T) {
	e := setup(t)
	start := time.Now()
	cases := audioCases()
	var run strings.Builder
	run.WriteString("rc=0\n")
	for _, c := range cases {
		fmt.Fprintf(&run, "./bin/%s audio --config %s --name %s --tone %v --seconds %v --gap %v --expect %v --busy=%v --lead %v 2>out/%s.log || rc=1\n",
			c.bin, c.config, c.name, c.tone, c.seconds, c.gap, c.expect, c.busy, c.lead, c.name)
	}
	run.WriteString("exit $rc\n")
	files := map[string]string{}
	for k, v := range audioConfigs {
		files[k] = v
	}
	share := e.share(t, run.String(), files, "guest-arm64", "guest-armv6")

	pa := startPulse(t)
	pa.playTone(t, micHz)
	rec := pa.record(t)
	rc := guest{share: share, sound: pa, timeout: 3 * time.Minute}.run(t, e)
	left, right, err := rec.stop()
	if err != nil {
		t.Fatalf("recording: %v", err)
	}
	t.Logf("guest run and recording: %v, %.1f s recorded", time.Since(start).Round(time.Millisecond), float64(len(left))/pulseRate)

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := readReport(t, share, c.name)
			if rep.Audio != nil {
				a := rep.Audio
				t.Logf("%s: asked %+v, granted %+v, %d xruns seen, %d counted by the card", rep.Arch, a.Asked, a.Granted, a.Xruns, a.CardXruns)
				t.Logf("lead %v: the card's Delay before each write %v, right after it %v", a.Lead, a.QueuedBefore, a.QueuedAfter)
			}
			if c.heard {
				checkHeard(t, c, left, right)
			}
			if rep.Audio != nil && rep.Audio.CaptureWAV != "" {
				checkCapture(t, c, filepath.Join(share, "out", rep.Audio.CaptureWAV))
			}
		})
	}
	if rc != 0 && !t.Failed() {
		t.Errorf("run.sh exited %d", rc)
	}
}

// readReport reads out/NAME.json and fails t for every check that failed
// in the guest.
func readReport(t *testing.T, share, name string) *emu.Report {
	t.Helper()
	rep, err := emu.ReadReport(filepath.Join(share, "out", name+".json"))
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(share, "out", name+".log"))
		t.Fatalf("%v; guest log:\n%s", err, lastLines(string(log), 30))
	}
	for _, c := range rep.Failed() {
		t.Errorf("guest (%s): %s: %s", rep.Arch, c.Name, c.Detail)
	}
	if t.Failed() {
		log, _ := os.ReadFile(filepath.Join(share, "out", name+".log"))
		t.Logf("guest log:\n%s", lastLines(string(log), 30))
	}
	return rep
}

// checkHeard finds c's tone in both channels of what the host recorded.
func checkHeard(t *testing.T, c audioCase, left, right []int16) {
	t.Helper()
	for ch, samples := range map[string][]int16{"left": left, "right": right} {
		segs := detect.Find(samples, pulseRate, c.tone, 200*time.Millisecond)
		total := time.Duration(0)
		for _, s := range segs {
			total += s.End - s.Start
		}
		played := time.Duration(c.seconds * float64(time.Second))
		if c.gap > 0 {
			// Stretches of tone with the xrun's silence between two of them.
			gap := time.Duration(0)
			for i := 1; i < len(segs); i++ {
				gap = max(gap, segs[i].Start-segs[i-1].End)
			}
			if gap < 150*time.Millisecond || total < played*6/10 {
				t.Errorf("%s: %v Hz: want two stretches of tone around a gap, %v in all; got %v", ch, c.tone, played*6/10, segs)
			}
		} else if len(segs) == 0 || total < played*8/10 || total > played+300*time.Millisecond {
			t.Errorf("%s: %v Hz: want about %v of tone; got %v in %v", ch, c.tone, played, total, segs)
		}
		if ch == "left" {
			t.Logf("host heard %v Hz for %v in %d stretch(es)", c.tone, total.Round(time.Millisecond), len(segs))
		}
	}
}

// checkCapture finds the expected tone in the capture the guest recorded.
func checkCapture(t *testing.T, c audioCase, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	samples, rate, channels, err := wav.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	mono := make([]int16, 0, len(samples)/channels)
	for i := 0; i+channels <= len(samples); i += channels {
		mono = append(mono, samples[i])
	}
	segs := detect.Find(mono, rate, c.expect, 200*time.Millisecond)
	total := time.Duration(0)
	for _, s := range segs {
		total += s.End - s.Start
	}
	want := time.Duration(0.6 * c.seconds * float64(time.Second))
	if total < want {
		t.Errorf("capture (%d Hz, %d ch): %v Hz for %v, want ≥ %v: %v", rate, channels, c.expect, total, want, segs)
	}
}
