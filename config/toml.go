package config

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads the TOML subset the configuration file is written in:
//
//   - "#" comments, on their own line or after a statement;
//   - [table] and [a.b] headers, with bare or quoted key parts;
//   - key = value, with a bare (A-Za-z0-9_-) or quoted key;
//   - basic strings "..." with the escapes \b \t \n \f \r \" \\ \uXXXX
//     \UXXXXXXXX, and literal strings '...';
//   - integers (optional sign, "_" between digits), floats, true and false;
//   - arrays of those values on one line or several, with comments and a
//     trailing comma allowed.
//
// A leading UTF-8 byte order mark and CRLF line endings are accepted.
// Everything else TOML has (dotted keys in assignments, inline tables, arrays
// of tables, multi-line strings, dates, hex/octal/binary, inf and nan) is
// reported as not supported. A syntax error is reported with its line and
// reading resumes on the next line, so one pass lists every problem.

// kind is the type of a value read from the file.
type kind uint8

const (
	// kindInvalid marks a key whose value had a syntax error (already
	// reported); the decoder skips it.
	kindInvalid kind = iota
	kindString
	kindInteger
	kindFloat
	kindBool
	kindArray
	kindTable
)

// name is the kind as a phrase for messages: "want an integer, got a string".
func (k kind) name() string {
	switch k {
	case kindString:
		return "a string"
	case kindInteger:
		return "an integer"
	case kindFloat:
		return "a float"
	case kindBool:
		return "a boolean"
	case kindArray:
		return "an array"
	case kindTable:
		return "a table"
	}
	return "an invalid value"
}

// value is one value read from the file, with the line it is on.
type value struct {
	kind kind
	line int
	raw  string // the source text of a number or boolean
	str  string
	num  int64
	flt  float64
	b    bool
	arr  []value
	tbl  *table
}

// table is a TOML table: its keys in file order and their values.
type table struct {
	keys    []string
	entries map[string]*value
	// header is set once a [header] names this table itself; a table only
	// implied by a deeper header ([a] for [a.b]) may still get one.
	header bool
}

func newTable() *table {
	return &table{entries: make(map[string]*value)}
}

// set adds a key that is not in t yet.
func (t *table) set(key string, v *value) {
	t.keys = append(t.keys, key)
	t.entries[key] = v
}

// syntaxError is a syntax error on one line.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return e.msg }

// parser reads a cleaned source (see clean) statement by statement.
type parser struct {
	src     []byte
	pos     int
	line    int
	out     *collector
	root    *table
	cur     *table   // the table key = value lines go into
	curPath []string // the key path of cur
	// hide is set while reading a secret's value, which messages must not
	// quote.
	hide bool
}

// parseDocument reads data and returns its root table; every problem found
// goes to out.
func parseDocument(data []byte, out *collector) *table {
	p := &parser{src: clean(data, out), line: 1, out: out, root: newTable()}
	p.cur = p.root
	for p.pos < len(p.src) {
		start := p.pos
		if p.statement() {
			continue
		}
		// An array missing its "]" stops at the start of the next
		// statement's line: resume there. Otherwise skip the rest of the
		// broken line.
		if p.pos == start || !p.atLineStart() {
			p.skipLine()
		}
	}
	return p.root
}

// clean drops a leading byte order mark and the CR of CRLF line endings.
// Lines that are not valid UTF-8 or hold control characters are reported
// and blanked, so the parser sees only text it can read.
func clean(data []byte, out *collector) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	res := make([]byte, 0, len(data)+1)
	for n := 1; len(data) > 0; n++ {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		line = bytes.TrimSuffix(line, []byte("\r"))
		if msg := badText(line); msg != "" {
			out.add(n, "", "%s", msg)
			line = nil
		}
		res = append(res, line...)
		res = append(res, '\n')
	}
	return res
}

// badText says what makes a line unreadable, or returns "".
func badText(line []byte) string {
	if !utf8.Valid(line) {
		return "the line is not valid UTF-8 text (save the file as UTF-8)"
	}
	for _, r := range string(line) {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return fmt.Sprintf("control character U+%04X is not allowed (only tab is)", r)
		}
	}
	return ""
}

