package console

import (
	"encoding/json"
	"io"
	"sync"
	"time"

	"handset/hal"
)

// Printer writes one JSON object per line: {"time": …, "event": kind, …fields}.
// It is safe for concurrent use.
type Printer struct {
	mu  sync.Mutex
	w   io.Writer
	clk hal.Clock
	eol string
}

// NewPrinter prints to w with timestamps from clk.
func NewPrinter(w io.Writer, clk hal.Clock) *Printer {
	return &Printer{w: w, clk: clk, eol: "\n"}
}

// SetRaw ends lines with CR LF, for a terminal in raw mode.
func (p *Printer) SetRaw(raw bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.eol = "\n"
	if raw {
		p.eol = "\r\n"
	}
}

// Print writes one event. fields must marshal to a JSON object (a struct or
// map) or be nil; its keys join "time" and "event".
func (p *Printer) Print(kind string, fields any) {
	obj := map[string]any{}
	if fields != nil {
		b, err := json.Marshal(fields)
		if err == nil {
			err = json.Unmarshal(b, &obj)
		}
		if err != nil {
			obj = map[string]any{"error": "unprintable event: " + err.Error()}
		}
	}
	obj["event"] = kind
	obj["time"] = p.clk.Now().UTC().Format(time.RFC3339Nano)
	b, err := json.Marshal(obj)
	if err != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.w.Write(append(b, p.eol...))
}
