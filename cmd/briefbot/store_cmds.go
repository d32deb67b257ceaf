package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/data"
)

// openStore opens the store the configuration names, or the --db flag's.
func openStore(env *cli, db string) (*data.Store, error) {
	cfg, err := configFor(env, db)
	if err != nil {
		return nil, err
	}
	return openConfigured(cfg)
}

// openConfigured opens cfg's store; an error names the setting that named
// the file.
func openConfigured(cfg Config, opts ...data.Option) (*data.Store, error) {
	s, err := data.Open(cfg.DB, opts...)
	if err != nil {
		// The driver's words ("unable to open database file (14)") do
		// not say why; check's do.
		if _, cerr := data.CheckFile(context.Background(), cfg.DB); cerr != nil {
			return nil, fmt.Errorf("%s %q %v", cfg.DBSetting, data.RedactDSN(cfg.DB), cerr)
		}
		return nil, fmt.Errorf("%s: %w", cfg.DBSetting, err)
	}
	return s, nil
}

// briefSource is the store brief and search read: store, or while it holds
// no article the sample articles, which it then says on stderr (stdout
// stays the briefing alone, for --format json).
func briefSource(ctx context.Context, env *cli, store *data.Store) (*data.Store, error) {
	src, sample, err := bot.BriefSource(ctx, store)
	if sample {
		fmt.Fprintln(env.stderr, "briefbot: sample articles: the database is empty; add your own with 'briefbot ingest PATH|URL'")
	}
	return src, err
}

func runIngest(ctx context.Context, env *cli, args []string) error {
	fs := newFlags(env, "ingest")
	db := dbFlag(fs)
	paths, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usageError("name at least one file or folder to ingest")
	}
	cfg, err := configFor(env, *db)
	if err != nil {
		return err
	}
	store, err := openConfigured(cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	var files []string
	failed := false
	for _, p := range paths {
		if !isURL(p) {
			files = append(files, p)
			continue
		}
		// A URL is a feed (ingested once) or one article page.
		// Pages the feed's items link to are guarded like any feed
		// content, unless the owner allows private addresses.
		fetcher := data.NewFetcher(data.FetcherOptions{Version: buildVersion(), AllowPrivate: cfg.allowPrivate()})
		res, err := data.IngestURL(ctx, store, fetcher, p, time.Now())
		if err != nil {
			fmt.Fprintf(env.stderr, "  skipped %s: %v\n", p, err)
			failed = true
			continue
		}
		fmt.Fprint(env.stderr, res.Summary())
	}
	if len(files) == 0 {
		if failed {
			return &exitError{code: 1}
		}
		return nil
	}
	start := time.Now()
	rep, err := data.IngestPaths(ctx, store, files, data.IngestOptions{Progress: env.stderr})
	el := time.Since(start)
	fmt.Fprint(env.stderr, rep.Summary())
	if n := rep.Added + rep.Duplicates; n > 0 {
		fmt.Fprintf(env.stderr, "%d %s in %s (%.0f articles/s)\n", n, plural(n, "article", "articles"), el.Round(time.Millisecond), float64(n)/el.Seconds())
	}
	for _, d := range rep.DuplicateOf {
		fmt.Fprintf(env.stderr, "  duplicate (%s): %s\n", d.Reason, d.Title)
	}
	if rep.Duplicates > len(rep.DuplicateOf) && len(rep.DuplicateOf) > 0 {
		fmt.Fprintf(env.stderr, "  … and %d more duplicates\n", rep.Duplicates-len(rep.DuplicateOf))
	}
	if err != nil && ctx.Err() != nil {
		return &exitError{code: 1, msg: "interrupted: stopped before the end; the articles counted above are stored, run it again to go on"}
	}
	if err != nil {
		return err
	}
	if rep.Failed() || failed {
		return &exitError{code: 1}
	}
	return nil
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func runSearch(ctx context.Context, env *cli, args []string) error {
	fs := newFlags(env, "search")
	db := dbFlag(fs)
	limit := fs.Int("limit", 10, "most articles to list")
	since := fs.String("since", "", "only articles from this long ago, e.g. 24h or 7d")
	words, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	topic := joinTopic(words)
	if topic == "" {
		return usageError("name a topic, e.g. briefbot search ceasefire")
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
	src, err := briefSource(ctx, env, store)
	if err != nil {
		return err
	}
	hits, err := src.Search(ctx, topic, data.SearchOptions{Limit: *limit, Since: from, Scope: data.AllArticles()})
	if err != nil {
		return err
	}
	if len(hits) == 0 {
		fmt.Fprintf(env.stdout, "No stored article matches %q.\n", topic)
		return nil
	}
	for i, h := range hits {
		src := h.Source
		if src == "" {
			src = "unnamed outlet"
		}
		date := "undated"
		if !h.Published.IsZero() {
			date = h.Published.Format("2 Jan 2006")
		}
		fmt.Fprintf(env.stdout, "%d. %s\n   %s · %s\n   %s\n", i+1, h.Title, src, date, h.Snippet)
		if h.URL != "" {
			fmt.Fprintf(env.stdout, "   %s\n", h.URL)
		}
	}
	return nil
}

// sinceTime reads a --since value (7d, 36h; see parseAge) as the time
// that long before now. Empty means no limit.
func sinceTime(s string, now time.Time) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	d, err := parseAge(s)
	if err != nil {
		return time.Time{}, usageError("--since %v", err)
	}
	return now.Add(-d), nil
}