// statement reads one line's statement, through its newline. It reports
// what goes wrong and returns false.
func (p *parser) statement() bool {
	p.skipSpace()
	switch p.peek() {
	case 0, '\n', '#':
		return p.report(p.endOfLine(), "")
	case '[':
		return p.header()
	}
	return p.keyValue()
}

// header reads a [table] header and makes that table current.
func (p *parser) header() bool {
	line := p.line
	p.pos++ // '['
	// Until the header is known to be good, the keys below it go into a
	// detached table, not into the previous one.
	p.cur, p.curPath = newTable(), nil
	if p.peek() == '[' {
		return p.report(p.errf("arrays of tables ([[...]]) are not supported"), "")
	}
	path, err := p.keyPath()
	if err != nil {
		return p.report(err, "")
	}
	key := strings.Join(path, ".")
	p.curPath = path
	p.skipSpace()
	if p.peek() != ']' {
		return p.report(p.errf(`expected "]" to close the table header`), key)
	}
	p.pos++
	p.openTable(path, line)
	return p.report(p.endOfLine(), key)
}

// openTable makes the table at path current, creating it and the tables it
// is in as needed.
func (p *parser) openTable(path []string, line int) {
	t := p.root
	for i, name := range path {
		last := i == len(path)-1
		v, ok := t.entries[name]
		if !ok {
			nt := newTable()
			nt.header = last
			t.set(name, &value{kind: kindTable, line: line, tbl: nt})
			t = nt
			continue
		}
		if v.kind != kindTable {
			p.out.add(line, strings.Join(path[:i+1], "."), "already set as a key on line %d, so it cannot be a table", v.line)
			return // the keys below go into header's detached table
		}
		if last && v.tbl.header {
			// Report it, and read on into the same table so that its keys
			// are still checked.
			p.out.add(line, strings.Join(path, "."), "duplicate table [%s]: it was already started on line %d", strings.Join(path, "."), v.line)
		} else if last {
			v.tbl.header = true
			v.line = line
		}
		t = v.tbl
	}
	p.cur, p.curPath = t, path
}

// keyValue reads a key = value line into the current table.
func (p *parser) keyValue() bool {
	line := p.line
	name, err := p.key()
	if err != nil {
		return p.report(err, "")
	}
	key := strings.Join(append(append([]string(nil), p.curPath...), name), ".")
	p.skipSpace()
	switch p.peek() {
	case '=':
		p.pos++
	case '.':
		return p.report(p.errf("dotted keys are not supported: put the key under a [table] header"), key)
	default:
		return p.report(p.errf("expected \"=\" after the key %q", name), key)
	}
	p.skipSpace()
	p.hide = isSecretKey(key)
	v, ok := p.value(key)
	p.hide = false
	if ok {
		ok = p.report(p.endOfLine(), key)
	}
	if !ok {
		v = value{kind: kindInvalid}
	}
	v.line = line
	if prev, dup := p.cur.entries[name]; dup {
		p.out.add(line, key, "duplicate key: it was already set on line %d", prev.line)
		return ok
	}
	p.cur.set(name, &v)
	return ok
}

// keyPath reads a dotted key such as a.b or "a b".c, with spaces allowed
// around the dots.
func (p *parser) keyPath() ([]string, error) {
	var path []string
	for {
		p.skipSpace()
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		path = append(path, k)
		p.skipSpace()
		if p.peek() != '.' {
			return path, nil
		}
		p.pos++
	}
}

// key reads one bare or quoted key.
func (p *parser) key() (string, error) {
	switch c := p.peek(); {
	case c == '"':
		return p.basicString()
	case c == '\'':
		return p.literalString()
	case isBareKeyChar(c):
		start := p.pos
		for isBareKeyChar(p.peek()) {
			p.pos++
		}
		return string(p.src[start:p.pos]), nil
	case c == '=':
		return "", p.errf("missing key before \"=\"")
	default:
		return "", p.errf("unexpected %s: expected a key, a [table] header or a # comment", p.describe())
	}
}

func isBareKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value reads the value of key. Errors are reported here, since an array
// reports each bad element and reads on.
func (p *parser) value(key string) (value, bool) {
	switch p.peek() {
	case '[':
		return p.array(key)
	case '{':
		return value{}, p.report(p.errf("inline tables ({...}) are not supported: use a [table] header"), key)
	case 0, '\n', '#':
		return value{}, p.report(p.errf("missing value after \"=\""), key)
	}
	v, err := p.scalar()
	if err != nil {
		return value{}, p.report(err, key)
	}
	return v, true
}

// scalar reads a string, number or boolean.
func (p *parser) scalar() (value, error) {
	line := p.line
	switch p.peek() {
	case '"':
		s, err := p.basicString()
		return value{kind: kindString, line: line, str: s}, err
	case '\'':
		s, err := p.literalString()
		return value{kind: kindString, line: line, str: s}, err
	case '[':
		return value{}, p.errf("arrays inside arrays are not supported")
	case '{':
		return value{}, p.errf("inline tables ({...}) are not supported")
	}
	start := p.pos
	for !isTokenEnd(p.peek()) {
		p.pos++
	}
	tok := string(p.src[start:p.pos])
	if tok == "" {
		return value{}, p.errf("unexpected %s: expected a value", p.describe())
	}
	v, msg := parseToken(tok)
	if msg != "" {
		return value{}, p.errf("invalid value %s: %s", p.show(strconv.Quote(tok)), msg)
	}
	v.line = line
	return v, nil
}

// isTokenEnd reports whether c ends an unquoted value.
func isTokenEnd(c byte) bool {
	switch c {
	case 0, ' ', '\t', '\n', '#', ',', ']', '[', '{', '}', '"', '\'':
		return true
	}
	return false
}

// parseToken reads an unquoted value: a boolean, an integer or a float. It
// returns a message saying what is wrong instead when it is none of them.
func parseToken(tok string) (value, string) {
	switch tok {
	case "":
		return value{}, "missing value"
	case "true", "false":
		return value{kind: kindBool, raw: tok, b: tok == "true"}, ""
	}
	unsigned := strings.TrimLeft(tok, "+-")
	switch {
	case unsigned == "inf" || unsigned == "nan":
		return value{}, "inf and nan are not supported"
	case len(unsigned) > 1 && unsigned[0] == '0' && strings.ContainsAny(unsigned[1:2], "xob"):
		return value{}, "hexadecimal, octal and binary numbers are not supported: write it in decimal"
	case len(tok) >= 5 && isDigits(tok[:4]) && tok[4] == '-' || strings.Contains(tok, ":"):
		return value{}, "dates and times are not supported"
	case tok[0] >= 'a' && tok[0] <= 'z' || tok[0] >= 'A' && tok[0] <= 'Z' || tok[0] >= utf8.RuneSelf:
		return value{}, `text must be in quotes: "..."`
	}
	return parseNumber(tok)
}

// parseNumber reads a decimal integer or float with optional "_" separators.
func parseNumber(tok string) (value, string) {
	body := tok
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	intPart, rest := splitDigits(body)
	if !digitsOK(intPart) {
		return value{}, "not a valid number"
	}
	plain := strings.ReplaceAll(intPart, "_", "")
	if len(plain) > 1 && plain[0] == '0' {
		return value{}, "leading zeros are not allowed in numbers"
	}
	isFloat := false
	if strings.HasPrefix(rest, ".") {
		var frac string
		frac, rest = splitDigits(rest[1:])
		if !digitsOK(frac) {
			return value{}, "not a valid number: a decimal point needs digits on both sides"
		}
		isFloat = true
	}
	if strings.HasPrefix(rest, "e") || strings.HasPrefix(rest, "E") {
		exp := strings.TrimLeft(rest[1:], "+-")
		if len(rest[1:])-len(exp) > 1 {
			return value{}, "not a valid number"
		}
		exp, rest = splitDigits(exp)
		if !digitsOK(exp) {
			return value{}, "not a valid number: the exponent needs digits"
		}
		isFloat = true
	}
	if rest != "" {
		return value{}, "not a valid number"
	}
	clean := strings.ReplaceAll(tok, "_", "")
	if !isFloat {
		n, err := strconv.ParseInt(clean, 10, 64)
		if err != nil {
			return value{}, "integer out of range"
		}
		return value{kind: kindInteger, raw: tok, num: n}, ""
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		return value{}, "float out of range"
	}
	return value{kind: kindFloat, raw: tok, flt: f}, ""
}

