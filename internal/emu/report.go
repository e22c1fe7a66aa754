package emu

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"handset/hal"
)

// Report is what one guest check found. The guest writes it as JSON to
// the shared folder's out/NAME.json; the host test reads it back.
type Report struct {
	Name string
	// Arch is the binary's architecture, e.g. "arm64" or "arm/v6".
	Arch string
	// Checks are the verdicts the guest reached itself, in order.
	Checks []Check
	// Audio is filled by audio checks.
	Audio *AudioResult `json:",omitempty"`
	// Phone is filled by the phone check.
	Phone *PhoneResult `json:",omitempty"`
}

// Check is one verdict.
type Check struct {
	Name   string
	OK     bool
	Detail string
	// Took is how long the checked thing took, when that was measured
	// (e.g. from a line change to the event).
	Took time.Duration `json:",omitempty"`
}

// AudioResult describes one audio run on a real ALSA card.
type AudioResult struct {
	Cards   string // the cards as board/alsa describes them
	Card    string // what the Card opened
	Asked   hal.PCMFormat
	Granted hal.PCMFormat
	// ControlsBefore and ControlsAfter list the card's mixer controls before
	// Open and after it (when Open has unmuted the card).
	ControlsBefore, ControlsAfter []string
	ToneHz                        float64 // played
	Periods                       int     // periods written
	Xruns                         int     // reads or writes that failed with hal.ErrXrun
	Recovered                     int     // successful Recover calls
	CardXruns                     uint64  // the Card's own count
	Elapsed                       time.Duration
	// Lead is the playback lead aimed at: what the card should still hold
	// when each write comes, as the audio pump keeps it.
	Lead time.Duration
	// FirstDelay is the card's Delay right after Open, before any write.
	FirstDelay int
	// QueuedBefore is the card's Delay just before each write but the
	// first after a start (what was left of the lead), QueuedAfter right
	// after each write.
	QueuedBefore, QueuedAfter Spread
	// CaptureWAV is the file (in out/) holding what was captured, at the
	// granted rate and channels.
	CaptureWAV string
}

// Spread summarises repeated measurements of a duration.
type Spread struct {
	N                int
	Min, Median, Max time.Duration
}

// NewSpread summarises frame counts measured at rate frames per second.
func NewSpread(frames []int, rate int) Spread {
	if len(frames) == 0 || rate <= 0 {
		return Spread{}
	}
	sorted := slices.Clone(frames)
	slices.Sort(sorted)
	d := func(n int) time.Duration { return time.Duration(int64(n) * int64(time.Second) / int64(rate)) }
	return Spread{N: len(sorted), Min: d(sorted[0]), Median: d(sorted[len(sorted)/2]), Max: d(sorted[len(sorted)-1])}
}

// String reads "1.5ms–6ms, median 5ms (n=100)".
func (s Spread) String() string {
	if s.N == 0 {
		return "none"
	}
	return fmt.Sprintf("%v–%v, median %v (n=%d)", s.Min, s.Max, s.Median, s.N)
}

// PhoneResult describes the phone check: the hardware phone's events and
// the files of the far phone.
type PhoneResult struct {
	// FarSpeakerWAV is the far phone's earpiece recording (in out/).
	FarSpeakerWAV string
	// Events are the noteworthy events of both phones, in order.
	Events []string
}

// Failed lists the checks that did not pass.
func (r *Report) Failed() []Check {
	var bad []Check
	for _, c := range r.Checks {
		if !c.OK {
			bad = append(bad, c)
		}
	}
	return bad
}

// Add appends a verdict and returns ok.
func (r *Report) Add(name string, ok bool, took time.Duration, format string, args ...any) bool {
	r.Checks = append(r.Checks, Check{Name: name, OK: ok, Took: took, Detail: fmt.Sprintf(format, args...)})
	return ok
}

// WriteFile writes r as indented JSON to path.
func (r *Report) WriteFile(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("emu: report %s: %w", r.Name, err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("emu: report %s: %w", r.Name, err)
	}
	return nil
}

// ReadReport reads a report written by WriteFile.
func ReadReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("emu: read report: %w", err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("emu: read report %s: %w", path, err)
	}
	return &r, nil
}
