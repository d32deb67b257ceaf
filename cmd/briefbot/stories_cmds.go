package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/data"
)

// runStories lists the stored stories, most recently updated first, with
// their coverage.
func runStories(ctx context.Context, env *cli, args []string) error {
	fs := newFlags(env, "stories")
	db := dbFlag(fs)
	since := fs.String("since", "", "only stories with a report stored this recently, e.g. 24h or 7d")
	limit := fs.Int("limit", 20, "most stories to list")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *limit <= 0 {
		return usageError("--limit must be 1 or more")
	}
	from, err := sinceTime(*since, time.Now())
	if err != nil {
		return err
	}
	store, err := openStore(env, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	stories, err := store.Stories(ctx, data.StoryOptions{Since: from, Limit: *limit})
	if err != nil {
		return err
	}
	if len(stories) == 0 {
		fmt.Fprintf(env.stdout, "No stories%s.\n", sinceNote(*since))
		return nil
	}
	for i, st := range stories {
		outlets, err := store.StoryOutlets(ctx, st.ID)
		if err != nil {
			return err
		}
		if len(outlets) > 4 {
			outlets = append(outlets[:4], fmt.Sprintf("%d more", len(outlets)-4))
		}
		fmt.Fprintf(env.stdout, "%d. %s\n   %d %s, %d %s · first seen %s · updated %s\n",
			i+1, st.Headline, st.Reports, plural(st.Reports, "report", "reports"), st.Outlets, plural(st.Outlets, "outlet", "outlets"),
			st.FirstSeen.UTC().Format("2 Jan 2006 15:04"), st.LastUpdate.UTC().Format("2 Jan 2006 15:04"))
		if len(outlets) > 0 {
			fmt.Fprintf(env.stdout, "   %s\n", strings.Join(outlets, ", "))
		}
	}
	return nil
}

// runRegroup rebuilds every story from the stored articles.
func runRegroup(ctx context.Context, env *cli, args []string) error {
	fs := newFlags(env, "regroup")
	db := dbFlag(fs)
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	store, err := openStore(env, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	last := start
	err = store.Regroup(ctx, func(done, total int) {
		if time.Since(last) >= 2*time.Second || done == total {
			last = time.Now()
			fmt.Fprintf(env.stderr, "regroup: %d of %d articles\n", done, total)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "regrouped in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
