package dialplan

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxTimer bounds every timer a map may set.
const maxTimer = time.Hour

// Parse reads a digit map. A syntax error is a *SyntaxError naming the
// column and what was expected, e.g. `dialplan: col 7: unclosed "["`.
func Parse(s string) (*Map, error) {
	p := &parser{src: s}
	m := &Map{short: DefaultShort, long: DefaultLong}
	if err := p.options(m); err != nil {
		return nil, err
	}
	if p.peek() == 0 {
		return nil, p.errAt(p.pos, "expected a rule")
	}
	open := -1
	if p.peek() == '(' {
		open = p.pos
		p.pos++
	}
	for {
		if open >= 0 && p.peek() == 0 {
			return nil, p.errAt(open, `unclosed "("`)
		}
		r, err := p.rule()
		if err != nil {
			return nil, err
		}
		m.rules = append(m.rules, r)
		at := p.pos
		switch c := p.peek(); {
		case c == '|':
			p.pos++
			continue
		case c == ')' && open < 0:
			return nil, p.errAt(at, `unexpected ")" without "("`)
		case c == ')':
			p.pos++
			if p.peek() != 0 {
				return nil, p.errAt(p.pos, "unexpected %s after the closing \")\"", p.quote())
			}
		case open >= 0: // c == 0
			return nil, p.errAt(open, `unclosed "("`)
		}
		return m, nil
	}
}

// parser walks the source of one digit map.
type parser struct {
	src string
	pos int // byte offset of the next character
}

// peek skips whitespace and returns the next byte, or 0 at the end.
func (p *parser) peek() byte {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
			continue
		}
		return p.src[p.pos]
	}
	return 0
}

// quote returns the character at p.pos, quoted for an error message.
func (p *parser) quote() string {
	if p.pos >= len(p.src) {
		return "end of map"
	}
	r, size := utf8.DecodeRuneInString(p.src[p.pos:])
	if r == utf8.RuneError && size == 1 {
		return fmt.Sprintf("byte %#x", p.src[p.pos])
	}
	return strconv.Quote(string(r))
}

// errAt returns a *SyntaxError for the character at byte offset pos.
func (p *parser) errAt(pos int, format string, args ...any) error {
	return &SyntaxError{
		Col: utf8.RuneCountInString(p.src[:pos]) + 1,
		Msg: fmt.Sprintf(format, args...),
	}
}

// options reads the optional "L:n," and "S:n," prefixes, in either order.
func (p *parser) options(m *Map) error {
	for {
		c := p.peek()
		if c != 'L' && c != 'S' {
			return nil
		}
		at := p.pos
		p.pos++
		if p.peek() != ':' {
			p.pos = at // an "S<n>" that starts the first rule
			return nil
		}
		p.pos++
		d, err := p.seconds(c)
		if err != nil {
			return err
		}
		if c == 'L' {
			if m.setLong {
				return p.errAt(at, `second "L:" timer`)
			}
			m.long, m.setLong = d, true
		} else {
			if m.setShort {
				return p.errAt(at, `second "S:" timer`)
			}
			m.short, m.setShort = d, true
		}
		if p.peek() != ',' {
			return p.errAt(p.pos, `expected "," after the "%c:" timer, found %s`, c, p.quote())
		}
		p.pos++
	}
}

// seconds reads a timer value in seconds ("4", "1.5") written after the
// letter what.
func (p *parser) seconds(what byte) (time.Duration, error) {
	p.peek()
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == start {
		return 0, p.errAt(p.pos, `expected a number of seconds after "%c", found %s`, what, p.quote())
	}
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		p.pos++
		frac := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		if p.pos == frac {
			return 0, p.errAt(p.pos, `expected a digit after "." in the "%c" timer, found %s`, what, p.quote())
		}
	}
	v, err := strconv.ParseFloat(p.src[start:p.pos], 64)
	if err != nil || v > maxTimer.Seconds() {
		return 0, p.errAt(start, `"%c" timer over %s s`, what, formatSeconds(maxTimer))
	}
	return time.Duration(math.Round(v * float64(time.Second))), nil
}

