package emu_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"handset/mediapath/detect"
	"handset/wav"
)

// The near phone runs on the guest's hardware: the HDA card and the
// gpio-sim chip. Its hook contact is normally closed (on the cradle the
// line floats high through the pull-up the board asks for).
const nearConfig = `version = 1

[account]
user = "1001"
domain = "127.0.0.1:5062"
register = false
local_ip = "127.0.0.1"
local_port = 5061

[security]
allow_direct_calls = true

[audio]
card = "Intel"
playback_volume = 100
capture_volume = 100

[board]
model = "none"
hook = "pinctrl-emu:HOOK"
hook_active = "low"
hook_contact = "nc"
keypad_rows = ["pinctrl-emu:ROW0", "pinctrl-emu:ROW1", "pinctrl-emu:ROW2", "pinctrl-emu:ROW3"]
keypad_cols = ["pinctrl-emu:COL0", "pinctrl-emu:COL1", "pinctrl-emu:COL2", "pinctrl-emu:COL3"]
ringer = "pinctrl-emu:RINGER"
led_registered = "pinctrl-emu:LED_REG"
led_in_call = "pinctrl-emu:LED_CALL"
led_message = "pinctrl-emu:LED_MSG"
led_error = "pinctrl-emu:LED_ERR"
volume_up = "pinctrl-emu:VOL_UP"
volume_down = "pinctrl-emu:VOL_DOWN"
`

// The far phone is simulated, in the same guest, on loopback.
const farConfig = `version = 1

[account]
user = "1002"
domain = "127.0.0.1:5061"
register = false
local_ip = "127.0.0.1"
local_port = 5062

[security]
allow_direct_calls = true
`

const (
	farHz  = 1000 // the far phone's microphone
	talkS  = 4    // seconds of the first call
	nearHz = micHz
)

var (
	handsetOnce sync.Once
	handsetErr  error
)

// TestPhone runs the whole phone, built for armv6 (a Pi Zero), on the
// guest's real drivers: the guest lifts its handset and presses keys
// through gpio-sim, it calls a simulated arm64 phone on 127.0.0.1, they
// talk, it hangs up; then the far phone calls and it rings its bell. The
// host checks the audio both ways: the near phone's microphone tone (fed to
// the HDA card) in the far phone's earpiece recording, and the far phone's
// tone in what the HDA card played.
func TestPhone(t *testing.T) {
	e := setup(t)
	handsetOnce.Do(func() {
		handsetErr = e.build("handset-armv6", "./cmd/handset", "arm", "6")
		if handsetErr == nil {
			handsetErr = e.build("handset-arm64", "./cmd/handset", "arm64", "")
		}
	})
	if handsetErr != nil {
		t.Fatal(handsetErr)
	}
	start := time.Now()
	run := makeChip() + `./bin/guest-arm64 phone --config near.toml --name phone --near ./bin/handset-armv6 ` +
		`--far ./bin/handset-arm64 --far-config far.toml --far-tone 1000 --talk 4s 2>out/phone.log
`
	share := e.share(t, run, map[string]string{"near.toml": nearConfig, "far.toml": farConfig},
		"guest-arm64", "handset-armv6", "handset-arm64")
	pa := startPulse(t)
	pa.playTone(t, nearHz)
	rec := pa.record(t)
	rc := guest{share: share, sound: pa, timeout: 4 * time.Minute}.run(t, e)
	left, _, err := rec.stop()
	if err != nil {
		t.Fatalf("recording: %v", err)
	}
	t.Logf("guest run: %v", time.Since(start).Round(time.Millisecond))

	rep := readReport(t, share, "phone")
	for _, c := range rep.Checks {
		if c.Took > 0 {
			t.Logf("%s took %v", c.Name, c.Took.Round(time.Millisecond))
		}
	}
	if rep.Phone == nil {
		t.Fatal("no phone result")
	}
	defer func() {
		if t.Failed() {
			t.Logf("events: %q", rep.Phone.Events)
			for _, f := range []string{"phone-near.log", "phone-far.log"} {
				b, _ := os.ReadFile(filepath.Join(share, "out", f))
				t.Logf("%s:\n%s", f, lastLines(string(b), 40))
			}
		}
	}()

	// Near → far: the HDA card's capture, resampled and encoded, reached
	// the far phone's earpiece.
	b, err := os.ReadFile(filepath.Join(share, "out", rep.Phone.FarSpeakerWAV))
	if err != nil {
		t.Fatal(err)
	}
	samples, rate, _, err := wav.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("far speaker: %v", err)
	}
	want := talkS * time.Second / 2
	if got := toneTime(samples, rate, nearHz); got < want {
		t.Errorf("the far phone heard the near phone's %d Hz for %v, want ≥ %v", nearHz, got, want)
	} else {
		t.Logf("far earpiece: the near microphone's %d Hz for %v", nearHz, got.Round(10*time.Millisecond))
	}
	// Far → near: decoded, resampled to the card's rate and played.
	if got := toneTime(left, pulseRate, farHz); got < want {
		t.Errorf("the near phone's card played the far phone's %d Hz for %v, want ≥ %v", farHz, got, want)
	} else {
		t.Logf("near earpiece (HDA): the far microphone's %d Hz for %v", farHz, got.Round(10*time.Millisecond))
	}
	if rc != 0 && !t.Failed() {
		t.Errorf("run.sh exited %d", rc)
	}
}

// toneTime is how long freq sounds in samples.
func toneTime(samples []int16, rate int, freq float64) time.Duration {
	var total time.Duration
	for _, s := range detect.Find(samples, rate, freq, 200*time.Millisecond) {
		total += s.End - s.Start
	}
	return total
}
