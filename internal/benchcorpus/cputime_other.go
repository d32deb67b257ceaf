//go:build !unix

package benchcorpus

// ProcessCPU is not measured on this system.
func ProcessCPU() int64 { return 0 }