// rule reads one rule, up to but not including "|", ")" or the end.
func (p *parser) rule() (rule, error) {
	var (
		r       rule
		text    strings.Builder
		start   = -1 // offset of the rule's first character
		pAt     = -1 // offset of its "P", if any
		ended   = "" // the "S<n>" or "!" that closed the rule, if any
		lead    = "" // the "S<n>" that opened the rule, if any
		started bool // a key, set, rewrite or "," has been seen
		repeat  = -1 // index of the element a "." would repeat, or -1
	)
	for {
		c := p.peek()
		at := p.pos
		if c == 0 || c == '|' || c == ')' {
			break
		}
		if start < 0 {
			start = at
		}
		if ended != "" && c != 'S' && c != '!' {
			return r, p.errAt(at, `unexpected %s after %q: expected "|", ")" or the end`, p.quote(), ended)
		}
		switch {
		case c == 'P':
			if started || r.hasShort || r.hasPause {
				return r, p.errAt(at, `"P" may only start a rule`)
			}
			p.pos++
			d, err := p.seconds('P')
			if err != nil {
				return r, err
			}
			r.pause, r.hasPause, pAt = d, true, at
			text.WriteString("P" + formatSeconds(d))
		case c == 'S':
			if r.hasShort {
				return r, p.errAt(at, `second "S" timer in one rule`)
			}
			if r.hasPause {
				return r, p.errAt(at, `a "P" rule takes no "S" timer`)
			}
			p.pos++
			d, err := p.seconds('S')
			if err != nil {
				return r, err
			}
			r.short, r.hasShort = d, true
			if !started {
				lead = "S" + formatSeconds(d)
				break
			}
			ended = "S" + formatSeconds(d)
			text.WriteString(ended)
		case c == '!':
			if r.barred {
				return r, p.errAt(at, `second "!" in one rule`)
			}
			p.pos++
			r.barred, ended = true, "!"
			text.WriteByte('!')
		case c == '.':
			if repeat < 0 {
				return r, p.errAt(at, `"." has nothing to repeat: expected a key, "x" or "[...]" before it`)
			}
			p.pos++
			r.elems[repeat].star, repeat = true, -1
			text.WriteByte('.')
		case c == ',':
			p.pos++
			started, repeat = true, -1
			text.WriteByte(',')
		case c == '<':
			from, to, err := p.rewrite()
			if err != nil {
				return r, err
			}
			started, repeat = true, -1
			text.WriteString("<" + from + ":" + to + ">")
			if from == "" {
				r.elems = append(r.elems, elem{emit: to})
				break
			}
			for i := 0; i < len(from); i++ {
				e := elem{set: 1 << keyIndex(from[i])}
				if i == 0 {
					e.emit = to
				}
				r.elems = append(r.elems, e)
			}
		case c == '[':
			set, err := p.set()
			if err != nil {
				return r, err
			}
			started, repeat = true, len(r.elems)
			r.elems = append(r.elems, elem{set: set, keep: true})
			text.WriteString(formatSet(set))
		case c == 'x' || c == 'X' || keyIndex(c) >= 0:
			p.pos++
			e := elem{set: anyDigit, keep: true}
			if c == 'x' || c == 'X' {
				text.WriteByte('x')
			} else {
				e.set = 1 << keyIndex(c)
				text.WriteByte(keys[keyIndex(c)])
			}
			started, repeat = true, len(r.elems)
			r.elems = append(r.elems, e)
		default:
			return r, p.errAt(at, `unexpected %s: expected a key, "x", "[", "<", ".", ",", "S", "P" or "!"`, p.quote())
		}
	}
	if len(r.elems) == 0 {
		return r, p.errAt(p.pos, "empty rule: expected a key, \"x\", \"[\" or \"<\" before %s", p.quote())
	}
	r.sends = make([]bool, len(r.elems)+1)
	for i := len(r.elems) - 1; i >= 0; i-- {
		e := r.elems[i]
		r.consumes = r.consumes || e.set != 0
		r.sends[i] = r.sends[i+1] || e.keep || e.emit != ""
	}
	switch {
	case r.hasPause && r.consumes:
		return r, p.errAt(pAt, `a "P" rule takes no digits: expected only "<:number>" after it`)
	case !r.consumes && !r.sends[0]:
		return r, p.errAt(start, "rule takes no digits and sends nothing")
	case !r.barred && !r.sends[0]:
		return r, p.errAt(start, "rule sends nothing: every key it takes is rewritten to nothing")
	}
	// A leading S<n> is written last when keys follow it, as "S0 00" would
	// read back as "S000" otherwise.
	r.text = lead + text.String()
	if r.consumes {
		r.text = text.String() + lead
	}
	return r, nil
}

