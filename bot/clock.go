package bot

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Clock is the time scheduled posts and the delivery log run on: when a
// slot is due, when a lease runs out, when a failed slot is tried again.
// Discord's own windows (3 s to answer an interaction, HTTP deadlines, 429
// waits) are real time whatever the clock.
type Clock interface {
	Now() time.Time
	// Sleep waits until d has passed on this clock, or ctx is done; it
	// reports whether d passed.
	Sleep(ctx context.Context, d time.Duration) bool
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// FileClock is FOR TESTS ONLY: simulated time for the chaos test, which
// runs the real `briefbot run` process through restarts "15 minutes later"
// and Discord outages "of several minutes" in seconds. Its time is the real
// time plus an offset read from a file (nanoseconds, one integer), which the
// test moves forward while the process runs; every process and the fake
// Discord reading the same file share one simulated time. cmd/briefbot
// only uses it when BRIEFBOT_TEST_CLOCK_FILE is set, and says so in the log.
type FileClock struct {
	path string

	mu     sync.Mutex
	offset time.Duration
	read   time.Time // when the file was last read (real time)
}

// fileClockRefresh is how stale the offset may be: a jump the test makes is
// seen within this.
const fileClockRefresh = 5 * time.Millisecond

// fileClockPoll is how often Sleep looks at the clock, so that it notices
// jumps.
const fileClockPoll = 10 * time.Millisecond

// NewFileClock reads the offset file at path; see FileClock.
func NewFileClock(path string) (*FileClock, error) {
	c := &FileClock{path: path}
	if _, err := c.readOffset(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *FileClock) readOffset() (time.Duration, error) {
	raw, err := os.ReadFile(c.path)
	if err != nil {
		return 0, fmt.Errorf("test clock: %w", err)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("test clock %s: want an offset in nanoseconds: %w", c.path, err)
	}
	return time.Duration(n), nil
}

// Now is the real time plus the file's offset. The offset only grows:
// a smaller one (a torn read) is ignored.
func (c *FileClock) Now() time.Time {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.read) >= fileClockRefresh {
		if off, err := c.readOffset(); err == nil && off > c.offset {
			c.offset = off
		}
		c.read = now
	}
	return now.Add(c.offset)
}

// Sleep waits until Now has moved d on, by polling, so a jump of the offset
// ends it early.
func (c *FileClock) Sleep(ctx context.Context, d time.Duration) bool {
	end := c.Now().Add(d)
	for {
		left := end.Sub(c.Now())
		if left <= 0 {
			return ctx.Err() == nil
		}
		if !(realClock{}).Sleep(ctx, min(left, fileClockPoll)) {
			return false
		}
	}
}

// SetFileClockOffset writes offset to path atomically (write, then rename),
// for the test that drives a FileClock.
func SetFileClockOffset(path string, offset time.Duration) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.FormatInt(int64(offset), 10)), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
