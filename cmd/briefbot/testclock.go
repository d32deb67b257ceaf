package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/briefbot/briefbot/bot"
)

// testClockEnv names a file whose simulated time `briefbot run` then runs
// its schedules and delivery log on (bot.FileClock). It is FOR briefbot's
// OWN CHAOS TEST ONLY: it is read from the process environment alone (never
// from an env file), and a process that has it says so in its log.
const testClockEnv = "BRIEFBOT_TEST_CLOCK_FILE"

// testClock returns the simulated clock testClockEnv names, or nil when it
// is not set.
func testClock(log *slog.Logger) (*bot.FileClock, error) {
	path := os.Getenv(testClockEnv)
	if path == "" {
		return nil, nil
	}
	c, err := bot.NewFileClock(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", testClockEnv, err)
	}
	log.Warn("TEST CLOCK: schedules run on simulated time; " + testClockEnv + " is for briefbot's chaos test only, unset it")
	return c, nil
}
