//go:build unix

package benchcorpus

import "syscall"

// ProcessCPU is the CPU time the process has used, user and system, in
// nanoseconds: on a machine shared with other work, the cost of a
// benchmark that wall-clock time cannot show.
func ProcessCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
