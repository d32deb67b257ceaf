package bot

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
	"github.com/briefbot/briefbot/internal/benchcorpus"
	"github.com/briefbot/briefbot/internal/pgtest"
)

var enginesN = flag.Int("engines.n", 100000, "articles BenchmarkEngines stores on each engine")

// BenchmarkEngines compares the two store engines in one run, on the same
// deterministic articles (internal/benchcorpus, from Reuters-21578): ingest
// rate while building a store of -engines.n articles (100,000), then /brief
// from topic to rendered embeds over it, with a plain ranked search of the
// same topics as the floor. It runs SQLite always and PostgreSQL when
// BRIEFBOT_TEST_DATABASE_URL names a server (start one with
// PG_DURABLE=1 .ci/pg.sh start for a fair, durable comparison). Skipped
// without the corpus. Reported: articles/s (ingest), and the median and
// 90th percentile per /brief and per search in milliseconds.
//
//	go test -run '^$' -bench Engines -benchtime 1x -timeout 60m ./bot
func BenchmarkEngines(b *testing.B) {
	if _, err := os.Stat(benchcorpus.Path()); err != nil {
		b.Skipf("no Reuters corpus (set BRIEFBOT_REUTERS): %v", err)
	}
	type engine struct{ name, dsn string }
	engines := []engine{{"sqlite", filepath.Join(b.TempDir(), "engines.db")}}
	if u := pgtest.URL(b); u != "" {
		engines = append(engines, engine{"postgres", u})
	}
	topics := []string{"oil prices", "interest rates", "coffee exports", "trade deficit", "grain harvest",
		"bank merger", "strike", "opec output", "dollar yen", "gold"}
	for _, e := range engines {
		store, err := data.Open(e.dsn)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { store.Close() })
		b.Run(e.name+"/ingest", func(b *testing.B) {
			rate := ingestGenerated(b, store, *enginesN)
			b.ReportMetric(rate, "articles/s")
		})
		bot := &Bot{store: store, build: briefing.Build, now: time.Now, loc: time.UTC}
		ctx := context.Background()
		b.Run(e.name+"/brief", func(b *testing.B) {
			reportLatencies(b, topics, func(topic string) error {
				_, err := bot.briefMessage(ctx, topic, data.AllArticles(), data.GuildSettings{})
				return err
			})
		})
		b.Run(e.name+"/search", func(b *testing.B) {
			reportLatencies(b, topics, func(topic string) error {
				_, err := store.Search(ctx, topic, data.SearchOptions{Scope: data.AllArticles()})
				return err
			})
		})
	}
}

// ingestGenerated adds n generated articles in batches of 1,000, as
// IngestPaths does, and returns the articles stored per second of Add.
func ingestGenerated(b *testing.B, store *data.Store, n int) float64 {
	ctx := context.Background()
	var spent time.Duration
	err := benchcorpus.Batches(n, 1000, func(batch []benchcorpus.Article) error {
		arts := make([]data.Article, len(batch))
		for i, a := range batch {
			arts[i] = data.Article{Title: a.Title, Body: a.Body, Source: a.Source, URL: a.URL, Published: a.Published}
		}
		start := time.Now()
		_, err := store.Add(ctx, arts)
		spent += time.Since(start)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return float64(n) / spent.Seconds()
}

// reportLatencies runs op over the topics, at least three rounds, and
// reports the median and 90th percentile.
func reportLatencies(b *testing.B, topics []string, op func(string) error) {
	var took []time.Duration
	for round := 0; round < max(3, b.N); round++ {
		for _, t := range topics {
			start := time.Now()
			if err := op(t); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(took[len(took)/2]), "median-ms")
	b.ReportMetric(ms(took[len(took)*9/10]), "p90-ms")
}
