package main

import (
	"context"
	"errors"
)

// TEMPORARY until the bot and engine land.
func validateSchedule(spec, tz string) error { return nil }
func runBot(ctx context.Context, env *cli, args []string) error {
	return errors.New("not yet")
}
func runBrief(ctx context.Context, env *cli, args []string) error     { return errors.New("not yet") }
func runSummarize(ctx context.Context, env *cli, args []string) error { return errors.New("not yet") }
