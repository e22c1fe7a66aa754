package bench

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAudioTrace(t *testing.T) {
	const trace = "c 0 1000000000\nc 160 1020000000\np 160 1065000000\np 0 1045000000\nc 320 1040000000\n"
	tr, err := ReadAudioTrace(strings.NewReader(trace), 8000)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		play  bool
		frame int64
		want  int64 // ns; 0: not covered
	}{
		{false, 0, 1000000000},
		{false, 8, 1001000000},
		{false, 170, 1021250000},
		{false, 479, 1059875000},
		{false, 480, 0},
		{true, 40, 1050000000},
		{true, 319, 1084875000},
		{true, 320, 0},
	}
	for i, tc := range tests {
		at, ok := tr.Heard(tc.frame)
		if tc.play {
			at, ok = tr.Plays(tc.frame)
		}
		if ok != (tc.want != 0) || (ok && !at.Equal(time.Unix(0, tc.want))) {
			t.Errorf("#%d: frame %d at %v (%v), want %d ns", i, tc.frame, at.UnixNano(), ok, tc.want)
		}
	}
	if tr.Captured() != 480 {
		t.Errorf("captured %d frames, want 480", tr.Captured())
	}
	for _, bad := range []string{"c 0\n", "x 0 1\n", "c -1 5\n", "p a b\n"} {
		if _, err := ReadAudioTrace(strings.NewReader(bad), 8000); !errors.Is(err, ErrBadTrace) {
			t.Errorf("%q: %v, want ErrBadTrace", bad, err)
		}
	}
}
