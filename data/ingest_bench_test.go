package data

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/benchcorpus"
)

// ingestAtNew is how many new articles BenchmarkIngestAt adds to a store.
const ingestAtNew = 10000

// BenchmarkIngestAt measures `briefbot ingest` of a file of 10,000 new
// generated articles (IngestPaths: read, prepared, grouped into stories
// and stored in batches) into a copy of the cached store of 20k generated
// articles, and with BRIEFBOT_LARGE=1 of 100k and 300k. Beside the
// wall-clock rate it reports the process's CPU time per article (the cost
// on a shared machine), and a floor measured in the same run on the same
// database file: the same rows inserted plainly into a table without
// indexes, grouping or full-text index. Run with -benchtime 1x -count 5.
func BenchmarkIngestAt(b *testing.B) {
	sizes := []int{20000}
	if os.Getenv("BRIEFBOT_LARGE") != "" {
		sizes = append(sizes, 100000, 300000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("stored=%dk", n/1000), func(b *testing.B) { benchIngestAt(b, n) })
	}
}

func benchIngestAt(b *testing.B, n int) {
	base := generatedStorePath(b, n)
	batches := ingestAtBatches(b, n)
	file := filepath.Join(b.TempDir(), "new.jsonl")
	if err := writeJSONL(file, batches); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var wall, cpu, floorWall, floorCPU time.Duration
	var grown, size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := copyStore(b, base)
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		before := storeBytes(b, s)
		b.StartTimer()
		c0, t0 := benchcorpus.ProcessCPU(), time.Now()
		rep, err := IngestPaths(ctx, s, []string{file}, IngestOptions{})
		if err != nil || rep.Added != ingestAtNew {
			b.Fatalf("ingest: %v, %s", err, rep.Summary())
		}
		wall += time.Since(t0)
		cpu += time.Duration(benchcorpus.ProcessCPU() - c0)
		b.StopTimer()
		after := storeBytes(b, s)
		grown += after - before
		size += after
		fw, fc := plainInsertFloor(b, s, batches)
		floorWall += fw
		floorCPU += fc
		s.Close()
		removeStore(path)
	}
	per := float64(b.N * ingestAtNew)
	b.ReportMetric(per/wall.Seconds(), "articles/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/per, "cpu-ns/article")
	b.ReportMetric(per/floorWall.Seconds(), "floor-articles/s")
	b.ReportMetric(float64(floorCPU.Nanoseconds())/per, "floor-cpu-ns/article")
	b.ReportMetric(float64(cpu)/float64(floorCPU), "x-floor-cpu")
	b.ReportMetric(float64(wall)/float64(floorWall), "x-floor-wall")
	b.ReportMetric(float64(grown)/per, "new-B/article")
	b.ReportMetric(float64(size)/float64(b.N)/float64(n+ingestAtNew), "B/article")
}

// ingestAtBatches generates the ingestAtNew articles after the first n, in
// batches of ingestBatch (as IngestPaths stores them); it skips b when the
// corpus is missing.
func ingestAtBatches(b *testing.B, n int) [][]Article {
	var batches [][]Article
	err := benchcorpus.GenerateRange(n, n+ingestAtNew, func(_ int, a benchcorpus.Article) error {
		if len(batches) == 0 || len(batches[len(batches)-1]) == ingestBatch {
			batches = append(batches, make([]Article, 0, ingestBatch))
		}
		batches[len(batches)-1] = append(batches[len(batches)-1], benchReuters(a))
		return nil
	})
	if err != nil {
		b.Skip(err)
	}
	return batches
}

// writeJSONL writes articles as an article file of JSON lines.
func writeJSONL(path string, batches [][]Article) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, batch := range batches {
		for _, a := range batch {
			if err := enc.Encode(map[string]string{"title": a.Title, "body": a.Body, "source": a.Source,
				"url": a.URL, "published": a.Published.Format(time.RFC3339)}); err != nil {
				f.Close()
				return err
			}
		}
	}
	return f.Close()
}

// plainInsertFloor inserts the batches' rows, in transactions of the same
// size, into a new table with no index, trigger, grouping or full-text
// index: what writing the same bytes to the same file costs at the least.
// It returns the wall and CPU time taken.
func plainInsertFloor(b *testing.B, s *Store, batches [][]Article) (wall, cpu time.Duration) {
	ctx := context.Background()
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE floor_rows (id TEXT, title TEXT, source TEXT, url TEXT,
		published INTEGER, ingested INTEGER, body TEXT)`); err != nil {
		b.Fatal(err)
	}
	now := time.Now().Unix()
	c0, t0 := benchcorpus.ProcessCPU(), time.Now()
	for k, batch := range batches {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO floor_rows (id, title, source, url, published, ingested, body)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			b.Fatal(err)
		}
		for j, a := range batch {
			if _, err := ins.ExecContext(ctx, fmt.Sprintf("floor-%d-%d", k, j), a.Title, a.Source, a.URL, a.Published.Unix(), now, a.Body); err != nil {
				b.Fatal(err)
			}
		}
		ins.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(t0), time.Duration(benchcorpus.ProcessCPU() - c0)
}

// storeBytes is the size of an SQLite store's pages, its write-ahead log
// included.
func storeBytes(b *testing.B, s *Store) int64 {
	var pages, size int64
	if err := s.db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		b.Fatal(err)
	}
	if err := s.db.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
		b.Fatal(err)
	}
	return pages * size
}

// copyStore copies a closed SQLite store (and its write-ahead log, if one
// was left) to a temporary folder and returns the copy's path.
func copyStore(b *testing.B, src string) string {
	dst := filepath.Join(b.TempDir(), filepath.Base(src))
	for _, suffix := range []string{"", "-wal"} {
		in, err := os.Open(src + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		out, err := os.Create(dst + suffix)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			b.Fatal(err)
		}
		in.Close()
		if err := out.Close(); err != nil {
			b.Fatal(err)
		}
	}
	return dst
}

// removeStore deletes a store copy at once (a copy of the 300k store is a
// gigabyte).
func removeStore(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}
