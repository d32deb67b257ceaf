//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestIngestFIFO: `briefbot ingest` of a named pipe returns at once with the
// reason instead of waiting for a writer forever.
func TestIngestFIFO(t *testing.T) {
	dir := cleanEnv(t)
	fifo := filepath.Join(dir, "feed.jsonl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	code, _, errOut := run(t, "ingest", fifo, "--db", "i.db")
	if code != 1 || !strings.Contains(errOut, "named pipe (FIFO), not a regular file") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}
