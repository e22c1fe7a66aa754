package config

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ErrNoConfig reports that the configuration file does not exist. The phone
// then boots unconfigured; a file that exists but is invalid is a different
// error (Problems).
var ErrNoConfig = errors.New("config: no configuration file")

// errTooLarge reports a file far larger than any real configuration.
var errTooLarge = errors.New("file too large")

// Problem is one thing wrong with a configuration file.
type Problem struct {
	// File is the name the file was parsed under, e.g. "handset.toml".
	File string
	// Line is the 1-based line the problem is on, or 0 when it is not tied
	// to a line (a missing key).
	Line int
	// Key is the dotted key concerned, e.g. "account.expiry", or "" when the
	// line could not be read as far as a key.
	Key string
	// Msg says what is wrong and, where it helps, how to fix it.
	Msg string
}

// String formats the problem as "file:line: key: message", leaving out the
// line when it is 0 and the key when it is empty.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in one file, ordered by line. It is the
// error Parse and Load return for an invalid file.
type Problems []Problem

// Error lists the problems, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// collector gathers the problems of one file while it is parsed, decoded and
// validated.
type collector struct {
	file string
	list Problems
}

// add records a problem.
func (c *collector) add(line int, key, format string, args ...any) {
	c.list = append(c.list, Problem{File: c.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// sorted returns the problems ordered by line, problems without a line
// first, keeping the order they were found in within a line.
func (c *collector) sorted() Problems {
	out := slices.Clone(c.list)
	slices.SortStableFunc(out, func(a, b Problem) int { return a.Line - b.Line })
	return out
}
