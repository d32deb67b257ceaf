package data

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The Reuters corpus is research-licensed and not part of the project:
// benchmarks read it by path and skip when it is absent.
var reutersPath = flag.String("reuters", envOr("BRIEFBOT_REUTERS", "../../shared/corpus/reuters21578.jsonl"), "path of reuters21578.jsonl for benchmarks")

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// benchVocab is a news-like vocabulary; words are drawn with a skewed
// distribution so some are common and most rare, as in real text.
var benchVocab = func() []string {
	base := strings.Fields(`ceasefire talks president minister government market prices oil bank rates
		election vote court ruling police report company shares profit loss trade deal tariff war troops
		border refugees aid health hospital vaccine climate storm flood energy gas power grid strike union
		workers wages inflation growth economy budget tax debt bond yield dollar euro yen currency exports`)
	var v []string
	v = append(v, base...)
	for i := 0; len(v) < 5000; i++ {
		v = append(v, base[i%len(base)]+strconv.Itoa(i))
	}
	return v
}()

// benchArticle makes the i-th synthetic article of about 600 words,
// the same every run.
func benchArticle(i int) Article {
	r := rand.New(rand.NewPCG(uint64(i), 42))
	var b strings.Builder
	for w := 0; w < 600; w++ {
		// Squaring a uniform draw favours the start of the vocabulary.
		f := r.Float64()
		b.WriteString(benchVocab[int(f*f*float64(len(benchVocab)))])
		switch {
		case w%120 == 119:
			b.WriteString(".\n\n")
		case w%15 == 14:
			b.WriteString(". ")
		default:
			b.WriteByte(' ')
		}
	}
	return Article{
		Title:     fmt.Sprintf("%s %s %s report %d", benchVocab[r.IntN(60)], benchVocab[r.IntN(60)], benchVocab[r.IntN(500)], i),
		Source:    fmt.Sprintf("Outlet %d", i%40),
		URL:       fmt.Sprintf("https://news%d.example.com/story/%d?utm_source=bench", i%40, i),
		Published: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Minute),
		Body:      b.String(),
	}
}

// BenchmarkAdd measures ingestion into the store with its index; one op is
// one article, added in batches as IngestPaths does.
func BenchmarkAdd(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	arts := make([]Article, 0, ingestBatch)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		arts = append(arts, benchArticle(i))
		b.StartTimer()
		if len(arts) == ingestBatch || i == b.N-1 {
			if _, err := s.Add(ctx, arts); err != nil {
				b.Fatal(err)
			}
			arts = arts[:0]
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

var (
	bench20kOnce sync.Once
	bench20kPath string
	bench20kErr  error
)

// store20k returns a store of 20,000 synthetic articles, built once per
// benchmark process.
func store20k(b *testing.B) *Store {
	bench20kOnce.Do(func() {
		dir, err := os.MkdirTemp("", "briefbot-bench")
		if err != nil {
			bench20kErr = err
			return
		}
		bench20kPath = filepath.Join(dir, "20k.db")
		s, err := Open(bench20kPath)
		if err != nil {
			bench20kErr = err
			return
		}
		defer s.Close()
		for i := 0; i < 20000; i += ingestBatch {
			arts := make([]Article, 0, ingestBatch)
			for j := i; j < i+ingestBatch; j++ {
				arts = append(arts, benchArticle(j))
			}
			if _, err := s.Add(context.Background(), arts); err != nil {
				bench20kErr = err
				return
			}
		}
	})
	if bench20kErr != nil {
		b.Fatal(bench20kErr)
	}
	s, err := Open(bench20kPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

var benchQueries = []string{"ceasefire", "oil prices", "court ruling", "cease-fire talks", "inflation growth economy", `"bank" OR rates*`, "workers1234"}

// BenchmarkSearch20k measures a ranked search over 20,000 stored articles
// and reports the process's resident memory afterwards.
func BenchmarkSearch20k(b *testing.B) {
	s := store20k(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Search(ctx, benchQueries[i%len(benchQueries)], SearchOptions{Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportRSS(b)
}

// BenchmarkReuters ingests the Reuters-21578 corpus into a new store and then
// searches it; skipped when the corpus is absent.
func BenchmarkReuters(b *testing.B) {
	if _, err := os.Stat(*reutersPath); err != nil {
		b.Skipf("no Reuters corpus at %s (set -reuters or BRIEFBOT_REUTERS)", *reutersPath)
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		s := openTest(b)
		start := time.Now()
		rep, err := IngestPaths(ctx, s, []string{*reutersPath}, IngestOptions{})
		if err != nil || rep.Failed() {
			b.Fatalf("ingest: %v %s", err, rep.Summary())
		}
		el := time.Since(start)
		b.ReportMetric(float64(rep.Added+rep.Duplicates)/el.Seconds(), "articles/s")
		b.ReportMetric(float64(rep.Added), "added")
		qs := []string{"cocoa", "oil prices", "bank rates", "trade deficit japan"}
		start = time.Now()
		const n = 200
		for j := 0; j < n; j++ {
			if _, err := s.Search(ctx, qs[j%len(qs)], SearchOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/n/1000, "ms/search")
	}
	reportRSS(b)
}

// reportRSS reports the resident set size of the benchmark process, the
// number the memory targets are about.
func reportRSS(b *testing.B) {
	runtime.GC()
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if kb, err := strconv.Atoi(f[0]); err == nil {
				b.ReportMetric(float64(kb)/1024, "rss-MB")
			}
		}
	}
}
