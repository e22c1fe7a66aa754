package alsa

import (
	"errors"
	"slices"
	"syscall"
	"testing"

	"handset/hal"
)

// hdaElems is a card like QEMU's HDA codec and AC97 at power-on: muted,
// with a microphone loop-back into the output and a line input.
func hdaElems() []*fakeElem {
	return []*fakeElem{
		{name: "Master Playback Volume", iface: ifaceMixer, typ: typeInteger, access: rw, max: 87, values: []int64{0, 0}},
		{name: "Master Playback Switch", iface: ifaceMixer, typ: typeBoolean, access: rw, values: []int64{0, 0}},
		{name: "Headphone Playback Volume", iface: ifaceMixer, typ: typeInteger, access: rw, min: -6400, max: 0, step: 100, values: []int64{-6400}},
		{name: "Line Out Playback Switch", iface: ifaceMixer, typ: typeBoolean, access: rw, values: []int64{0}},
		{name: "Mic Playback Volume", iface: ifaceMixer, typ: typeInteger, access: rw, max: 31, values: []int64{0}},
		{name: "Mic Playback Switch", iface: ifaceMixer, typ: typeBoolean, access: rw, values: []int64{0}},
		{name: "Capture Volume", iface: ifaceMixer, typ: typeInteger, access: rw, max: 63, values: []int64{0, 0}},
		{name: "Capture Switch", iface: ifaceMixer, typ: typeBoolean, access: rw, values: []int64{0, 0}},
		{name: "Line Capture Switch", iface: ifaceMixer, typ: typeBoolean, access: rw, values: []int64{0}},
		{name: "PCM Playback Volume", iface: ifaceMixer, typ: typeInteger, access: accessRead, max: 255, values: []int64{12}},
		{name: "Speaker Playback Volume", iface: ifaceMixer, typ: typeInteger, access: rw | accessInactive, max: 10, values: []int64{0}},
		{name: "Playback Channel Map", iface: 3, typ: typeInteger, access: accessRead, max: 36, values: []int64{3, 4}},
		{name: "Input Source", iface: ifaceMixer, typ: 3, access: rw, values: []int64{0}},
	}
}

func value(t *testing.T, c *fakeCtl, name string) []int64 {
	t.Helper()
	for _, e := range c.elems {
		if e.name == name {
			return e.values
		}
	}
	t.Fatalf("no element %q", name)
	return nil
}

func TestMixerControlsBothABIs(t *testing.T) {
	for _, long := range []int{8, 4} {
		ctl := newFakeCtl(t, long, hdaElems()...)
		m := newMixer(ctl, ctlABI{long: long}, 0, nil)
		cs, err := m.Controls()
		if err != nil {
			t.Fatalf("long %d: %v", long, err)
		}
		if len(cs) != len(ctl.elems) {
			t.Fatalf("long %d: %d controls, want %d", long, len(cs), len(ctl.elems))
		}
		hp := cs[2]
		if hp.Name != "Headphone Playback Volume" || hp.NumID != 3 || hp.Type != typeInteger || hp.Min != -6400 ||
			hp.Max != 0 || hp.Step != 100 || !hp.Writable || hp.Count != 1 || !slices.Equal(hp.Values, []int64{-6400}) {
			t.Errorf("long %d: %+v", long, hp)
		}
		if ro := cs[9]; ro.Writable || !ro.Readable || !slices.Equal(ro.Values, []int64{12}) {
			t.Errorf("long %d: read-only control %+v", long, ro)
		}
		if cs[10].Inactive != true || cs[11].Iface != 3 {
			t.Errorf("long %d: flags %+v %+v", long, cs[10], cs[11])
		}
		if got := hp.String(); got != `"Headphone Playback Volume" integer -6400..0 step 100 [-6400]` {
			t.Errorf("String = %s", got)
		}
		id, err := m.identity()
		if err != nil || id.ID != "Fake" || id.Name != "Fake Card" || id.Driver != "FakeDrv" {
			t.Errorf("identity = %+v, %v", id, err)
		}
	}
}

