package data

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// deltaArticles are articles whose autocomplete rows overlap from batch to
// batch (the same names and title words recur) and differ (each has words
// of its own).
func deltaArticles(n int) []Article {
	names := []string{"Steve Witkoff", "Vladimir Putin", "Kaja Kallas", "Marco Rubio"}
	words := []string{"ceasefire", "tariffs", "pipeline", "election", "drought"}
	out := make([]Article, n)
	for i := range out {
		out[i] = Article{
			Title:     fmt.Sprintf("%s talks %s round%d", words[i%len(words)], words[(i/2)%len(words)], i),
			Body:      fmt.Sprintf("%s met %s on the %s. Officials said talks number %d went on.", names[i%len(names)], names[(i+1)%len(names)], words[i%len(words)], i),
			Source:    []string{"Reuters", "AP", "BBC"}[i%3],
			URL:       fmt.Sprintf("https://example.com/a/%d", i),
			Published: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour),
		}
	}
	return out
}

// termRows reads the terms table in order.
func termRows(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT term, display, n FROM terms ORDER BY term`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var term, display string
		var n int
		if err := rows.Scan(&term, &display, &n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%q %q %d", term, display, n))
	}
	return out
}

func pendingDeltas(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM term_deltas`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// bulkWrite stores arts in batches of size through a bulk writer, as
// IngestPaths does, committing each (IngestPaths commits a few at once),
// leaving its deltas pending.
func bulkWrite(t *testing.T, s *Store, arts []Article, size int) {
	t.Helper()
	ctx := context.Background()
	bw, err := s.newBulkWriter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer bw.close()
	for len(arts) > 0 {
		k := min(size, len(arts))
		p, err := s.prepareBatch(ctx, arts[:k], false, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bw.write(ctx, p, batchTermDocs(p)); err != nil {
			t.Fatal(err)
		}
		// A transaction a batch, a delta each.
		if _, err := bw.commit(ctx); err != nil {
			t.Fatal(err)
		}
		arts = arts[k:]
		if n := pendingDeltas(t, s); n >= termDeltaMerge {
			t.Fatalf("%d deltas pending, want fewer than %d", n, termDeltaMerge)
		}
	}
}

// TestTermDeltasCountAsDirect: a bulk ingest's deferred counts, merged
// within the ingest (every termDeltaMerge batches) and at its end, leave
// the terms table as counting each batch directly does.
func TestTermDeltasCountAsDirect(t *testing.T) {
	ctx := context.Background()
	arts := deltaArticles(3*termDeltaMerge + 5)
	for _, size := range []int{1, 3, len(arts)} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			direct, bulk := openTest(t), openTest(t)
			for i := 0; i < len(arts); i += size {
				if _, err := direct.Add(ctx, arts[i:min(i+size, len(arts))]); err != nil {
					t.Fatal(err)
				}
			}
			bulkWrite(t, bulk, arts, size)
			if err := bulk.mergeTermDeltasNow(ctx, nil); err != nil {
				t.Fatal(err)
			}
			if n := pendingDeltas(t, bulk); n != 0 {
				t.Fatalf("%d deltas left after merging", n)
			}
			want, got := termRows(t, direct), termRows(t, bulk)
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Fatalf("terms after a bulk ingest:\n%q\nwant (counted directly):\n%q", got, want)
			}
		})
	}
}

// TestTermDeltasMergedAtEnd: IngestPaths leaves nothing pending and the
// terms as counting directly does.
func TestTermDeltasMergedAtEnd(t *testing.T) {
	ctx := context.Background()
	arts := deltaArticles(20)
	file := filepath.Join(t.TempDir(), "a.jsonl")
	if err := writeJSONL(file, [][]Article{arts}); err != nil {
		t.Fatal(err)
	}
	s, direct := openTest(t), openTest(t)
	if rep, err := IngestPaths(ctx, s, []string{file}, IngestOptions{}); err != nil || rep.Added != len(arts) {
		t.Fatalf("ingest: %v, %s", err, rep.Summary())
	}
	if _, err := direct.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if n := pendingDeltas(t, s); n != 0 {
		t.Fatalf("%d deltas pending after IngestPaths", n)
	}
	if got, want := termRows(t, s), termRows(t, direct); len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("terms after IngestPaths:\n%q\nwant:\n%q", got, want)
	}
}

// TestTermDeltasMergedOnOpen: deltas an interrupted ingest left are merged
// when the store opens.
func TestTermDeltasMergedOnOpen(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	s, err := Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	bulkWrite(t, s, deltaArticles(4), 2)
	if n := pendingDeltas(t, s); n != 2 {
		t.Fatalf("%d deltas pending, want 2", n)
	}
	if got, _ := s.Suggest(ctx, AllArticles(), "witk", 25); len(got) != 0 {
		t.Fatalf("pending words offered already: %q", got)
	}
	s.Close()
	s, err = Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := pendingDeltas(t, s); n != 0 {
		t.Fatalf("%d deltas pending after Open", n)
	}
	if got, err := s.Suggest(ctx, AllArticles(), "witk", 25); err != nil || len(got) == 0 || got[0] != "Steve Witkoff" {
		t.Fatalf("Suggest(witk) after Open = %q, %v", got, err)
	}
}

// TestTermDeltasBeforeRemove: taking an article's counts off while its
// batch's are pending merges them first, so its words go, not linger.
func TestTermDeltasBeforeRemove(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	arts := deltaArticles(2)
	bulkWrite(t, s, arts, 2)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	c := termCounts{}
	c.addArticle(arts[0])
	if err := c.remove(ctx, tx, ""); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	want := openTest(t)
	if _, err := want.Add(ctx, arts[1:]); err != nil {
		t.Fatal(err)
	}
	if got, w := termRows(t, s), termRows(t, want); !reflect.DeepEqual(got, w) {
		t.Fatalf("terms after removing a pending article's counts:\n%q\nwant:\n%q", got, w)
	}
}

func TestTermDeltaCodec(t *testing.T) {
	c := termCounts{}
	for _, a := range deltaArticles(7) {
		c.addArticle(a)
	}
	data, err := encodeTermDelta(c)
	if err != nil {
		t.Fatal(err)
	}
	got := termCounts{}
	if err := decodeTermDelta(data, got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("decoded %v, want %v", got, c)
	}
	// A second delta adds to the counts.
	if err := decodeTermDelta(data, got); err != nil {
		t.Fatal(err)
	}
	for k, tc := range got {
		if tc.n != 2*c[k].n || tc.display != c[k].display {
			t.Fatalf("%q: %+v after two deltas, want twice %+v", k, *tc, *c[k])
		}
	}
}

// FuzzDecodeTermDelta: damaged data is an error, never a panic.
func FuzzDecodeTermDelta(f *testing.F) {
	c := termCounts{}
	c.addArticle(deltaArticles(1)[0])
	good, err := encodeTermDelta(c)
	if err != nil {
		f.Fatal(err)
	}
	raw, _ := inflate(good)
	f.Add(good)
	f.Add(raw)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		decodeTermDelta(data, termCounts{})
		if d, err := deflate(data); err == nil {
			decodeTermDelta(d, termCounts{})
		}
	})
}