// splitDigits splits s after its leading run of digits and underscores.
func splitDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '_') {
		i++
	}
	return s[:i], s[i:]
}

// digitsOK reports whether s is digits with single underscores between them.
func digitsOK(s string) bool {
	return s != "" && s[0] != '_' && s[len(s)-1] != '_' && !strings.Contains(s, "__")
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// array reads an array that may run over several lines. A bad element is
// reported and skipped; a missing "]" is noticed when the next line holds a
// table header or a key = value.
func (p *parser) array(key string) (value, bool) {
	open := p.line
	p.pos++ // '['
	arr := value{kind: kindArray, line: open}
	ok, needComma := true, false
	for {
		lineStart := p.skipBlank()
		if p.peek() == 0 || lineStart >= 0 && p.looksLikeStatement() {
			// Leave the next statement for parseDocument to read.
			if lineStart >= 0 {
				p.pos = lineStart
			}
			p.out.add(open, key, `the array that starts on this line has no closing "]"`)
			return value{}, false
		}
		c := p.peek()
		switch {
		case c == ']':
			p.pos++
			return arr, ok
		case c == ',' && needComma:
			p.pos++
			needComma = false
			continue
		case c == ',':
			ok = p.report(p.errf(`unexpected "," in the array: an element is missing`), key)
			p.pos++
			continue
		case needComma:
			ok = p.report(p.errf(`expected "," or "]" after an array element, found %s`, p.describe()), key)
			p.skipElement()
			needComma = p.peek() == ','
			continue
		}
		el, err := p.scalar()
		if err != nil {
			ok = p.report(err, key)
			p.skipElement()
			needComma = p.peek() == ','
			continue
		}
		arr.arr = append(arr.arr, el)
		needComma = true
	}
}

// skipElement skips the rest of a bad array element: up to the next ",",
// "]", comment or end of line outside quotes.
func (p *parser) skipElement() {
	for {
		switch c := p.peek(); c {
		case 0, '\n', ',', ']', '#':
			return
		case '"', '\'':
			p.pos++
			for p.peek() != c && p.peek() != '\n' && p.peek() != 0 {
				if c == '"' && p.peek() == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] != '\n' {
					p.pos++
				}
				p.pos++
			}
			if p.peek() == c {
				p.pos++
			}
		default:
			p.pos++
		}
	}
}

// looksLikeStatement reports, without consuming anything, whether the line
// ahead starts a table header or a key = value.
func (p *parser) looksLikeStatement() bool {
	pos, line := p.pos, p.line
	defer func() { p.pos, p.line = pos, line }()
	if p.peek() == '[' {
		return true
	}
	if _, err := p.key(); err != nil {
		return false
	}
	p.skipSpace()
	return p.peek() == '=' || p.peek() == '.'
}

