package testpeer

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// procStat is what the tests need from /proc/<pid>/stat.
type procStat struct {
	pid, ppid, pgrp int
	state           byte
}

// processes lists every process the system shows in /proc.
func processes(t *testing.T) []procStat {
	t.Helper()
	paths, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var all []procStat
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue // gone meanwhile
		}
		// "pid (comm) state ppid pgrp ...": comm may hold spaces and ')'.
		s := string(data)
		end := strings.LastIndexByte(s, ')')
		if end < 0 {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 3 {
			continue
		}
		var st procStat
		st.pid, _ = strconv.Atoi(strings.Fields(s)[0])
		st.state = f[0][0]
		st.ppid, _ = strconv.Atoi(f[1])
		st.pgrp, _ = strconv.Atoi(f[2])
		all = append(all, st)
	}
	return all
}

// liveInGroup returns the processes of group pgid that are not zombies
// (an orphaned zombie only waits for a reaper; it holds no socket).
func liveInGroup(t *testing.T, pgid int) []int {
	t.Helper()
	var live []int
	for _, p := range processes(t) {
		if p.pgrp == pgid && p.state != 'Z' {
			live = append(live, p.pid)
		}
	}
	return live
}

// liveChildren returns the test process's children that still run.
func liveChildren(t *testing.T) []int {
	t.Helper()
	var live []int
	for _, p := range processes(t) {
		if p.ppid == os.Getpid() && p.state != 'Z' {
			live = append(live, p.pid)
		}
	}
	return live
}
