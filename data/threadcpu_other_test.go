//go:build !linux

package data

import "time"

// threadCPU is the CPU time of the calling OS thread, where known (Linux);
// elsewhere 0.
func threadCPU() time.Duration { return 0 }
