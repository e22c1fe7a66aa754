package board

import (
	"errors"
	"strings"
	"testing"
	"time"

	"handset/board/gpio"
	"handset/board/gpio/gpiotest"
	"handset/hal"
	"handset/hal/haltest"
)

// testPad is a keypad on fake lines wired through a diode-less matrix.
type testPad struct {
	k          *Keypad
	m          *gpiotest.Matrix
	clk        *haltest.Clock
	rows, cols []*gpiotest.Line
	loose      []*gpiotest.Line
	log        *logBuf
	beats      int
}

func newTestPad(t *testing.T, layout string, ncols int, loose ...hal.Key) *testPad {
	t.Helper()
	p := &testPad{clk: newClock(), rows: fakeLines("ROW", 4), cols: fakeLines("COL", ncols)}
	p.m = gpiotest.NewMatrix(p.rows, p.cols)
	var lk []looseKey
	for _, key := range loose {
		l := gpiotest.NewLine("KEY" + string(key))
		p.loose = append(p.loose, l)
		lk = append(lk, looseKey{l, key})
	}
	log, buf := newLog()
	p.log = buf
	var err error
	p.k, err = newKeypad(asLines(p.rows), asLines(p.cols), layout, lk, func() { p.beats++ }, log, p.clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.k.Close() })
	return p
}

func asLines(ls []*gpiotest.Line) []gpio.Line {
	out := make([]gpio.Line, len(ls))
	for i, l := range ls {
		out[i] = l
	}
	return out
}

// scans runs n keypad scans.
func (p *testPad) scans(n int) { p.clk.Advance(time.Duration(n) * scanPeriod) }

// tap holds the key at r, c for held and lets it go for 100 ms.
func (p *testPad) tap(r, c int, held time.Duration) {
	p.m.Press(r, c)
	p.clk.Advance(held)
	p.m.Release(r, c)
	p.clk.Advance(100 * time.Millisecond)
}

func TestKeypadOneEventPerPress(t *testing.T) {
	p := newTestPad(t, Layout4x3, 3)
	p.tap(1, 1, 200*time.Millisecond)
	evs := keysOf(t, p.k.Keys())
	if len(evs) != 1 || evs[0].Key != '5' || evs[0].Long {
		t.Fatalf("events %q, want one short 5", keyString(evs))
	}
	if !evs[0].At.After(p.clk.Now().Add(-100 * time.Millisecond)) {
		t.Errorf("event at %v: want the release time", evs[0].At)
	}
	p.tap(3, 0, 50*time.Millisecond)
	p.tap(3, 1, 50*time.Millisecond)
	p.tap(3, 2, 50*time.Millisecond)
	if got := keyString(keysOf(t, p.k.Keys())); got != "* 0 # " {
		t.Fatalf("events %q, want * 0 #", got)
	}
	if p.beats < 50 {
		t.Errorf("%d liveness beats in over 500 ms of scanning", p.beats)
	}
}

func TestKeypadHeldKeyDoesNotRepeat(t *testing.T) {
	p := newTestPad(t, Layout4x3, 3)
	p.m.Press(0, 2)
	p.clk.Advance(5 * time.Second)
	if evs := keysOf(t, p.k.Keys()); len(evs) != 0 {
		t.Fatalf("events while held: %q", keyString(evs))
	}
	p.m.Release(0, 2)
	p.clk.Advance(100 * time.Millisecond)
	if got := keyString(keysOf(t, p.k.Keys())); got != "3L " {
		t.Fatalf("events %q, want one long 3", got)
	}
}

func TestKeypadDebounce(t *testing.T) {
	p := newTestPad(t, Layout4x3, 3)
	// Chatter: the contact makes and breaks every scan. Never 3 scans alike.
	for range 20 {
		p.m.Press(2, 2)
		p.scans(1)
		p.m.Release(2, 2)
		p.scans(1)
	}
	// Down for 2 scans only.
	p.m.Press(2, 2)
	p.scans(2)
	p.m.Release(2, 2)
	p.scans(10)
	if evs := keysOf(t, p.k.Keys()); len(evs) != 0 {
		t.Fatalf("bounces reported: %q", keyString(evs))
	}
	// A press with chatter at both ends is still one press.
	for _, down := range []bool{true, false, true, false, true} {
		if down {
			p.m.Press(2, 2)
		} else {
			p.m.Release(2, 2)
		}
		p.scans(1)
	}
	p.scans(5)
	for _, down := range []bool{false, true, false} {
		if down {
			p.m.Press(2, 2)
		} else {
			p.m.Release(2, 2)
		}
		p.scans(1)
	}
	p.scans(5)
	// Down for exactly 3 scans is a press.
	p.m.Press(2, 2)
	p.scans(debounceScans)
	p.m.Release(2, 2)
	p.scans(10)
	if got := keyString(keysOf(t, p.k.Keys())); got != "9 9 " {
		t.Fatalf("events %q, want 9 twice", got)
	}
}

func TestKeypadLongPress(t *testing.T) {
	tests := []struct {
		held time.Duration
		want string
	}{
		{100 * time.Millisecond, "1 "},
		{700 * time.Millisecond, "1 "},
		{longPress + 50*time.Millisecond, "1L "},
		{3 * time.Second, "1L "},
	}
	for i, tc := range tests {
		p := newTestPad(t, Layout4x3, 3)
		p.tap(0, 0, tc.held)
		if got := keyString(keysOf(t, p.k.Keys())); got != tc.want {
			t.Errorf("#%d held %v: events %q, want %q", i, tc.held, got, tc.want)
		}
	}
}