// set reads "[...]" and returns its key set.
func (p *parser) set() (uint16, error) {
	open := p.pos
	p.pos++
	var set uint16
	for {
		c := p.peek()
		at := p.pos
		switch {
		case c == 0 || c == '|' || c == ')':
			return 0, p.errAt(open, `unclosed "["`)
		case c == ']':
			p.pos++
			if set == 0 {
				return 0, p.errAt(open, `empty set "[]"`)
			}
			return set, nil
		case keyIndex(c) < 0:
			return 0, p.errAt(at, `unexpected %s in set: expected a key, a range such as "2-9" or "]"`, p.quote())
		}
		lo := keyIndex(c)
		p.pos++
		if p.peek() != '-' {
			set |= 1 << lo
			continue
		}
		dash := p.pos
		p.pos++
		hc := p.peek()
		switch {
		case lo > 9:
			return 0, p.errAt(at, `a range runs between digits 0-9, not from "%c"`, keys[lo])
		case hc == 0 || hc == '|' || hc == ')':
			return 0, p.errAt(open, `unclosed "["`)
		case hc < '0' || hc > '9':
			return 0, p.errAt(p.pos, `expected a digit 0-9 after "-" in set, found %s`, p.quote())
		case int(hc-'0') < lo:
			return 0, p.errAt(dash, "range %c-%c runs backwards", c, hc)
		}
		p.pos++
		for k := lo; k <= int(hc-'0'); k++ {
			set |= 1 << k
		}
	}
}

// rewrite reads "<from:to>" and returns both sides, keys in canonical case.
func (p *parser) rewrite() (from, to string, err error) {
	open := p.pos
	p.pos++
	if from, err = p.side(open, ':'); err != nil {
		return "", "", err
	}
	p.pos++
	if to, err = p.side(open, '>'); err != nil {
		return "", "", err
	}
	p.pos++
	return from, to, nil
}

// side reads one side of the rewrite opened at offset open, up to stop:
// literal keys before ':', keys and "+" before '>'.
func (p *parser) side(open int, stop byte) (string, error) {
	var b strings.Builder
	for {
		c := p.peek()
		switch {
		case c == 0 || c == '|' || c == ')':
			return "", p.errAt(open, `unclosed "<"`)
		case c == stop:
			return b.String(), nil
		case stop == ':' && c == '>':
			return "", p.errAt(p.pos, `expected ":" in "<dialled:sent>" before ">"`)
		case stop == ':' && keyIndex(c) < 0:
			return "", p.errAt(p.pos, `unexpected %s in "<dialled:": expected literal keys and ":"`, p.quote())
		case stop == '>' && c == '+':
			b.WriteByte('+')
		case keyIndex(c) < 0:
			return "", p.errAt(p.pos, `unexpected %s in ":sent>": expected keys, "+" or ">"`, p.quote())
		default:
			b.WriteByte(keys[keyIndex(c)])
		}
		p.pos++
	}
}
