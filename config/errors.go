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

// Problems is every problem found in a configuration, ordered by file and
// line. It is the error Parse, ParseLayers and Load return for an invalid
// configuration.
type Problems []Problem

// Error lists the problems, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// pos is where a key was set: the name of the source (file) and a line in
// it. The zero pos is "not set anywhere".
type pos struct {
	file string
	line int
}

// collector gathers the problems of the sources of one configuration while
// they are parsed, decoded and validated.
type collector struct {
	// file is the source being read; add reports problems in it.
	file string
	// files lists every source read, in order, so that problems sort by
	// source first.
	files []string
	list  Problems
}

// start begins reading the source called file.
func (c *collector) start(file string) {
	c.file = file
	c.files = append(c.files, file)
}

// add records a problem in the source being read.
func (c *collector) add(line int, key, format string, args ...any) {
	c.addAt(pos{c.file, line}, key, format, args...)
}

// addAt records a problem at p; a p without a file means the source read
// last.
func (c *collector) addAt(p pos, key, format string, args ...any) {
	if p.file == "" {
		p.file = c.file
	}
	c.list = append(c.list, Problem{File: p.file, Line: p.line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// sorted returns the problems ordered by source, then by line, problems
// without a line first, keeping the order they were found in within a line.
func (c *collector) sorted() Problems {
	out := slices.Clone(c.list)
	slices.SortStableFunc(out, func(a, b Problem) int {
		if d := slices.Index(c.files, a.File) - slices.Index(c.files, b.File); d != 0 {
			return d
		}
		return a.Line - b.Line
	})
	return out
}
