package dialplan

import (
	"strconv"
	"strings"
	"time"
)

// Default inter-digit timers, used unless the map overrides them.
const (
	DefaultShort = 3 * time.Second  // a rule matches and more digits could come
	DefaultLong  = 10 * time.Second // no rule matches yet
)

// keys lists the dialable keys; a key's index here is its bit in a key set.
const keys = "0123456789*#ABCD"

// keyIndex returns the index in keys of c (lower-case a-d accepted), or -1.
func keyIndex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c == '*':
		return 10
	case c == '#':
		return 11
	case c >= 'A' && c <= 'D':
		return 12 + int(c-'A')
	case c >= 'a' && c <= 'd':
		return 12 + int(c-'a')
	}
	return -1
}

// anyDigit is the key set of "x": the digits 0-9.
const anyDigit uint16 = 1<<10 - 1

// elem is one compiled step of a rule.
type elem struct {
	set  uint16 // keys this step accepts; 0 for a step that only emits
	star bool   // the step repeats zero or more times
	keep bool   // the dialled key goes into the number sent
	emit string // sent in place of what this step accepts (rewrites)
}

// rule is one alternative of a digit map.
type rule struct {
	elems    []elem
	consumes bool   // some step takes a key; false for hotline/warm-line rules
	sends    []bool // sends[i]: some step from i on keeps a key or emits
	barred   bool
	short    time.Duration // valid when hasShort
	hasShort bool
	pause    time.Duration // valid when hasPause
	hasPause bool
	text     string // normalised source
}

// Map is a parsed digit map. It is immutable and safe for concurrent use.
// Build one with Parse.
type Map struct {
	rules    []rule
	short    time.Duration
	long     time.Duration
	setShort bool
	setLong  bool
}

// Timers returns the map's short and long inter-digit timers: 3 s and 10 s
// unless the map starts with "S:n," or "L:n,".
func (m *Map) Timers() (short, long time.Duration) {
	return m.short, m.long
}

// String returns the normalised source: no whitespace, the timer prefixes
// only when given, the rules in parentheses, "X" as "x", "a-d" as "A-D" and
// sets written with ranges where three or more digits run together.
// Parse(m.String()) yields an equivalent map.
func (m *Map) String() string {
	var b strings.Builder
	if m.setLong {
		b.WriteString("L:" + formatSeconds(m.long) + ",")
	}
	if m.setShort {
		b.WriteString("S:" + formatSeconds(m.short) + ",")
	}
	b.WriteByte('(')
	for i, r := range m.rules {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(r.text)
	}
	b.WriteByte(')')
	return b.String()
}

// formatSeconds writes d in seconds, with a fraction only when needed.
func formatSeconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// formatSet writes a key set in brackets, runs of three or more digits as a
// range.
func formatSet(set uint16) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < len(keys); i++ {
		if set&(1<<i) == 0 {
			continue
		}
		j := i
		for j+1 <= 9 && set&(1<<(j+1)) != 0 {
			j++
		}
		if j-i >= 2 {
			b.WriteByte(keys[i])
			b.WriteByte('-')
			b.WriteByte(keys[j])
			i = j
			continue
		}
		b.WriteByte(keys[i])
	}
	b.WriteByte(']')
	return b.String()
}
