package board

import (
	"errors"
	"testing"

	"handset/board/gpio/gpiotest"
	"handset/config"
)

func TestBellPolarity(t *testing.T) {
	for _, active := range []config.Active{config.ActiveHigh, config.ActiveLow} {
		l := gpiotest.NewLine("RINGER")
		b, err := newBell(l, active)
		if err != nil {
			t.Fatal(err)
		}
		ringing := func() bool { return l.Level() == (active == config.ActiveHigh) }
		if !l.IsOutput() || ringing() {
			t.Fatalf("%s: not a silent output after open", active)
		}
		if err := b.SetBell(true); err != nil || !ringing() {
			t.Fatalf("%s: SetBell(true): %v, ringing %v", active, err, ringing())
		}
		if err := b.SetBell(false); err != nil || ringing() {
			t.Fatalf("%s: SetBell(false): %v, ringing %v", active, err, ringing())
		}
		if err := b.SetBell(true); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if !l.Closed() {
			t.Fatalf("%s: line not released", active)
		}
		if err := b.SetBell(true); !errors.Is(err, ErrClosed) {
			t.Fatalf("%s: SetBell after Close: %v", active, err)
		}
	}
}

func TestBellSilencedOnClose(t *testing.T) {
	l := gpiotest.NewLine("RINGER")
	b, err := newBell(l, config.ActiveHigh)
	if err != nil {
		t.Fatal(err)
	}
	b.SetBell(true)
	writes := l.Writes()
	b.Close()
	if l.Writes() != writes+1 {
		t.Fatal("Close did not switch the bell off before releasing the line")
	}
}

func TestBellWithoutRinger(t *testing.T) {
	b, err := newBell(nil, config.ActiveHigh)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SetBell(true); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestBellWriteError(t *testing.T) {
	l := gpiotest.NewLine("RINGER")
	b, err := newBell(l, config.ActiveHigh)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	l.Fail(boom)
	if err := b.SetBell(true); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
}