func TestKeypadTwoKeysNoGhost(t *testing.T) {
	tests := []struct {
		name string
		keys [][2]int
		want string // in release order
	}{
		{"same row", [][2]int{{0, 0}, {0, 1}}, "1 2 "},
		{"same column", [][2]int{{0, 0}, {1, 0}}, "1 4 "},
		{"diagonal", [][2]int{{0, 0}, {1, 1}}, "1 5 "},
		{"three on a diagonal", [][2]int{{0, 0}, {1, 1}, {2, 2}}, "1 5 9 "},
	}
	for _, tc := range tests {
		p := newTestPad(t, Layout4x3, 3)
		for _, k := range tc.keys {
			p.m.Press(k[0], k[1])
			p.scans(5)
		}
		p.scans(20)
		for _, k := range tc.keys {
			p.m.Release(k[0], k[1])
			p.scans(5)
		}
		p.scans(10)
		if got := keyString(keysOf(t, p.k.Keys())); got != tc.want {
			t.Errorf("%s: events %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestKeypadRectangleGhostSuppressed(t *testing.T) {
	p := newTestPad(t, Layout4x4, 4)
	// 1, 2 and 4 held make 5 read pressed as well.
	p.m.Press(0, 0)
	p.m.Press(0, 1)
	p.scans(5)
	p.m.Press(1, 0)
	p.scans(50)
	// Let 4 go: the rectangle breaks up, 1 and 2 are still held.
	p.m.Release(1, 0)
	p.scans(5)
	if evs := keysOf(t, p.k.Keys()); len(evs) != 0 {
		t.Fatalf("events while keys held: %q", keyString(evs))
	}
	p.m.Release(0, 0)
	p.scans(5)
	p.m.Release(0, 1)
	p.scans(5)
	if got := keyString(keysOf(t, p.k.Keys())); got != "1 2 " {
		t.Fatalf("events %q, want 1 2 (no ghost 5, no ambiguous 4)", got)
	}
	// Afterwards the keypad works as before.
	p.tap(1, 1, 100*time.Millisecond)
	if got := keyString(keysOf(t, p.k.Keys())); got != "5 " {
		t.Fatalf("events %q, want 5", got)
	}
}

func TestKeypadLayout4x4(t *testing.T) {
	p := newTestPad(t, Layout4x4, 4)
	for _, k := range [][2]int{{0, 3}, {1, 3}, {2, 3}, {3, 3}, {3, 0}, {3, 2}} {
		p.tap(k[0], k[1], 50*time.Millisecond)
	}
	if got := keyString(keysOf(t, p.k.Keys())); got != "A B C D * # " {
		t.Fatalf("events %q", got)
	}
}

func TestKeypadVolumeKeys(t *testing.T) {
	p := newTestPad(t, Layout4x3, 3, hal.KeyVolumeUp, hal.KeyVolumeDown)
	up, down := p.loose[0], p.loose[1]
	if up.Bias() != gpio.PullUp || down.Bias() != gpio.PullUp {
		t.Fatal("volume keys without pull-ups")
	}
	up.Drive(false) // the key closes to ground
	p.clk.Advance(100 * time.Millisecond)
	up.Float()
	p.clk.Advance(100 * time.Millisecond)
	down.Drive(false)
	p.clk.Advance(time.Second)
	down.Float()
	p.clk.Advance(100 * time.Millisecond)
	if got := keyString(keysOf(t, p.k.Keys())); got != "+ -L " {
		t.Fatalf("events %q, want + and a long -", got)
	}
}

func TestKeypadLinesBetweenScans(t *testing.T) {
	p := newTestPad(t, Layout4x3, 3)
	p.scans(3)
	for _, l := range append(p.rows, p.cols...) {
		if l.IsOutput() || l.Bias() != gpio.PullUp {
			t.Errorf("%s between scans: output %v, bias %v; want a pulled-up input", l, l.IsOutput(), l.Bias())
		}
	}
	if w := p.rows[2].Writes(); w != 3 {
		t.Errorf("row driven %d times in 3 scans", w)
	}
}

func TestKeypadScanFailure(t *testing.T) {
	p := newTestPad(t, Layout4x3, 3)
	p.rows[1].Fail(errors.New("gone"))
	p.m.Press(0, 0)
	p.scans(20)
	p.m.Release(0, 0)
	p.scans(20)
	if evs := keysOf(t, p.k.Keys()); len(evs) != 0 {
		t.Fatalf("events while the scan fails: %q", keyString(evs))
	}
	if n := strings.Count(p.log.String(), "scan failed"); n != 1 {
		t.Fatalf("scan failure logged %d times, want once", n)
	}
	p.rows[1].Fail(nil)
	p.tap(0, 0, 100*time.Millisecond)
	if got := keyString(keysOf(t, p.k.Keys())); got != "1 " {
		t.Fatalf("events after recovery %q", got)
	}
}

func TestKeypadClose(t *testing.T) {
	p := newTestPad(t, Layout4x3, 3, hal.KeyVolumeUp)
	p.scans(2)
	if err := p.k.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-p.k.Keys(); ok {
		t.Fatal("channel open after Close")
	}
	for _, l := range append(append(p.rows, p.cols...), p.loose...) {
		if !l.Closed() {
			t.Errorf("%s not released", l)
		}
	}
	if n := p.clk.Pending(); n != 0 {
		t.Fatalf("%d timers left", n)
	}
	if err := p.k.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
}

func TestKeypadBadLayout(t *testing.T) {
	log, _ := newLog()
	_, err := newKeypad(asLines(fakeLines("R", 4)), asLines(fakeLines("C", 3)), Layout4x4, nil, nil, log, newClock())
	if !errors.Is(err, ErrWiring) {
		t.Fatalf("err %v, want ErrWiring", err)
	}
}
