package board

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"handset/board/gpio"
	"handset/hal"
)

// Keypad scan timing.
const (
	scanPeriod    = 10 * time.Millisecond  // 100 scans a second
	debounceScans = 3                      // a key must read the same 3 scans running
	longPress     = 800 * time.Millisecond // held this long: a long press
)

// Keypad scans a key matrix, plus loose keys such as volume up and down,
// and implements hal.Keypad.
//
// The rows are driven: one row at a time is an output driving low while
// the columns, inputs with pull-ups, are read; a column that reads low has
// a key pressed in that row. Rows not being scanned are pulled-up inputs,
// so two rows are never driven against each other through two keys in one
// column. Loose keys are pulled-up inputs closed to ground.
//
// A key must read the same for 3 scans running (30 ms) to count as pressed
// or released. Each press is reported once, on release: Long is set when
// the key was held 800 ms or more, and no other event is sent for it.
// Without diodes, three keys held at corners of a rectangle also make the
// fourth corner read pressed; every key at a corner of such a rectangle is
// ambiguous and keeps its last state until the rectangle breaks up, so the
// ghost key is never reported.
type Keypad struct {
	log   *slog.Logger
	clk   hal.Clock
	rows  []gpio.Line
	cols  []gpio.Line
	loose []looseKey
	keys  []hal.Key // matrix keys row by row, then the loose keys
	beat  func()

	mu      sync.Mutex
	closed  bool
	timer   hal.Timer
	ch      chan hal.KeyEvent
	raw     []bool // this scan: key reads pressed
	state   []keyState
	failing bool
}

var _ hal.Keypad = (*Keypad)(nil)

// looseKey is a key on a line of its own.
type looseKey struct {
	line gpio.Line
	key  hal.Key
}

// keyState is one key's debounced state.
type keyState struct {
	down  bool
	count int       // scans in a row that read the other state
	since time.Time // when it went down
}

// newKeypad sets the lines up and starts scanning. layout names the keys
// row by row (len(rows)*len(cols) of them). beat, if not nil, is called
// after every scan. The keypad owns the lines from then on.
func newKeypad(rows, cols []gpio.Line, layout string, loose []looseKey, beat func(), log *slog.Logger, clk hal.Clock) (*Keypad, error) {
	if len(layout) != len(rows)*len(cols) {
		return nil, fmt.Errorf("%w: keypad layout %q does not fit %d rows and %d columns", ErrWiring, layout, len(rows), len(cols))
	}
	k := &Keypad{log: log, clk: clk, rows: rows, cols: cols, loose: loose, beat: beat,
		ch: make(chan hal.KeyEvent, 64)}
	for _, r := range layout {
		k.keys = append(k.keys, hal.Key(r))
	}
	for _, lk := range loose {
		k.keys = append(k.keys, lk.key)
	}
	k.raw = make([]bool, len(k.keys))
	k.state = make([]keyState, len(k.keys))
	for _, l := range k.lines() {
		if err := l.Input(gpio.PullUp); err != nil {
			return nil, fmt.Errorf("keypad: %w", err)
		}
	}
	if len(k.keys) > 0 {
		k.mu.Lock()
		k.timer = clk.AfterFunc(scanPeriod, k.tick)
		k.mu.Unlock()
	}
	return k, nil
}

// Keys implements hal.Keypad.
func (k *Keypad) Keys() <-chan hal.KeyEvent { return k.ch }

// Close implements hal.Keypad: it stops scanning, closes the channel and
// releases the lines.
func (k *Keypad) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil
	}
	k.closed = true
	if k.timer != nil {
		k.timer.Stop()
	}
	close(k.ch)
	var errs []error
	for _, l := range k.lines() {
		errs = append(errs, l.Close())
	}
	return errors.Join(errs...)
}

func (k *Keypad) lines() []gpio.Line {
	ls := append(append([]gpio.Line(nil), k.rows...), k.cols...)
	for _, lk := range k.loose {
		ls = append(ls, lk.line)
	}
	return ls
}

func (k *Keypad) tick() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return
	}
	k.timer.Reset(scanPeriod)
	k.scan(k.clk.Now())
}

// scan reads every key once and debounces what it read.
func (k *Keypad) scan(now time.Time) {
	if err := k.read(); err != nil {
		if !k.failing {
			k.log.Error("keypad: scan failed; keys are not read", "err", err)
		}
		k.failing = true
		return
	}
	if k.failing {
		k.log.Info("keypad: scanning again")
		k.failing = false
	}
	nc := len(k.cols)
	matrix := len(k.rows) * nc
	for i := range k.state {
		if i < matrix && k.ambiguous(i/nc, i%nc) {
			k.state[i].count = 0
			continue
		}
		k.debounce(i, k.raw[i], now)
	}
	if k.beat != nil {
		k.beat()
	}
}

// read fills k.raw: true where a key reads pressed.
func (k *Keypad) read() error {
	nc := len(k.cols)
	for r, row := range k.rows {
		if err := row.Output(false); err != nil {
			return err
		}
		for c, col := range k.cols {
			k.raw[r*nc+c] = !col.Read()
		}
		if err := row.Input(gpio.PullUp); err != nil {
			return err
		}
	}
	matrix := len(k.rows) * nc
	for i, lk := range k.loose {
		k.raw[matrix+i] = !lk.line.Read()
	}
	return nil
}

// ambiguous reports whether the key at row r, column c reads pressed and
// is a corner of a rectangle whose other corners read pressed too: then
// any one of the four may be a ghost of the other three.
func (k *Keypad) ambiguous(r, c int) bool {
	nr, nc := len(k.rows), len(k.cols)
	if !k.raw[r*nc+c] {
		return false
	}
	for r2 := range nr {
		if r2 == r || !k.raw[r2*nc+c] {
			continue
		}
		for c2 := range nc {
			if c2 != c && k.raw[r*nc+c2] && k.raw[r2*nc+c2] {
				return true
			}
		}
	}
	return false
}

// debounce feeds key i's reading into its state and reports a completed
// press.
func (k *Keypad) debounce(i int, pressed bool, now time.Time) {
	st := &k.state[i]
	if pressed == st.down {
		st.count = 0
		return
	}
	st.count++
	if st.count < debounceScans {
		return
	}
	st.count = 0
	st.down = pressed
	if pressed {
		st.since = now
		return
	}
	ev := hal.KeyEvent{Key: k.keys[i], Long: now.Sub(st.since) >= longPress, At: now}
	select {
	case k.ch <- ev:
	default:
		k.log.Warn("keypad: key dropped: nobody reads the keypad", "key", string(ev.Key))
	}
}
