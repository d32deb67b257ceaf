package data

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/benchcorpus"
)

// benchArticles converts generated articles to the store's.
func benchReuters(a benchcorpus.Article) Article {
	return Article{Title: a.Title, Body: a.Body, Source: a.Source, URL: a.URL, Published: a.Published}
}

// benchStoreKey names what the cached stores were built with, so a store
// built by older code is rebuilt: the schema, the focus tiers, the stored
// analyses' form (c and analysisFormat, so code that reads only compressed
// JSON never takes a store of binary analyses for its own), and what
// grouping makes of articles (g, storiesFingerprint). Migrations that leave
// what a generated store holds as it was (addedOnOpen) are not counted:
// Open adds them to a copy of a cached store, which is then the store a
// build would make.
func benchStoreKey() string {
	return fmt.Sprintf("s%d-t%d-c%d-g%s", len(migrations)-addedOnOpen, len(focusTiers), analysisFormat, storiesFingerprint())
}

// storiesFingerprintArticles is how many generated articles the stories'
// fingerprint groups: two batches, so the second is grouped against stories
// stored by the first.
const storiesFingerprintArticles = 2 * ingestBatch

var storiesFingerprintOnce = sync.OnceValue(func() string {
	dir, err := os.MkdirTemp("", "briefbot-fingerprint")
	if err != nil {
		return "x"
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "s.db")
	// A fixed clock: a story's row says when it was last ingested into.
	clock := WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	if _, err := buildGenerated(path, storiesFingerprintArticles, clock); err != nil {
		return "x"
	}
	s, err := Open(path)
	if err != nil {
		return "x"
	}
	defer s.Close()
	h := fnv.New32a()
	for _, q := range []string{
		`SELECT seq, story_id FROM articles ORDER BY seq`,
		`SELECT id, headline, first_seen, last_update, ingested, reports, outlets, hex(profile) FROM stories ORDER BY id`,
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			return "x"
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		for rows.Next() {
			if err := rows.Scan(vals...); err != nil {
				rows.Close()
				return "x"
			}
			for _, v := range vals {
				fmt.Fprint(h, *(v.(*any)), "\x00")
			}
		}
		rows.Close()
	}
	return fmt.Sprintf("%08x", h.Sum32())
})

// storiesFingerprint hashes the stories grouping makes of the first
// storiesFingerprintArticles generated articles (each article's story and
// every story row), computed once a process (a second or two). Grouping
// and the analysis it reads change more often than the schema; a store
// built before such a change holds other stories (the 100k store built
// before this key had 3,213 stories where this code makes 4,173), and
// ingest into it measured something other than this code. "x" when the
// fingerprint could not be made (the benchmark then builds its own store).
func storiesFingerprint() string { return storiesFingerprintOnce() }

// addedOnOpen counts the migrations that leave a generated store's content
// as it was: 12 makes only a table a generated store leaves empty (the
// copies: no two generated reports share a text), 14 only indexes, 15 only
// a setting of the full-text index (how much it buffers before writing),
// 16 only a table a finished ingest leaves empty (pending term counts).
const addedOnOpen = 4

// buildGenerated ingests n generated articles into a new store at path in
// batches as IngestPaths does, and returns the ingest rate.
func buildGenerated(path string, n int, opts ...Option) (float64, error) {
	s, err := Open(path, opts...)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	ctx := context.Background()
	var ingestTime time.Duration
	err = benchcorpus.Batches(n, ingestBatch, func(batch []benchcorpus.Article) error {
		arts := make([]Article, len(batch))
		for i, a := range batch {
			arts[i] = benchReuters(a)
		}
		t := time.Now()
		_, err := s.Add(ctx, arts)
		ingestTime += time.Since(t)
		return err
	})
	return float64(n) / ingestTime.Seconds(), err
}

// generatedStorePath is the path of the cached store of n generated
// articles, built the first time.
func generatedStorePath(tb testing.TB, n int) string {
	tb.Helper()
	path, err := benchcorpus.Cached(n, benchStoreKey(), func(p string) error {
		rate, err := buildGenerated(p, n)
		tb.Logf("built %d generated articles at %.0f articles/s", n, rate)
		return err
	})
	if err != nil {
		tb.Skip(err)
	}
	return path
}

// TestBuildBenchStores builds the cached 20k, 100k and 300k stores the
// benchmarks use and logs their ingest rate and size (BRIEFBOT_LARGE=1).
func TestBuildBenchStores(t *testing.T) {
	if os.Getenv("BRIEFBOT_LARGE") == "" {
		t.Skip("set BRIEFBOT_LARGE=1 to build the 20k/100k/300k benchmark stores (minutes)")
	}
	for _, n := range []int{20000, 100000, 300000} {
		// The file's size, not the store opened: opening would migrate
		// the cached store, which benchmarks only ever copy.
		fi, err := os.Stat(generatedStorePath(t, n))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d articles: %.0f MB, %.0f bytes/article", n, float64(fi.Size())/1e6, float64(fi.Size())/float64(n))
	}
}
