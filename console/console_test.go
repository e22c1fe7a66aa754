package console

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"handset/hal"
	"handset/hal/haltest"
)

type fakePanel struct {
	log []string
	off bool
}

func (f *fakePanel) Lift() error  { f.off = true; f.log = append(f.log, "lift"); return nil }
func (f *fakePanel) Hang() error  { f.off = false; f.log = append(f.log, "hang"); return nil }
func (f *fakePanel) Flash() error { f.log = append(f.log, "flash"); return nil }
func (f *fakePanel) Press(k hal.Key, long bool) error {
	s := "press " + string(rune(k))
	if long {
		s += " long"
	}
	f.log = append(f.log, s)
	return nil
}

func TestExec(t *testing.T) {
	tests := []struct {
		line    string
		want    []string
		wantErr string
	}{
		{"offhook", []string{"lift"}, ""},
		{"  ONHOOK ", []string{"hang"}, ""},
		{"flash", []string{"flash"}, ""},
		{"press 5", []string{"press 5"}, ""},
		{"press 2 long", []string{"press 2 long"}, ""},
		{"press r", []string{"press R"}, ""},
		{"dial 1002#", []string{"press 1", "press 0", "press 0", "press 2", "press #"}, ""},
		{"", nil, ""},
		{"# a comment", nil, ""},
		{"press", nil, "press: want a key"},
		{"press 55", nil, "not one key"},
		{"press x", nil, "not a key"},
		{"press 5 short", nil, "press: want a key"},
		{"dial 10x2", nil, "is not a key"},
		{"dial", nil, "want 1 argument"},
		{"offhook now", nil, "want 0 argument"},
		{"ring", nil, "unknown command"},
	}
	for i, tc := range tests {
		p := &fakePanel{}
		err := Exec(p, tc.line)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Fatalf("#%d %q: err %v, want %q", i, tc.line, err, tc.wantErr)
		}
		if strings.Join(p.log, ",") != strings.Join(tc.want, ",") {
			t.Fatalf("#%d %q: did %v, want %v", i, tc.line, p.log, tc.want)
		}
	}
	if err := Exec(&fakePanel{}, "quit"); !errors.Is(err, ErrQuit) {
		t.Fatalf("quit: %v", err)
	}
}

func TestReadLinesReportsErrorsAndGoesOn(t *testing.T) {
	var out bytes.Buffer
	pr := NewPrinter(&out, haltest.NewClock(time.Unix(10, 0)))
	p := &fakePanel{}
	in := strings.NewReader("offhook\nbogus\ndial 12\nquit\nonhook\n")
	if err := ReadLines(context.Background(), in, p, pr); !errors.Is(err, ErrQuit) {
		t.Fatalf("ReadLines: %v, want ErrQuit", err)
	}
	if got := strings.Join(p.log, ","); got != "lift,press 1,press 2" {
		t.Fatalf("did %s", got)
	}
	var ev map[string]string
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &ev); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	if ev["event"] != "error" || ev["command"] != "bogus" || ev["time"] != "1970-01-01T00:00:10Z" {
		t.Fatalf("event %v", ev)
	}
}

func TestReadKeys(t *testing.T) {
	p := &fakePanel{}
	pr := NewPrinter(&bytes.Buffer{}, haltest.NewClock(time.Unix(0, 0)))
	err := ReadKeys(context.Background(), strings.NewReader(" 12#f rzq5"), p, func() bool { return p.off }, pr)
	if !errors.Is(err, ErrQuit) {
		t.Fatalf("ReadKeys: %v", err)
	}
	want := "lift,press 1,press 2,press #,flash,hang,press R"
	if got := strings.Join(p.log, ","); got != want {
		t.Fatalf("did %s, want %s", got, want)
	}
}

func TestPrinterMergesFields(t *testing.T) {
	var out bytes.Buffer
	pr := NewPrinter(&out, haltest.NewClock(time.Unix(0, 0)))
	pr.Print("state", struct {
		From string `json:"from"`
		To   string `json:"to"`
	}{"idle", "dial-tone"})
	pr.SetRaw(true)
	pr.Print("ring", nil)
	lines := strings.Split(out.String(), "\n")
	if !strings.Contains(lines[0], `"from":"idle"`) || !strings.Contains(lines[0], `"event":"state"`) {
		t.Fatalf("line 1: %s", lines[0])
	}
	if !strings.HasSuffix(lines[1], "\r") {
		t.Fatalf("raw line not CRLF: %q", lines[1])
	}
}
