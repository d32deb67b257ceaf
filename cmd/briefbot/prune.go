package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// parseAge reads an age as the settings and flags take it: whole days (90d)
// or a Go duration (36h, 90m).
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q: want a number of days such as 7d, or a duration such as 36h", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q: want a number of days such as 7d, or a duration such as 36h", s)
	}
	return d, nil
}

// minRetention is the shortest retention accepted: anything shorter is a
// typo (90m for 90d), and would empty the store under the bot.
const minRetention = 24 * time.Hour

func runPrune(ctx context.Context, env *cli, args []string) error {
	fs := newFlags(env, "prune")
	db := dbFlag(fs)
	olderThan := fs.String("older-than", "", "delete articles older than this, e.g. 30d (default $BRIEFBOT_RETENTION, 90d)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	cfg, err := configFor(env, *db)
	if err != nil {
		return err
	}
	age, setting := cfg.Retention, "BRIEFBOT_RETENTION"
	if *olderThan != "" {
		age, setting = *olderThan, "--older-than"
	}
	keep, err := parseAge(age)
	if err != nil {
		return usageError("%s %v", setting, err)
	}
	if keep < minRetention {
		return usageError("%s %s: want at least 1d", setting, age)
	}
	store, err := openStore(env, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	before, err := store.Size(ctx)
	if err != nil {
		return err
	}
	cutoff := time.Now().Add(-keep)
	res, err := store.Prune(ctx, cutoff)
	fmt.Fprintf(env.stdout, "Deleted %d %s older than %s (from before %s).\n", res.Articles, plural(res.Articles, "article", "articles"),
		bot.FormatSpan(keep), cutoff.Format("2 Jan 2006 15:04 MST"))
	if err != nil {
		return err
	}
	// From the command line a database made before incremental vacuum is
	// rewritten once (the bot never blocks on that).
	freed, err := store.Reclaim(ctx, true)
	if err != nil {
		return err
	}
	after, err := store.Size(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Database: %s, was %s (%s given back to the file system).\n",
		bot.FormatBytes(after.Bytes), bot.FormatBytes(before.Bytes), bot.FormatBytes(freed))
	return nil
}
