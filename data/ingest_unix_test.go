//go:build unix

package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestIngestRefusesSpecialFiles: a named pipe (which blocks whoever opens it
// until a writer comes) and a device are refused with the reason, never
// opened, whether found in a folder or named on the command line, and the
// good files beside them are stored.
func TestIngestRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"good.txt": "Good\nA good article."})
	fifo := filepath.Join(dir, "pipe.jsonl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	paths := []string{dir, fifo}
	dev := "/dev/null"
	if st, err := os.Stat(dev); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		paths = append(paths, dev)
	}
	s := openTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rep, err := IngestPaths(ctx, s, paths, IngestOptions{})
	if err != nil {
		t.Fatalf("ingest: %v (a FIFO blocked it?)", err)
	}
	if rep.Added != 1 {
		t.Errorf("added %d, want the good file", rep.Added)
	}
	var fifoSkips int
	for _, sk := range rep.Skipped {
		switch sk.Path {
		case fifo:
			fifoSkips++
			if !strings.Contains(sk.Reason, "named pipe (FIFO), not a regular file") || !sk.Err {
				t.Errorf("FIFO skipped as %+v", sk)
			}
		case dev:
			if !strings.Contains(sk.Reason, "character device") || !sk.Err {
				t.Errorf("device skipped as %+v", sk)
			}
		default:
			t.Errorf("unexpected skip %+v", sk)
		}
	}
	if fifoSkips != 2 {
		t.Errorf("FIFO named %d times, want once from the folder and once by itself", fifoSkips)
	}
	// A FIFO swapped in under a name the folder listing saw as a file is
	// still refused when opened, without blocking.
	if _, err := ParseFile(fifo); err == nil || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("ParseFile(FIFO) = %v", err)
	}
}
