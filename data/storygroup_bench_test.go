package data

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/benchcorpus"
)

// BenchmarkGroupAssign measures story grouping alone, as an ingest's
// grouping does it (groupBatch.place of every new article, batch by batch),
// for the 10,000 new articles BenchmarkIngestAt adds to the cached store of
// 20k generated articles (and with BRIEFBOT_LARGE=1, 100k). The articles
// are prepared, and the grouper's state read, before the timer starts;
// each batch's new stories are inserted (storyID) and its stories saved
// (finish) untimed, and the whole run is rolled back, so every iteration
// groups the same articles against the same stories. Besides the time it
// reports the CPU time per article while placing, of the process and of
// the benchmark's thread (the grouping's own, without the collector's work
// elsewhere), and logs a hash of the stories the articles joined and of the
// saved profiles: a change that must not change the stories keeps it.
func BenchmarkGroupAssign(b *testing.B) {
	sizes := []int{20000}
	if os.Getenv("BRIEFBOT_LARGE") != "" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("stored=%dk", n/1000), func(b *testing.B) { benchGroupAssign(b, n) })
	}
}

func benchGroupAssign(b *testing.B, n int) {
	base := generatedStorePath(b, n)
	batches := ingestAtBatches(b, n)
	path := copyStore(b, base)
	defer removeStore(path)
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	prepared := make([][]preparedArticle, len(batches))
	for i, batch := range batches {
		if prepared[i], err = s.prepareBatch(ctx, batch, false, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
	ingested := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	var cpu, thread time.Duration
	var articles int
	// The goroutine keeps its thread, whose CPU time is the grouping's.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s.group.mu.Lock()
		s.group.reset()
		s.group.mu.Unlock()
		s.preloadGroup(ctx)
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		h := sha256.New()
		for _, batch := range prepared {
			var analyses []*briefing.Analysis
			for _, p := range batch {
				if p.analysis != nil {
					analyses = append(analyses, p.analysis)
				}
			}
			group, err := s.beginGroup(ctx, tx, analyses, nil)
			if err != nil {
				b.Fatal(err)
			}
			placed := make([]*cachedStory, 0, len(batch))
			b.StartTimer()
			c0, t0 := benchcorpus.ProcessCPU(), threadCPU()
			for _, p := range batch {
				if p.analysis != nil {
					placed = append(placed, group.place(p.analysis, p.Source, unixOrZero(p.Published), ingested))
				}
			}
			cpu += time.Duration(benchcorpus.ProcessCPU() - c0)
			thread += threadCPU() - t0
			b.StopTimer()
			// The new stories' rows, in the order they started, as the
			// writer inserts them.
			for _, cs := range placed {
				id, err := group.storyID(ctx, cs)
				if err != nil {
					b.Fatal(err)
				}
				fmt.Fprintf(h, "%d\n", id)
				articles++
			}
			var dirty []*cachedStory
			for _, cs := range s.group.cache {
				if cs.dirty {
					dirty = append(dirty, cs)
				}
			}
			sort.Slice(dirty, func(i, j int) bool { return dirty[i].id < dirty[j].id })
			for _, cs := range dirty {
				fmt.Fprintf(h, "%d %x\n", cs.id, sha256.Sum256(encodeProfile(cs.profile)))
			}
			if err := group.finish(ctx); err != nil {
				b.Fatal(err)
			}
			group.end(true)
		}
		if err := tx.Rollback(); err != nil {
			b.Fatal(err)
		}
		b.Logf("stories hash %x", h.Sum(nil)[:8])
		s.group.mu.Lock()
		s.group.reset()
		s.group.mu.Unlock()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(articles), "ns/article")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(articles), "cpu-ns/article")
	b.ReportMetric(float64(thread.Nanoseconds())/float64(articles), "thread-ns/article")
}
