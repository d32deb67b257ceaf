//go:build unix

package bot

import "syscall"

// processCPU is the CPU time the process has used, user and system, in
// nanoseconds: on a machine shared with other work, the cost of a
// benchmark that wall-clock time cannot show.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
