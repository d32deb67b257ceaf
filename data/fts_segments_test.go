package data

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestIngestBatchIsOneFTSSegment: a batch of a thousand articles, whose
// full-text entries pass FTS5's default 1 MB of pending data, is written to
// the index as one segment (schema step 15's 'hashsize'), not one for each
// megabyte, which automerge would merge again and again.
func TestIngestBatchIsOneFTSSegment(t *testing.T) {
	sqliteOnly(t)
	s := openTest(t)
	ctx := context.Background()
	var hashsize int
	if err := s.db.QueryRowContext(ctx, `SELECT v FROM articles_fts_config WHERE k = 'hashsize'`).Scan(&hashsize); err != nil {
		t.Fatal(err)
	}
	if hashsize != 32<<20 {
		t.Errorf("hashsize %d, want %d", hashsize, 32<<20)
	}
	// Made-up words, each article a different draw of them: some 1.5 KB
	// of index entries an article.
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		n := rng.IntN(20000)
		return fmt.Sprintf("w%c%c%c%c", 'a'+n%26, 'a'+n/26%26, 'a'+n/676%26, 'a'+n/17576%26)
	}
	arts := make([]Article, ingestBatch)
	for i := range arts {
		var b strings.Builder
		for k := range 600 {
			b.WriteString(word())
			if k%12 == 11 {
				b.WriteString(". ")
			} else {
				b.WriteByte(' ')
			}
		}
		arts[i] = Article{Title: fmt.Sprintf("Report %d %s %s", i, word(), word()), Source: "Wire", Body: b.String()}
	}
	if res, err := s.Add(ctx, arts); err != nil || res.Added != len(arts) {
		t.Fatalf("add: %+v, %v", res, err)
	}
	// Every segment has rows in the index's %_idx table (the first term
	// of its leaves).
	var segments int
	if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM articles_fts_idx`).Scan(&segments); err != nil {
		t.Fatal(err)
	}
	if segments != 1 {
		t.Errorf("a batch made %d full-text segments, want 1", segments)
	}
}
