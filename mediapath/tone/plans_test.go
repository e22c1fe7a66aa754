package tone

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCountries(t *testing.T) {
	cs := Countries()
	if !slices.IsSorted(cs) || len(cs) != 5 {
		t.Fatalf("Countries() = %v", cs)
	}
	for _, c := range cs {
		p, err := PlanFor(c)
		if err != nil {
			t.Fatalf("PlanFor(%q): %v", c, err)
		}
		if p.Country != c {
			t.Errorf("PlanFor(%q).Country = %q", c, p.Country)
		}
	}
}

func TestPlanForCaseAndErrors(t *testing.T) {
	for _, c := range []string{"US", "Uk", " de ", "EU", "fR"} {
		if _, err := PlanFor(c); err != nil {
			t.Errorf("PlanFor(%q): %v", c, err)
		}
	}
	_, err := PlanFor("xx")
	if !errors.Is(err, ErrUnknownCountry) {
		t.Fatalf("PlanFor(xx) = %v, want ErrUnknownCountry", err)
	}
	for _, c := range Countries() {
		if !strings.Contains(err.Error(), c) {
			t.Errorf("error %q does not list %q", err, c)
		}
	}
}

// TestPlansComplete checks every plan has every tone, with sane values.
func TestPlansComplete(t *testing.T) {
	for _, c := range Countries() {
		p, _ := PlanFor(c)
		if len(p.Ring) == 0 {
			t.Errorf("%s: no ring cadence", c)
		}
		for k := Dial; k <= Ringtone; k++ {
			s, ok := p.Tones[k]
			if !ok {
				t.Errorf("%s: no %v tone", c, k)
				continue
			}
			if s.LevelDB > 0 || s.LevelDB < -30 {
				t.Errorf("%s %v: level %v dBm0", c, k, s.LevelDB)
			}
			pairs := s.Bursts
			if len(pairs) == 0 {
				pairs = [][2]float64{s.Freqs}
			}
			for _, f := range pairs {
				if f[0] < 300 || f[0] > 3400 || (f[1] != 0 && (f[1] < 300 || f[1] > 3400)) {
					t.Errorf("%s %v: frequencies %v", c, k, f)
				}
			}
			for _, d := range s.Cadence {
				if d <= 0 {
					t.Errorf("%s %v: cadence %v", c, k, s.Cadence)
				}
			}
		}
	}
}

// TestPlanValues checks the values of the expectations table (§4).
func TestPlanValues(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		country string
		kind    Kind
		freqs   [2]float64
		cadence []time.Duration
	}{
		{"us", Dial, [2]float64{350, 440}, nil},
		{"us", Ringback, [2]float64{440, 480}, []time.Duration{2000 * ms, 4000 * ms}},
		{"us", Busy, [2]float64{480, 620}, []time.Duration{500 * ms, 500 * ms}},
		{"us", Congestion, [2]float64{480, 620}, []time.Duration{250 * ms, 250 * ms}},
		{"us", CallWaiting, [2]float64{440, 0}, []time.Duration{300 * ms}},
		{"uk", Dial, [2]float64{350, 440}, nil},
		{"uk", Ringback, [2]float64{400, 450}, []time.Duration{400 * ms, 200 * ms, 400 * ms, 2000 * ms}},
		{"uk", Busy, [2]float64{400, 0}, []time.Duration{375 * ms, 375 * ms}},
		{"uk", Congestion, [2]float64{400, 0}, []time.Duration{400 * ms, 350 * ms, 225 * ms, 525 * ms}},
		{"de", Dial, [2]float64{425, 0}, nil},
		{"de", Ringback, [2]float64{425, 0}, []time.Duration{1000 * ms, 4000 * ms}},
		{"de", Busy, [2]float64{425, 0}, []time.Duration{480 * ms, 480 * ms}},
		{"de", Congestion, [2]float64{425, 0}, []time.Duration{240 * ms, 240 * ms}},
		{"eu", Dial, [2]float64{425, 0}, nil},
		{"fr", Dial, [2]float64{440, 0}, nil},
		{"fr", Ringback, [2]float64{440, 0}, []time.Duration{1500 * ms, 3500 * ms}},
		{"fr", Busy, [2]float64{440, 0}, []time.Duration{500 * ms, 500 * ms}},
	}
	for i, c := range cases {
		p, _ := PlanFor(c.country)
		s := p.Tones[c.kind]
		if s.Freqs != c.freqs || !slices.Equal(s.Cadence, c.cadence) {
			t.Errorf("#%d %s %v: %v %v, want %v %v", i, c.country, c.kind, s.Freqs, s.Cadence, c.freqs, c.cadence)
		}
	}
	rings := map[string][]time.Duration{
		"us": {2000 * ms, 4000 * ms},
		"uk": {400 * ms, 200 * ms, 400 * ms, 2000 * ms},
		"de": {1000 * ms, 4000 * ms},
		"fr": {1500 * ms, 3500 * ms},
	}
	for c, want := range rings {
		if p, _ := PlanFor(c); !slices.Equal(p.Ring, want) {
			t.Errorf("%s ring = %v, want %v", c, p.Ring, want)
		}
	}
}

func TestAmplitude(t *testing.T) {
	cases := []struct {
		db     float64
		lo, hi int32
	}{
		{0, 22700, 22800},
		{-13, 5050, 5120},
		{3.17, 32767, 32767},
		{20, 32767, 32767},
		{-200, 0, 1},
	}
	for i, c := range cases {
		if a := Amplitude(c.db); a < c.lo || a > c.hi {
			t.Errorf("#%d: Amplitude(%v) = %d", i, c.db, a)
		}
	}
}
