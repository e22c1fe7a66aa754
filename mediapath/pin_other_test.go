//go:build !linux

package mediapath

import "testing"

// pinOneCPU needs Linux's sched_setaffinity.
func pinOneCPU(t *testing.T) {
	t.Skip("pinning threads to one CPU needs Linux")
}
