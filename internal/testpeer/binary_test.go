package testpeer

import (
	"fmt"
	"testing"
)

// recordingTB notes Skipf and Fatalf instead of stopping the goroutine.
type recordingTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Skipf(format string, args ...any) {
	r.skipped = fmt.Sprintf(format, args...)
}
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
}

func TestRequireBinary(t *testing.T) {
	const missing = "handset-testpeer-no-such-program"
	tests := []struct {
		env                string
		wantSkip, wantFail bool
	}{
		{"", true, false},
		{"0", true, false},
		{"1", false, true},
	}
	for i, tc := range tests {
		t.Setenv(RequirePeersEnv, tc.env)
		rec := &recordingTB{TB: t}
		if path := requireBinary(rec, missing, "no-such-package"); path != "" {
			t.Errorf("#%d: got path %q for a missing program", i, path)
		}
		if (rec.skipped != "") != tc.wantSkip || (rec.failed != "") != tc.wantFail {
			t.Errorf("#%d %s=%q: skipped %q, failed %q", i, RequirePeersEnv, tc.env, rec.skipped, rec.failed)
		}
	}

	// A program that exists is found, on PATH or in sbin.
	rec := &recordingTB{TB: t}
	if path := requireBinary(rec, "sh", "dash"); path == "" || rec.skipped != "" || rec.failed != "" {
		t.Errorf("sh: got %q, skipped %q, failed %q", path, rec.skipped, rec.failed)
	}
}
