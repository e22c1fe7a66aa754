package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of utime and stime in /proc/PID/stat: USER_HZ,
// 100 on every Linux architecture.
const clockTick = 10 * time.Millisecond

// Proc is a process's memory and CPU time at one moment, from /proc.
type Proc struct {
	// RSS is resident memory (VmRSS), Anon and File its private anonymous
	// and file-backed parts (RssAnon, RssFile: the binary and shared
	// libraries), HWM the peak RSS so far (VmHWM); all in bytes.
	RSS, Anon, File, HWM int64
	// PSS is the proportional set size: shared pages divided among the
	// processes that map them (smaps_rollup), in bytes.
	PSS int64
	// CPU is the user plus system time used so far.
	CPU time.Duration
}

// ReadProc reads the figures of process pid.
func ReadProc(pid int) (Proc, error) {
	var p Proc
	dir := "/proc/" + strconv.Itoa(pid)
	f, err := os.Open(dir + "/status")
	if err != nil {
		return p, fmt.Errorf("%w: %w", ErrBadProc, err)
	}
	defer f.Close()
	if err := parseStatus(f, &p); err != nil {
		return p, err
	}
	stat, err := os.ReadFile(dir + "/stat")
	if err != nil {
		return p, fmt.Errorf("%w: %w", ErrBadProc, err)
	}
	if p.CPU, err = parseStatCPU(stat); err != nil {
		return p, err
	}
	if r, err := os.Open(dir + "/smaps_rollup"); err == nil {
		defer r.Close()
		p.PSS, _ = kBField(r, "Pss:")
	}
	return p, nil
}

// parseStatus fills the memory figures from /proc/PID/status.
func parseStatus(r io.Reader, p *Proc) error {
	fields := map[string]*int64{"VmRSS:": &p.RSS, "RssAnon:": &p.Anon, "RssFile:": &p.File, "VmHWM:": &p.HWM}
	found := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[2] != "kB" {
			continue
		}
		if dst, ok := fields[f[0]]; ok {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return fmt.Errorf("%w: status %s %q", ErrBadProc, f[0], f[1])
			}
			*dst = kb << 10
			found++
		}
	}
	if found != len(fields) {
		return fmt.Errorf("%w: status lacks some of VmRSS, RssAnon, RssFile, VmHWM", ErrBadProc)
	}
	return sc.Err()
}

// parseStatCPU returns utime+stime from /proc/PID/stat.
func parseStatCPU(b []byte) (time.Duration, error) {
	// The command name, in parentheses, may hold spaces: count fields
	// from the last ")". utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 > len(b) {
		return 0, fmt.Errorf("%w: stat %q", ErrBadProc, b)
	}
	f := strings.Fields(string(b[i+2:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("%w: stat has %d fields after the name", ErrBadProc, len(f))
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%w: stat utime %q stime %q", ErrBadProc, f[11], f[12])
	}
	return time.Duration(ut+st) * clockTick, nil
}

// kBField returns the first "NAME  N kB" line's value in bytes.
func kBField(r io.Reader, name string) (int64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == name {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%w: %s %q", ErrBadProc, name, f[1])
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("%w: no %s", ErrBadProc, name)
}

// MappedRSS sums the resident memory of process pid's mappings of files
// whose path match accepts (from /proc/PID/smaps), in bytes.
func MappedRSS(pid int, match func(path string) bool) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/smaps")
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrBadProc, err)
	}
	defer f.Close()
	return mappedRSS(f, match)
}

func mappedRSS(r io.Reader, match func(path string) bool) (int64, error) {
	var total int64
	counting := false
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			// A mapping's header: range perms offset dev inode [path].
			counting = len(f) >= 6 && match(f[5])
		case counting && len(f) == 3 && f[0] == "Rss:":
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%w: smaps Rss %q", ErrBadProc, f[1])
			}
			total += kb << 10
		}
	}
	return total, sc.Err()
}
