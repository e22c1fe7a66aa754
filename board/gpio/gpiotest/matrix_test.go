package gpiotest

import (
	"errors"
	"fmt"
	"testing"

	"handset/board/gpio"
	"handset/config"
)

func lines(prefix string, n int) []*Line {
	ls := make([]*Line, n)
	for i := range ls {
		ls[i] = NewLine(fmt.Sprintf("%s%d", prefix, i))
	}
	return ls
}

// scan drives each row low in turn, with the others as pulled-up inputs,
// and returns which columns read low.
func scan(t *testing.T, rows, cols []*Line) [][]bool {
	t.Helper()
	for _, c := range cols {
		if err := c.Input(gpio.PullUp); err != nil {
			t.Fatal(err)
		}
	}
	got := make([][]bool, len(rows))
	for r, row := range rows {
		for _, other := range rows {
			if err := other.Input(gpio.PullUp); err != nil {
				t.Fatal(err)
			}
		}
		if err := row.Output(false); err != nil {
			t.Fatal(err)
		}
		got[r] = make([]bool, len(cols))
		for c, col := range cols {
			got[r][c] = !col.Read()
		}
	}
	return got
}

func TestMatrixPhysics(t *testing.T) {
	tests := []struct {
		name  string
		press [][2]int
		want  [][2]int
	}{
		{"none", nil, nil},
		{"one", [][2]int{{1, 2}}, [][2]int{{1, 2}}},
		{"two in a row", [][2]int{{0, 0}, {0, 1}}, [][2]int{{0, 0}, {0, 1}}},
		{"two diagonal", [][2]int{{0, 0}, {1, 1}}, [][2]int{{0, 0}, {1, 1}}},
		{"rectangle ghost", [][2]int{{0, 0}, {0, 2}, {3, 0}}, [][2]int{{0, 0}, {0, 2}, {3, 0}, {3, 2}}},
	}
	for _, tc := range tests {
		rows, cols := lines("ROW", 4), lines("COL", 3)
		m := NewMatrix(rows, cols)
		for _, k := range tc.press {
			m.Press(k[0], k[1])
		}
		got := scan(t, rows, cols)
		want := make(map[[2]int]bool)
		for _, k := range tc.want {
			want[k] = true
		}
		for r := range got {
			for c := range got[r] {
				if got[r][c] != want[[2]int{r, c}] {
					t.Errorf("%s: key %d,%d reads %v", tc.name, r, c, got[r][c])
				}
			}
		}
	}
}

func TestLineLevels(t *testing.T) {
	l := NewLine("HOOK")
	if err := l.Input(gpio.PullUp); err != nil {
		t.Fatal(err)
	}
	if !l.Read() {
		t.Fatal("pulled-up input with nothing connected reads low")
	}
	l.Drive(false)
	if l.Read() {
		t.Fatal("input driven low reads high")
	}
	l.Float()
	if !l.Read() {
		t.Fatal("floated input does not read its pull-up")
	}
}

func TestBankTakeAndRelease(t *testing.T) {
	hook := config.Pin{Chip: "pinctrl-emu", Name: "HOOK"}
	b := NewBank(hook)
	if _, err := b.Take(config.Pin{Name: "NOPE"}); !errors.Is(err, gpio.ErrNoLine) {
		t.Fatalf("missing line: %v", err)
	}
	l, err := b.Take(hook)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Take(hook); !errors.Is(err, gpio.ErrBusy) {
		t.Fatalf("second take: %v", err)
	}
	if got := b.Held(); len(got) != 1 || got[0] != "pinctrl-emu:HOOK" {
		t.Fatalf("held %v", got)
	}
	l.Close()
	if got := b.Held(); len(got) != 0 {
		t.Fatalf("held after close %v", got)
	}
	if _, err := b.Take(hook); err != nil {
		t.Fatalf("take after close: %v", err)
	}
}