// basicString reads a "..." string with escapes.
func (p *parser) basicString() (string, error) {
	if bytes.HasPrefix(p.src[p.pos:], []byte(`"""`)) {
		return "", p.errf(`multi-line strings ("""...""") are not supported`)
	}
	p.pos++
	var b strings.Builder
	for {
		c := p.peek()
		switch c {
		case 0, '\n':
			return "", p.errf(`unterminated string: add the closing "`)
		case '"':
			p.pos++
			return b.String(), nil
		case '\\':
			if err := p.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
}

// escape reads one backslash escape into b.
func (p *parser) escape(b *strings.Builder) error {
	p.pos++ // '\'
	c := p.peek()
	n := 0
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case '"', '\\':
		b.WriteByte(c)
	case 'u':
		n = 4
	case 'U':
		n = 8
	case 0, '\n':
		return p.errf(`unterminated string: add the closing "`)
	default:
		r, _ := utf8.DecodeRune(p.src[p.pos:])
		return p.errf(`invalid escape sequence %s (use \\ for a backslash)`, p.show(`\`+string(r)))
	}
	p.pos++
	if n == 0 {
		return nil
	}
	if p.pos+n > len(p.src) {
		return p.errf(`invalid escape sequence \%c: want %d hex digits`, c, n)
	}
	hex := string(p.src[p.pos : p.pos+n])
	code, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return p.errf(`invalid escape sequence \%c: want %d hex digits`, c, n)
	}
	if !utf8.ValidRune(rune(code)) {
		return p.errf(`escape %s is not a valid Unicode character`, p.show(`\`+string(c)+hex))
	}
	p.pos += n
	b.WriteRune(rune(code))
	return nil
}

// literalString reads a '...' string: no escapes.
func (p *parser) literalString() (string, error) {
	if bytes.HasPrefix(p.src[p.pos:], []byte(`'''`)) {
		return "", p.errf(`multi-line strings ('''...''') are not supported`)
	}
	p.pos++
	start := p.pos
	for p.peek() != '\'' {
		if p.peek() == 0 || p.peek() == '\n' {
			return "", p.errf(`unterminated string: add the closing '`)
		}
		p.pos++
	}
	p.pos++
	return string(p.src[start : p.pos-1]), nil
}

// endOfLine reads spaces and an optional comment through the newline.
func (p *parser) endOfLine() error {
	p.skipSpace()
	if p.peek() == '#' {
		for p.peek() != '\n' && p.peek() != 0 {
			p.pos++
		}
	}
	switch p.peek() {
	case 0:
		return nil
	case '\n':
		p.pos++
		p.line++
		return nil
	}
	return p.errf("unexpected %s after the end of the statement (a comment needs a #)", p.describe())
}

// skipBlank skips spaces, comments and newlines. It returns where the last
// line it entered starts, or -1 if it crossed no newline.
func (p *parser) skipBlank() int {
	lineStart := -1
	for {
		p.skipSpace()
		switch p.peek() {
		case '#':
			for p.peek() != '\n' && p.peek() != 0 {
				p.pos++
			}
		case '\n':
			p.pos++
			p.line++
			lineStart = p.pos
		default:
			return lineStart
		}
	}
}

func (p *parser) skipSpace() {
	for p.peek() == ' ' || p.peek() == '\t' {
		p.pos++
	}
}

// skipLine skips the rest of the current line and its newline.
func (p *parser) skipLine() {
	for p.peek() != '\n' && p.peek() != 0 {
		p.pos++
	}
	if p.peek() == '\n' {
		p.pos++
		p.line++
	}
}

// peek returns the byte at the read position, or 0 at the end (clean
// removed every NUL from the source).
func (p *parser) peek() byte {
	if p.pos >= len(p.src) {
		return 0
	}
	return p.src[p.pos]
}

func (p *parser) atLineStart() bool {
	return p.pos >= len(p.src) || p.pos > 0 && p.src[p.pos-1] == '\n'
}

// describe names the text at the read position for a message.
func (p *parser) describe() string {
	switch c := p.peek(); c {
	case 0:
		return "the end of the file"
	case '\n':
		return "the end of the line"
	default:
		r, _ := utf8.DecodeRune(p.src[p.pos:])
		return strconv.QuoteRune(r)
	}
}

// errf makes a syntax error on the current line.
func (p *parser) errf(format string, args ...any) *syntaxError {
	return &syntaxError{line: p.line, msg: fmt.Sprintf(format, args...)}
}

// report records err (if any) against key and returns whether there was
// none.
func (p *parser) report(err error, key string) bool {
	if err == nil {
		return true
	}
	line := p.line
	if se, ok := err.(*syntaxError); ok {
		line = se.line
	}
	p.out.add(line, key, "%s", err.Error())
	return false
}

// show returns text from the file for a message, or "(hidden)" while a
// secret is read.
func (p *parser) show(text string) string {
	if p.hide {
		return "(hidden)"
	}
	return text
}