func TestMixerSetVolume(t *testing.T) {
	for _, long := range []int{8, 4} {
		ctl := newFakeCtl(t, long, hdaElems()...)
		m := newMixer(ctl, ctlABI{long: long}, 0, nil)
		n, err := m.SetVolume(Playback, 80)
		if err != nil || n != 4 {
			t.Fatalf("long %d: SetVolume(Playback, 80) = %d, %v; want 4 controls", long, n, err)
		}
		for _, c := range []struct {
			name string
			want []int64
		}{
			{"Master Playback Volume", []int64{70, 70}}, // 80% of 0..87 = 69.6
			{"Master Playback Switch", []int64{1, 1}},
			{"Headphone Playback Volume", []int64{-1300}}, // -6400 + 5120, to a step of 100
			{"Line Out Playback Switch", []int64{1}},
			{"Mic Playback Volume", []int64{0}}, // the mic is not looped into the earpiece
			{"Mic Playback Switch", []int64{0}},
			{"Capture Volume", []int64{0, 0}},
			{"PCM Playback Volume", []int64{12}},    // read-only
			{"Speaker Playback Volume", []int64{0}}, // inactive
		} {
			if got := value(t, ctl, c.name); !slices.Equal(got, c.want) {
				t.Errorf("long %d: %s = %v, want %v", long, c.name, got, c.want)
			}
		}
		if n, err := m.SetVolume(Capture, 50); err != nil || n != 2 {
			t.Errorf("long %d: SetVolume(Capture, 50) = %d, %v", long, n, err)
		}
		if got := value(t, ctl, "Capture Volume"); !slices.Equal(got, []int64{32, 32}) {
			t.Errorf("long %d: Capture Volume = %v", long, got)
		}
		if got := value(t, ctl, "Line Capture Switch"); got[0] != 0 {
			t.Errorf("long %d: the line input was switched into the recording", long)
		}
		if _, err := m.SetVolume(Playback, 0); err != nil {
			t.Fatal(err)
		}
		if got := value(t, ctl, "Master Playback Switch"); !slices.Equal(got, []int64{0, 0}) {
			t.Errorf("long %d: 0%% leaves the switch at %v", long, got)
		}
	}
}

func TestMixerErrors(t *testing.T) {
	ctl := newFakeCtl(t, 8, hdaElems()...)
	m := newMixer(ctl, lp64, 1, nil)
	if _, err := m.SetVolume(Playback, 101); !errors.Is(err, ErrBadVolume) {
		t.Errorf("101%%: %v", err)
	}
	if _, err := m.SetVolume(Playback, -1); !errors.Is(err, ErrBadVolume) {
		t.Errorf("-1%%: %v", err)
	}
	ctl.fail = syscall.ENODEV
	_, err := m.Controls()
	if !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("unplugged: %v", err)
	}
	if want := "alsa: list controls hw:1 mixer: no such device"; err == nil || err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	ctl.fail = nil
	if err := m.Close(); err != nil || !ctl.closed {
		t.Fatalf("Close: %v", err)
	}
	if _, err := m.Controls(); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	// A control whose range is upside down is reported, the others set.
	bad := newFakeCtl(t, 8,
		&fakeElem{name: "Master Playback Volume", iface: ifaceMixer, typ: typeInteger, access: rw, min: 5, max: 1, values: []int64{0}},
		&fakeElem{name: "Master Playback Switch", iface: ifaceMixer, typ: typeBoolean, access: rw, values: []int64{0}})
	n, err := newMixer(bad, lp64, 0, nil).SetVolume(Playback, 50)
	if n != 1 || !errors.Is(err, errBadControl) {
		t.Errorf("bad range: %d, %v", n, err)
	}
}

// TestMixerSkipsUnreadableControls: the HDA driver refuses to read "Playback
// Channel Map" while no stream runs; that must not keep the card muted.
func TestMixerSkipsUnreadableControls(t *testing.T) {
	elems := append([]*fakeElem{{name: "Playback Channel Map", iface: 3 /* SNDRV_CTL_ELEM_IFACE_PCM */, typ: typeInteger,
		access: accessRead, max: 36, values: []int64{0, 0}, readErr: syscall.EINVAL}}, hdaElems()...)
	ctl := newFakeCtl(t, 8, elems...)
	m := newMixer(ctl, lp64, 0, nil)
	cs, err := m.Controls()
	if err != nil {
		t.Fatalf("Controls: %v", err)
	}
	if len(cs) != len(elems) || cs[0].Readable || cs[0].Values != nil {
		t.Fatalf("%d controls, first %+v; want all listed, the channel map unreadable", len(cs), cs[0])
	}
	if n, err := m.SetVolume(Playback, 80); err != nil || n != 4 {
		t.Fatalf("SetVolume = %d, %v; want 4 controls set", n, err)
	}
	if got := value(t, ctl, "Master Playback Switch"); !slices.Equal(got, []int64{1, 1}) {
		t.Errorf("Master Playback Switch = %v: still muted", got)
	}
}

func TestMixerEmptyCard(t *testing.T) {
	m := newMixer(newFakeCtl(t, 4), ilp32, 0, nil)
	if n, err := m.SetVolume(Playback, 80); n != 0 || err != nil {
		t.Errorf("no controls: %d, %v", n, err)
	}
}

