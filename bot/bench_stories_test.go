package bot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
	"github.com/briefbot/briefbot/internal/benchcorpus"
)

// openBenchStore opens a copy of the cached store of n generated Reuters
// articles (built by data's TestBuildBenchStores), or returns nil when
// there is none.
func openBenchStore(b *testing.B, n int) *data.Store {
	path := benchcorpus.Find(n)
	if path == "" {
		b.Logf("no cached %dk store: run BRIEFBOT_LARGE=1 go test ./data -run TestBuildBenchStores", n/1000)
		return nil
	}
	cp := filepath.Join(b.TempDir(), "bench.db")
	if err := benchcorpus.Copy(path, cp); err != nil {
		b.Fatal(err)
	}
	s, err := data.Open(cp)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// benchSizes are the cached stores' sizes; BRIEFBOT_BENCH_SIZES (say
// "100000") picks some.
func benchSizes() []int {
	sizes := []int{20000, 100000, 300000}
	if env := os.Getenv("BRIEFBOT_BENCH_SIZES"); env != "" {
		sizes = nil
		for _, f := range strings.Split(env, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
				sizes = append(sizes, n)
			}
		}
	}
	return sizes
}

// BenchmarkBriefStories measures /brief in process, topic to rendered
// embeds, on the cached 20k/100k/300k stores, for a common topic ("oil")
// and a rare one ("cocoa"): the median and 95th percentile wall time, and
// the CPU time per brief (cpu-ms, what it costs on a shared machine).
// Beside them, measured in the same run, two floors and the ratios to
// them: one ranked FTS query for the topic's 20 best matches (fts-ms), and
// a raw read of every row of the stories briefed, each article with its
// stored analysis, left undecoded (rows-ms). /status's Stats is reported
// against a count of the articles table.
func BenchmarkBriefStories(b *testing.B) {
	for _, n := range benchSizes() {
		s := openBenchStore(b, n)
		if s == nil {
			continue
		}
		for _, topic := range []string{"oil", "cocoa"} {
			// The owner's view (the command line) and a server's (what
			// /brief reads: the shared articles and the server's own).
			b.Run(fmt.Sprintf("%dk/%s", n/1000, topic), func(b *testing.B) { benchBriefStories(b, s, topic, data.AllArticles()) })
			b.Run(fmt.Sprintf("%dk/%s-server", n/1000, topic), func(b *testing.B) { benchBriefStories(b, s, topic, data.GuildScope(benchGuild)) })
		}
		b.Run(fmt.Sprintf("%dk/status", n/1000), func(b *testing.B) {
			ctx := context.Background()
			st := medianOf(max(b.N, 50), func() {
				if _, err := s.Stats(ctx, data.AllArticles()); err != nil {
					b.Fatal(err)
				}
			})
			count := medianOf(5, func() { s.CountArticlesScan(ctx) })
			b.ReportMetric(ms(st), "status-ms")
			b.ReportMetric(ms(count), "count-scan-ms")
		})
	}
}

// benchGuild is the server a benchmark's /brief is asked from; it owns
// no article of the generated stores, so it reads the shared ones.
const benchGuild = "100000000000000001"

func benchBriefStories(b *testing.B, s *data.Store, topic string, sc data.Scope) {
	ctx := context.Background()
	opt := data.SearchOptions{Scope: sc}
	var times, cpus []time.Duration
	var last StoryBrief
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0, c0 := time.Now(), processCPU()
		sb, err := BriefStories(ctx, s, topic, opt, briefing.Options{}, briefing.Build)
		if err != nil {
			b.Fatal(err)
		}
		RenderEmbeds(sb.Briefing, EmbedOptions{})
		times = append(times, time.Since(t0))
		cpus = append(cpus, time.Duration(processCPU()-c0))
		last = sb
	}
	b.StopTimer()
	ids := last.StoryIDs
	fts := medianOf(b.N, func() {
		if _, err := s.RawRankedQuery(ctx, topic, 20); err != nil {
			b.Fatal(err)
		}
	})
	var rowsRead int
	rows := medianOf(b.N, func() {
		n, err := s.RawStoryRows(ctx, ids)
		if err != nil {
			b.Fatal(err)
		}
		rowsRead = n
	})
	med, p95 := percentiles(times)
	cpu, _ := percentiles(cpus)
	b.ReportMetric(ms(med), "median-ms")
	b.ReportMetric(ms(p95), "p95-ms")
	b.ReportMetric(ms(cpu), "cpu-ms")
	b.ReportMetric(ms(fts), "fts-ms")
	b.ReportMetric(ms(rows), "rows-ms")
	b.ReportMetric(float64(med)/float64(max(fts, 1)), "x-fts")
	b.ReportMetric(float64(med)/float64(max(rows, 1)), "x-rows")
	b.ReportMetric(float64(len(ids)), "stories")
	b.ReportMetric(float64(rowsRead), "story-rows")
	b.ReportMetric(float64(last.Reports), "reports")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func medianOf(n int, f func()) time.Duration {
	n = max(n, 3)
	ts := make([]time.Duration, n)
	for i := range ts {
		t0 := time.Now()
		f()
		ts[i] = time.Since(t0)
	}
	med, _ := percentiles(ts)
	return med
}

func percentiles(ts []time.Duration) (median, p95 time.Duration) {
	if len(ts) == 0 {
		return 0, 0
	}
	s := append([]time.Duration(nil), ts...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2], s[min(len(s)-1, len(s)*95/100)]
}
