package board

import (
	"bytes"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"handset/board/gpio/gpiotest"
	"handset/hal"
	"handset/hal/haltest"
)

// logBuf is a logger whose output a test can read.
type logBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newLog() (*slog.Logger, *logBuf) {
	b := &logBuf{}
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

func newClock() *haltest.Clock { return haltest.NewClock(time.Unix(1_700_000_000, 0)) }

func fakeLines(prefix string, n int) []*gpiotest.Line {
	ls := make([]*gpiotest.Line, n)
	for i := range ls {
		ls[i] = gpiotest.NewLine(fmt.Sprintf("%s%d", prefix, i))
	}
	return ls
}

// keysOf drains the keys sent so far.
func keysOf(t *testing.T, ch <-chan hal.KeyEvent) []hal.KeyEvent {
	t.Helper()
	var evs []hal.KeyEvent
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return evs
			}
			evs = append(evs, ev)
		default:
			return evs
		}
	}
}

// hookEventsOf drains the hook events sent so far.
func hookEventsOf(t *testing.T, ch <-chan hal.HookEvent) []hal.HookEvent {
	t.Helper()
	var evs []hal.HookEvent
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return evs
			}
			evs = append(evs, ev)
		default:
			return evs
		}
	}
}

// keyString renders events compactly: "5", "5L" for a long press.
func keyString(evs []hal.KeyEvent) string {
	s := ""
	for _, ev := range evs {
		s += string(ev.Key)
		if ev.Long {
			s += "L"
		}
		s += " "
	}
	return s
}
