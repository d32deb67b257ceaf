package bot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
	"github.com/briefbot/briefbot/internal/benchcorpus"
)

// openBenchStore opens a copy of the cached store of n generated Reuters
// articles (built by data's TestBuildBenchStores; skipped when absent).
func openBenchStore(b *testing.B, n int) *data.Store {
	path := benchcorpus.Find(n)
	if path == "" {
		b.Skipf("no cached %dk store: run BRIEFBOT_LARGE=1 go test ./data -run TestBuildBenchStores", n/1000)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	cp := filepath.Join(b.TempDir(), "bench.db")
	if err := os.WriteFile(cp, raw, 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := data.Open(cp)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkBriefStories measures /brief in process, topic to rendered
// embeds, on the cached 20k/100k/300k stores, for a common and a rare
// topic, with the median and 95th percentile; beside it the floor, a raw
// ranked FTS5 query for the topic's 20 best matches, and /status's Stats
// against a count of the articles table.
func BenchmarkBriefStories(b *testing.B) {
	for _, n := range []int{20000, 100000, 300000} {
		for _, topic := range []string{"oil", "cocoa"} {
			b.Run(fmt.Sprintf("%dk/%s", n/1000, topic), func(b *testing.B) {
				s := openBenchStore(b, n)
				ctx := context.Background()
				opt := data.SearchOptions{Scope: data.AllArticles()}
				var times []time.Duration
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					sb, err := BriefStories(ctx, s, topic, opt, briefing.Options{}, briefing.Build)
					if err != nil {
						b.Fatal(err)
					}
					RenderEmbeds(sb.Briefing, EmbedOptions{})
					times = append(times, time.Since(t0))
				}
				b.StopTimer()
				floor := medianOf(b.N, func() {
					if _, err := s.RawRankedQuery(ctx, topic, 20); err != nil {
						b.Fatal(err)
					}
				})
				med, p95 := percentiles(times)
				b.ReportMetric(ms(med), "median-ms")
				b.ReportMetric(ms(p95), "p95-ms")
				b.ReportMetric(ms(floor), "floor-ms")
				b.ReportMetric(float64(med)/float64(max(floor, 1)), "x-floor")
				if topic == "oil" {
					st := medianOf(50, func() {
						if _, err := s.Stats(ctx, data.AllArticles()); err != nil {
							b.Fatal(err)
						}
					})
					count := medianOf(5, func() { s.CountArticlesScan(ctx) })
					b.ReportMetric(ms(st), "status-ms")
					b.ReportMetric(ms(count), "count-scan-ms")
				}
			})
		}
	}
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
