package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// formats are the ways a briefing is written to the terminal.
var formats = map[string]func(io.Writer, briefing.Briefing) error{
	"text":     bot.RenderText,
	"markdown": bot.RenderMarkdown,
	"json":     writeJSON,
}

func writeJSON(w io.Writer, b briefing.Briefing) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

func formatFunc(name string) (func(io.Writer, briefing.Briefing) error, error) {
	f, ok := formats[name]
	if !ok {
		return nil, usageError("--format %q: want text, markdown or json", name)
	}
	return f, nil
}

func runBrief(ctx context.Context, env *cli, args []string) error {
	fs := newFlags(env, "brief")
	db := dbFlag(fs)
	since := fs.String("since", "", "only articles from this long ago, e.g. 24h or 7d")
	format := fs.String("format", "text", "text, markdown or json")
	maxWords := fs.Int("max-words", 0, "cap on the words of the whole briefing (0: no cap)")
	words, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	write, err := formatFunc(*format)
	if err != nil {
		return err
	}
	now := time.Now()
	from, err := sinceTime(*since, now)
	if err != nil {
		return err
	}
	store, err := openStore(env, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	topic := joinTopic(words)
	src, err := briefSource(ctx, env, store)
	if err != nil {
		return err
	}
	// The same stories, reports and engine as /brief.
	sb, err := bot.BriefStories(ctx, src, topic, data.SearchOptions{Since: from, Scope: data.AllArticles()},
		briefing.Options{Now: now, MaxWords: *maxWords}, briefing.Build)
	if err != nil {
		return err
	}
	if sb.Reports == 0 {
		if topic == "" {
			return fmt.Errorf("no stored articles%s: add some with 'briefbot ingest PATH'", sinceNote(*since))
		}
		return fmt.Errorf("no stored article matches %q%s (try 'briefbot search' with other words)", topic, sinceNote(*since))
	}
	return write(env.stdout, sb.Briefing)
}

func sinceNote(since string) string {
	if since == "" {
		return ""
	}
	return " in the last " + since
}

func runSummarize(ctx context.Context, env *cli, args []string) error {
	fs := newFlags(env, "summarize")
	maxWords := fs.Int("max-words", 0, "most words in the summary, whole sentences only (0: the engine's default length per story)")
	format := fs.String("format", "text", "text, markdown or json")
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	write, err := formatFunc(*format)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError("name at least one article file")
	}
	if *maxWords < 0 {
		return usageError("--max-words must be 0 or more")
	}
	var arts []briefing.Article
	for _, f := range files {
		parsed, err := data.ParseFile(f)
		if err != nil && len(parsed) == 0 {
			return fmt.Errorf("%s: %w", f, err)
		}
		if err != nil {
			fmt.Fprintf(env.stderr, "briefbot summarize: %s: %v\n", f, err)
		}
		for _, a := range parsed {
			arts = append(arts, briefing.Article{
				ID: filepath.Base(f), Title: a.Title, Source: a.Source, URL: a.URL, Published: a.Published, Body: a.Body,
			})
		}
	}
	// Every format renders the same briefing: --format changes the
	// rendering, never the sentences.
	b, err := briefing.Build(ctx, arts, briefing.Options{Now: time.Now(), MaxWords: *maxWords})
	if err != nil {
		return err
	}
	return write(env.stdout, b)
}

func runBot(ctx context.Context, env *cli, args []string) error {
	cfg, err := configCommand(env, "run", args)
	if err != nil {
		return err
	}
	if err := bot.ValidateToken(cfg.Token); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if problems := cfg.Problems(ctx); len(problems) > 0 {
		return &exitError{code: 2, msg: strings.Join(problems, "\n  ")}
	}
	log := cfg.logger()
	clock, err := testClock(log)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	var storeOpts []data.Option
	bcfg := cfg.botConfig(log)
	if clock != nil {
		storeOpts = append(storeOpts, data.WithClock(clock.Now))
		bcfg.Clock = clock
	}
	store, err := openConfigured(cfg, storeOpts...)
	if err != nil {
		return err
	}
	defer store.Close()
	log.Info("store open", "engine", store.Engine())
	err = bot.Run(ctx, bcfg, store)
	if err != nil && ctx.Err() != nil {
		// Stopped by a signal: a clean shutdown.
		return nil
	}
	return err
}
