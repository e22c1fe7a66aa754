package callcontrol

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"handset/hal"
	"handset/mediapath"
	"handset/mediapath/tone"
	"handset/sipstack"
)

// recorder is a goroutine-safe list of strings; take returns what was
// recorded since the last take.
type recorder struct {
	mu   sync.Mutex
	all  []string
	seen int
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all = append(r.all, fmt.Sprintf(format, args...))
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]string(nil), r.all[r.seen:]...)
	r.seen = len(r.all)
	return out
}

// fakeSIP records the verbs call control uses; tests feed events into ch.
type fakeSIP struct {
	rec     recorder
	ch      chan sipstack.Event
	mu      sync.Mutex
	n       int
	dialErr error
	fail    map[string]error // verb ("ring", "answer", …) → error it returns
}

func (f *fakeSIP) err(verb string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fail[verb]
}

func (f *fakeSIP) Dial(target string, offer []byte) (string, error) {
	f.rec.add("dial %s %s", target, offer)
	if f.dialErr != nil {
		return "", f.dialErr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	return fmt.Sprintf("out-%d", f.n), nil
}

func (f *fakeSIP) Ring(id string) error { f.rec.add("ring %s", id); return f.err("ring") }

func (f *fakeSIP) Answer(id string, sdp []byte) error {
	f.rec.add("answer %s %s", id, sdp)
	return f.err("answer")
}

func (f *fakeSIP) Reject(id string, code int) error {
	f.rec.add("reject %s %d", id, code)
	return f.err("reject")
}

func (f *fakeSIP) Hangup(id string) error { f.rec.add("hangup %s", id); return f.err("hangup") }

func (f *fakeSIP) Events() <-chan sipstack.Event { return f.ch }

var errNoCodec = errors.New("fake: no common codec")

// fakeStream answers offers with "answer:<offer>"; an offer or answer
// containing "nocodec" fails.
type fakeStream struct {
	name  string
	media *fakeMedia
}

func (s *fakeStream) Offer() ([]byte, error) { return []byte("offer:" + s.name), nil }

func (s *fakeStream) AcceptOffer(offer []byte) ([]byte, error) {
	s.media.rec.add("accept-offer %s %s", s.name, offer)
	if strings.Contains(string(offer), "nocodec") {
		return nil, fmt.Errorf("negotiate: %w", errNoCodec)
	}
	return []byte("answer:" + string(offer)), nil
}

func (s *fakeStream) AcceptAnswer(answer []byte) error {
	s.media.rec.add("accept-answer %s %s", s.name, answer)
	if strings.Contains(string(answer), "nocodec") {
		return fmt.Errorf("negotiate: %w", errNoCodec)
	}
	return nil
}

func (s *fakeStream) Close() error { s.media.rec.add("close %s", s.name); return s.media.err("close") }

// fakeMedia records tones apart from everything else (streams, attach,
// key tones, DTMF).
type fakeMedia struct {
	tones recorder
	rec   recorder
	mu    sync.Mutex
	n     int
	stats mediapath.Stats
	fail  map[string]error // "new", "attach", "close" → error returned
}

func (m *fakeMedia) err(op string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.fail[op]
}

func (m *fakeMedia) PlayTone(k tone.Kind)  { m.tones.add("%s", k) }
func (m *fakeMedia) PlayKeyTone(k hal.Key) { m.rec.add("key %c", k) }
func (m *fakeMedia) SendDTMF(k hal.Key)    { m.rec.add("dtmf %c", k) }
func (m *fakeMedia) Detach()               { m.rec.add("detach") }
func (m *fakeMedia) Stats() mediapath.Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stats
}

func (m *fakeMedia) NewStream() (Stream, error) {
	if err := m.err("new"); err != nil {
		m.rec.add("new failed")
		return nil, err
	}
	m.mu.Lock()
	m.n++
	s := &fakeStream{name: fmt.Sprintf("s%d", m.n), media: m}
	m.mu.Unlock()
	m.rec.add("new %s", s.name)
	return s, nil
}

func (m *fakeMedia) Attach(s Stream) error {
	m.rec.add("attach %s", s.(*fakeStream).name)
	return m.err("attach")
}

// fakeHook and fakeKeypad hand out unbuffered channels the harness sends on.
type fakeHook struct{ ch chan hal.HookEvent }

func (f fakeHook) Events() <-chan hal.HookEvent { return f.ch }
func (f fakeHook) OffHook() bool                { return false }
func (f fakeHook) Close() error                 { return nil }

type fakeKeypad struct{ ch chan hal.KeyEvent }

func (f fakeKeypad) Keys() <-chan hal.KeyEvent { return f.ch }
func (f fakeKeypad) Close() error              { return nil }

// fakeBell records "on@<time since start>" / "off@…".
type fakeBell struct {
	rec   recorder
	clock hal.Clock
	start time.Time
	err   error // returned by SetBell (after recording)
}

func (b *fakeBell) SetBell(on bool) error {
	state := "off"
	if on {
		state = "on"
	}
	b.rec.add("%s@%v", state, b.clock.Now().Sub(b.start))
	return b.err
}

// fakeLamps keeps each LED's current pattern.
type fakeLamps struct {
	mu  sync.Mutex
	now map[hal.LED]hal.LEDPattern
	err error // returned by SetLED (after recording)
}

func (l *fakeLamps) SetLED(led hal.LED, p hal.LEDPattern) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.now[led] = p
	return l.err
}

func (l *fakeLamps) get(led hal.LED) hal.LEDPattern {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.now[led]
}

// eventLog collects what the phone notifies.
type eventLog struct {
	mu  sync.Mutex
	all []Event
}

func (e *eventLog) add(ev Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
}

// eventsOf returns the events of type T notified so far.
func eventsOf[T Event](h *harness) []T {
	h.events.mu.Lock()
	defer h.events.mu.Unlock()
	var out []T
	for _, ev := range h.events.all {
		if x, ok := ev.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

// syncWriter makes a bytes buffer safe for the logger and the test.
type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
