package data

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/benchcorpus"
)

// TestEachOn: every index is taken exactly once, by at most workers
// goroutines (and no more than there are indexes), and by later more once
// freed is closed, never while it is open.
func TestEachOn(t *testing.T) {
	closed := make(chan struct{})
	close(closed)
	for _, c := range []struct {
		workers, later, n int
		freed             chan struct{}
		min, max          int
	}{
		{1, 0, 10, nil, 1, 1},
		{3, 0, 10, nil, 3, 3},
		{3, 0, 2, nil, 2, 2},
		{4, 0, 0, nil, 0, 0},
		{1, 1, 10, nil, 1, 1},                 // never freed: the one worker does all
		{1, 1, 10, make(chan struct{}), 1, 1}, // freed too late
		{1, 1, 1000, closed, 1, 2},            // freed at once: may join
		{2, 3, 2, closed, 2, 4},
	} {
		var goroutines atomic.Int32
		seen := make([]atomic.Int32, c.n)
		work := func(next func() (int, bool)) {
			goroutines.Add(1)
			for i, ok := next(); ok; i, ok = next() {
				seen[i].Add(1)
			}
		}
		if c.later == 0 {
			eachOn(c.workers, c.n, work)
		} else {
			eachOnFreed(c.workers, c.later, c.freed, c.n, work)
		}
		if got := int(goroutines.Load()); got < c.min || got > c.max {
			t.Errorf("eachOnFreed(%d, %d, %d): %d goroutines, want %d to %d", c.workers, c.later, c.n, got, c.min, c.max)
		}
		for i := range seen {
			if n := seen[i].Load(); n != 1 {
				t.Errorf("eachOnFreed(%d, %d, %d): index %d taken %d times", c.workers, c.later, c.n, i, n)
			}
		}
	}
	// A worker freed while the work goes on takes its share.
	freed := make(chan struct{})
	var by [2]atomic.Int32
	var id atomic.Int32
	eachOnFreed(1, 1, freed, 200, func(next func() (int, bool)) {
		me := id.Add(1) - 1
		for _, ok := next(); ok; _, ok = next() {
			by[me].Add(1)
			if me == 0 && by[0].Load() == 1 {
				close(freed)
				// Wait (bounded) for the freed worker to take one.
				for end := time.Now().Add(10 * time.Second); by[1].Load() == 0 && time.Now().Before(end); {
					runtime.Gosched()
				}
			}
		}
	})
	if by[0].Load()+by[1].Load() != 200 || by[1].Load() == 0 {
		t.Errorf("freed worker took %d of 200 (first %d)", by[1].Load(), by[0].Load())
	}
}

// TestPrepareBatchSpare: a batch prepared with cores to spare, even all of
// them, is prepared whole, the same as on every core.
func TestPrepareBatchSpare(t *testing.T) {
	s := openTest(t)
	var arts []Article
	for i := range 20 {
		arts = append(arts, Article{Title: "Report", Source: "Wire", Body: "Report number " + string(rune('a'+i)) + " of the day. The minister spoke."})
	}
	all, err := s.prepareBatch(t.Context(), arts, false, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	freed := make(chan struct{})
	close(freed)
	for _, spare := range []int{1, runtime.GOMAXPROCS(0), runtime.GOMAXPROCS(0) + 3, -1} {
		var f chan struct{}
		if spare < 0 { // the spare cores freed at once
			spare, f = runtime.GOMAXPROCS(0), freed
		}
		got, err := s.prepareBatch(t.Context(), arts, false, spare, f)
		if err != nil {
			t.Fatal(err)
		}
		for i := range all {
			if got[i].ID == "" || got[i].ID != all[i].ID || got[i].focus != all[i].focus || string(got[i].stored) != string(all[i].stored) {
				t.Errorf("spare %d: article %d prepared as %q, on every core %q", spare, i, got[i].ID, all[i].ID)
			}
		}
	}
}

// BenchmarkPrepare prepares 2,000 of the generated articles BenchmarkIngestAt
// adds to its 100k store, on one goroutine: the CPU ingest spends before the
// writer (analysis, focus tokens, index text, autocomplete rows), reported
// per article.
func BenchmarkPrepare(b *testing.B) {
	var arts []Article
	err := benchcorpus.GenerateRange(100000, 102000, func(_ int, a benchcorpus.Article) error {
		a.Title, a.Body = collapseSpace(NormalizeText(a.Title)), NormalizeText(a.Body) // as IngestPaths reads them
		arts = append(arts, benchReuters(a))
		return nil
	})
	if err != nil {
		b.Skip(err)
	}
	stems := newPrepCache()
	b.ReportAllocs()
	cpu := benchcorpus.ProcessCPU()
	for b.Loop() {
		for _, a := range arts {
			prepareArticle(a, true, sqliteDialect{}, stems)
		}
	}
	b.ReportMetric(float64(benchcorpus.ProcessCPU()-cpu)/float64(b.N*len(arts)), "cpu-ns/article")
}

// TestPrepCachesIdle: a cache given back is kept for the next batch, and
// let go once no batch has come for the idle delay; a closed store keeps
// none.
func TestPrepCachesIdle(t *testing.T) {
	c := &prepCaches{delay: 20 * time.Millisecond}
	pc := c.get()
	c.put(pc)
	if got := c.get(); got != pc {
		t.Fatal("a cache given back was not kept for the next batch")
	}
	c.put(pc)
	deadline := time.Now().Add(5 * time.Second)
	for {
		c.mu.Lock()
		n := len(c.free)
		c.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the kept cache was never let go")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := c.get(); got == pc {
		t.Fatal("a dropped cache came back")
	}
	c.put(c.get())
	c.stop()
	if len(c.free) != 0 {
		t.Fatal("stop kept a cache")
	}
}