func TestControlRole(t *testing.T) {
	tests := []struct {
		name     string
		dir      Direction
		isSwitch bool
		ok       bool
	}{
		{"Master Playback Volume", Playback, false, true},
		{"Master Playback Switch", Playback, true, true},
		{"PCM Playback Volume", Playback, false, true},
		{"Headphone Playback Switch", Playback, true, true},
		{"Speaker Playback Volume", Playback, false, true},
		{"Line Out Playback Volume", Playback, false, true},
		{"Playback Volume", Playback, false, true},
		{"Headset Playback Volume", Playback, false, true},
		{"Capture Volume", Capture, false, true},
		{"Capture Switch", Capture, true, true},
		{"Mic Capture Volume", Capture, false, true},
		{"Front Mic Capture Switch", Capture, true, true},
		{"Headset Capture Switch", Capture, true, true},
		{"Mic Playback Volume", 0, false, false},
		{"Front Mic Playback Switch", 0, false, false},
		{"Line Playback Volume", 0, false, false},
		{"Beep Playback Volume", 0, false, false},
		{"PC Speaker Playback Switch", 0, false, false},
		{"Sidetone Playback Volume", 0, false, false},
		{"CD Capture Switch", 0, false, false},
		{"Line Capture Switch", 0, false, false},
		{"Stereo Mix Capture Switch", 0, false, false},
		{"Mic Boost Volume", 0, false, false},
		{"Auto Gain Control", 0, false, false},
		{"Input Source", 0, false, false},
		{" Volume", 0, false, false},
		{"", 0, false, false},
	}
	for i, tt := range tests {
		dir, isSwitch, ok := controlRole(tt.name)
		if ok != tt.ok || ok && (dir != tt.dir || isSwitch != tt.isSwitch) {
			t.Errorf("#%d %q: %v %v %v, want %v %v %v", i, tt.name, dir, isSwitch, ok, tt.dir, tt.isSwitch, tt.ok)
		}
	}
}

func TestPctToRaw(t *testing.T) {
	const big = int64(1) << 62
	tests := []struct {
		pct          int
		lo, hi, step int64
		want         int64
		wantErr      bool
	}{
		{0, 0, 87, 0, 0, false},
		{80, 0, 87, 0, 70, false},
		{100, 0, 87, 0, 87, false},
		{50, 0, 1, 0, 1, false}, // 0.5 rounds up
		{49, 0, 1, 0, 0, false},
		{80, -6400, 0, 100, -1300, false},
		{99, -6400, 0, 100, -100, false}, // -64 rounds to the step
		{100, 0, 10, 3, 9, false},        // 10 is no multiple of 3 above 0
		{50, 5, 5, 0, 5, false},
		{150, 0, 10, 0, 10, false}, // clamped
		{-5, 0, 10, 0, 0, false},
		{100, -big, big, 0, big, false},
		{50, -big, big, 0, 0, false},
		{50, 10, 0, 0, 0, true},
	}
	for i, tt := range tests {
		got, err := pctToRaw(tt.pct, tt.lo, tt.hi, tt.step)
		if (err != nil) != tt.wantErr || !tt.wantErr && got != tt.want {
			t.Errorf("#%d: pctToRaw(%d, %d, %d, %d) = %d, %v; want %d", i, tt.pct, tt.lo, tt.hi, tt.step, got, err, tt.want)
		}
	}
}

func TestControlSetBy(t *testing.T) {
	ctl := newFakeCtl(t, 8, hdaElems()...)
	cs, err := newMixer(ctl, lp64, 0, nil).Controls()
	if err != nil {
		t.Fatal(err)
	}
	var play, capt []string
	for _, c := range cs {
		if c.SetBy(Playback) {
			play = append(play, c.Name)
		}
		if c.SetBy(Capture) {
			capt = append(capt, c.Name)
		}
	}
	wantPlay := []string{"Master Playback Volume", "Master Playback Switch", "Headphone Playback Volume", "Line Out Playback Switch"}
	if !slices.Equal(play, wantPlay) || !slices.Equal(capt, []string{"Capture Volume", "Capture Switch"}) {
		t.Errorf("playback %q, capture %q", play, capt)
	}
	// A switch that is an integer, or a volume that is a boolean, is not
	// touched.
	odd := Control{Name: "Master Playback Switch", Iface: ifaceMixer, Type: typeInteger, Writable: true}
	if odd.SetBy(Playback) {
		t.Error("integer switch")
	}
}
