package gpiotest

import (
	"sync"

	"handset/board/gpio"
)

// Matrix connects row and column lines through a grid of keys without
// diodes: a pressed key joins its row and its column into one net. A line
// reads the level of its net: low or high if an output on the net drives
// it (low wins a short), else high if any line on the net has a pull-up,
// else low. So three keys held at corners of a rectangle also pull the
// fourth corner's column, as on a real keypad.
type Matrix struct {
	rows, cols []*Line

	mu      sync.Mutex
	pressed [][]bool
}

// NewMatrix wires rows and cols into a keypad with every key up.
func NewMatrix(rows, cols []*Line) *Matrix {
	m := &Matrix{rows: rows, cols: cols, pressed: make([][]bool, len(rows))}
	for r := range m.pressed {
		m.pressed[r] = make([]bool, len(cols))
	}
	for r, l := range rows {
		l.setExt(func() (bool, bool) { return m.netLevel(r) })
	}
	for c, l := range cols {
		l.setExt(func() (bool, bool) { return m.netLevel(len(rows) + c) })
	}
	return m
}

// Press holds the key at row r, column c down.
func (m *Matrix) Press(r, c int) { m.set(r, c, true) }

// Release lets the key at row r, column c up.
func (m *Matrix) Release(r, c int) { m.set(r, c, false) }

func (m *Matrix) set(r, c int, down bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pressed[r][c] = down
}

// netLevel works out the level of the net that node (rows first, then
// columns) belongs to, and whether anything drives it.
func (m *Matrix) netLevel(node int) (level, driven bool) {
	m.mu.Lock()
	nr, nc := len(m.rows), len(m.cols)
	seen := make([]bool, nr+nc)
	seen[node] = true
	queue := []int{node}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for other := range nr + nc {
			if seen[other] || !m.joined(n, other) {
				continue
			}
			seen[other] = true
			queue = append(queue, other)
		}
	}
	m.mu.Unlock()

	driveLow, driveHigh, pullUp := false, false, false
	for n, in := range seen {
		if !in {
			continue
		}
		l := m.line(n)
		out, high, bias := l.state()
		switch {
		case out && high:
			driveHigh = true
		case out:
			driveLow = true
		case bias == gpio.PullUp:
			pullUp = true
		}
	}
	switch {
	case driveLow:
		return false, true
	case driveHigh:
		return true, true
	}
	return pullUp, pullUp
}

// joined reports whether a pressed key connects nodes a and b.
func (m *Matrix) joined(a, b int) bool {
	nr := len(m.rows)
	if a >= nr {
		a, b = b, a
	}
	if a >= nr || b < nr {
		return false // two rows or two columns never touch directly
	}
	return m.pressed[a][b-nr]
}

func (m *Matrix) line(node int) *Line {
	if node < len(m.rows) {
		return m.rows[node]
	}
	return m.cols[node-len(m.rows)]
}
