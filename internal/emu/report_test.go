package emu_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"handset/hal"
	"handset/internal/emu"
)

func TestReportRoundTrip(t *testing.T) {
	r := &emu.Report{Name: "hda-arm64", Arch: "arm64"}
	if !r.Add("open", true, 0, "asked %d Hz", 8000) {
		t.Error("Add returned false for a pass")
	}
	if r.Add("unmuted", false, 3*time.Millisecond, "muted: %q", []string{"Master"}) {
		t.Error("Add returned true for a failure")
	}
	r.Audio = &emu.AudioResult{Granted: hal.PCMFormat{Rate: 16000, Channels: 2, PeriodFrames: 320, BufferFrames: 960}}
	path := filepath.Join(t.TempDir(), "r.json")
	if err := r.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := emu.ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("read back %+v, wrote %+v", got, r)
	}
	failed := got.Failed()
	if len(failed) != 1 || failed[0].Name != "unmuted" || failed[0].Detail != `muted: ["Master"]` || failed[0].Took != 3*time.Millisecond {
		t.Errorf("Failed() = %+v", failed)
	}
}

func TestReadReportRejects(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"missing":  filepath.Join(dir, "none.json"),
		"not JSON": bad,
	} {
		if r, err := emu.ReadReport(path); err == nil {
			t.Errorf("%s: got %+v, want an error", name, r)
		}
	}
}

func TestNewSpread(t *testing.T) {
	for _, c := range []struct {
		frames []int
		rate   int
		want   emu.Spread
		text   string
	}{
		{nil, 8000, emu.Spread{}, "none"},
		{[]int{40}, 8000, emu.Spread{N: 1, Min: 5 * time.Millisecond, Median: 5 * time.Millisecond, Max: 5 * time.Millisecond},
			"5ms–5ms, median 5ms (n=1)"},
		{[]int{480, 12, 240}, 48000, emu.Spread{N: 3, Min: 250 * time.Microsecond, Median: 5 * time.Millisecond, Max: 10 * time.Millisecond},
			"250µs–10ms, median 5ms (n=3)"},
		{[]int{1}, 0, emu.Spread{}, "none"},
	} {
		got := emu.NewSpread(c.frames, c.rate)
		if got != c.want || got.String() != c.text {
			t.Errorf("NewSpread(%v, %d) = %+v %q, want %+v %q", c.frames, c.rate, got, got, c.want, c.text)
		}
	}
}
