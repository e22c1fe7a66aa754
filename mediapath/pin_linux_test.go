package mediapath

import (
	"os"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// pinOneCPU confines every thread of the test process to one CPU, the
// first it may run on, until t ends: a Pi Zero's single core. Threads
// started meanwhile inherit it; all are set free again at the end.
func pinOneCPU(t *testing.T) {
	t.Helper()
	var all unix.CPUSet
	if err := unix.SchedGetaffinity(0, &all); err != nil {
		t.Skipf("sched_getaffinity: %v", err)
	}
	var one unix.CPUSet
	cpu := 0
	for ; cpu < 1024 && !all.IsSet(cpu); cpu++ {
	}
	one.Set(cpu)
	setAll := func(set *unix.CPUSet) error {
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return err
		}
		for _, task := range tasks {
			tid, err := strconv.Atoi(task.Name())
			if err != nil {
				continue
			}
			// A thread may have ended since the listing.
			if err := unix.SchedSetaffinity(tid, set); err != nil && err != unix.ESRCH {
				return err
			}
		}
		return nil
	}
	t.Cleanup(func() {
		if err := setAll(&all); err != nil {
			t.Errorf("restoring the CPU affinity: %v", err)
		}
	})
	if err := setAll(&one); err != nil {
		t.Skipf("sched_setaffinity: %v", err)
	}
	t.Logf("every thread on CPU %d of %d", cpu, all.Count())
}
