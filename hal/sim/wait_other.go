//go:build !linux || !(amd64 || arm || arm64)

package sim

// kernelWaiter exists on Linux only.
type kernelWaiter = clockWaiter

// newKernelWaiter reports that there is none here.
func newKernelWaiter() *kernelWaiter { return nil }
