package bench

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseStatus(t *testing.T) {
	const status = "Name:\thandset\nVmHWM:\t   10240 kB\nVmRSS:\t    9216 kB\nRssAnon:\t    1024 kB\nRssFile:\t    8192 kB\nThreads:\t7\n"
	var p Proc
	if err := parseStatus(strings.NewReader(status), &p); err != nil {
		t.Fatal(err)
	}
	if p.RSS != 9216<<10 || p.Anon != 1<<20 || p.File != 8<<20 || p.HWM != 10<<20 {
		t.Errorf("parsed %+v", p)
	}
	if err := parseStatus(strings.NewReader("VmRSS:\t1 kB\n"), &p); !errors.Is(err, ErrBadProc) {
		t.Errorf("a short status: %v, want ErrBadProc", err)
	}
}

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		stat    string
		want    time.Duration
		wantErr bool
	}{
		{"42 (handset) S 1 42 42 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 7 0", 2870 * time.Millisecond, false},
		{"42 (a b) c)) R 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 7 0", 30 * time.Millisecond, false},
		{"42 (x) R 1 2", 0, true},
		{"no parenthesis", 0, true},
	}
	for i, tc := range tests {
		got, err := parseStatCPU([]byte(tc.stat))
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("#%d: got %v, %v; want %v (error %v)", i, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestMappedRSS(t *testing.T) {
	const smaps = `00400000-00803000 r-xp 00000000 fd:01 123 /usr/bin/x
Size:               4108 kB
Rss:                3724 kB
7f00-7f10 r--p 00000000 fd:01 124 /usr/lib/libsndfile.so.1
Rss:                 112 kB
7f10-7f20 rw-p 00000000 00:00 0
Rss:                  56 kB
7f20-7f30 r--p 00000000 fd:01 125 /usr/lib/libFLAC.so.12
Rss:                 108 kB
`
	got, err := mappedRSS(strings.NewReader(smaps), func(p string) bool { return strings.Contains(p, "/lib/lib") })
	if err != nil || got != 220<<10 {
		t.Errorf("got %d, %v; want %d", got, err, 220<<10)
	}
}

func TestReadProcSelf(t *testing.T) {
	p, err := ReadProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if p.RSS <= 0 || p.HWM < p.RSS || p.Anon+p.File > p.RSS+1<<20 {
		t.Errorf("implausible figures for this test: %+v", p)
	}
}
