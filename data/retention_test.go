package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPrune deletes what is old both as news and as stored data, with its
// index rows and autocomplete words, and reclaims the space.
func TestPrune(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := now.AddDate(0, 0, -200)
	s := openTest(t, WithClock(func() time.Time { return clock }))
	filler := strings.Repeat("Negotiators met again in the capital to discuss the terms of the agreement. ", 40)
	var old []Article
	for i := 0; i < pruneBatch+100; i++ { // two batches
		old = append(old, Article{Title: fmt.Sprintf("Zanzibar harbour report %d", i), Source: "Old Wire",
			Published: now.AddDate(0, 0, -150), Body: fmt.Sprintf("Report %d. %s", i, filler)})
	}
	if _, err := s.Add(ctx, old); err != nil {
		t.Fatal(err)
	}
	// Ingested long ago but recent as news (a date in the future of the
	// clock): kept, as is an old report ingested today.
	recentNews := Article{Title: "Fresh news", Published: now.AddDate(0, 0, -1), Body: "Fresh body about the harbour."}
	if _, err := s.Add(ctx, []Article{recentNews}); err != nil {
		t.Fatal(err)
	}
	clock = now
	archive := Article{Title: "Archive piece", Published: now.AddDate(-3, 0, 0), Body: "An archive body about the harbour."}
	if _, err := s.Add(ctx, []Article{archive}); err != nil {
		t.Fatal(err)
	}
	before, err := s.Size(ctx)
	if err != nil || !before.Incremental {
		t.Fatalf("size %+v, %v; want an incremental-vacuum database", before, err)
	}

	res, err := s.Prune(ctx, now.Add(-DefaultRetention))
	if err != nil || res.Articles != len(old) {
		t.Fatalf("Prune: %+v, %v; want %d deleted", res, err, len(old))
	}
	st, _ := s.Stats(ctx, AllArticles())
	if st.Articles != 2 {
		t.Errorf("%d articles left, want 2", st.Articles)
	}
	if hits, _ := s.Search(ctx, "zanzibar", SearchOptions{}); len(hits) != 0 {
		t.Errorf("pruned articles still found: %d", len(hits))
	}
	if sugg, _ := s.Suggest(ctx, AllArticles(), "zanz", 5); len(sugg) != 0 {
		t.Errorf("pruned articles' words still offered: %v", sugg)
	}
	var ftsRows int
	s.db.QueryRow(`SELECT count(*) FROM articles_fts`).Scan(&ftsRows)
	if ftsRows != 2 {
		t.Errorf("%d index rows left, want 2", ftsRows)
	}
	// SQLite gives pages back in place; PostgreSQL's autovacuum only makes
	// them reusable, and giving them back takes a rewrite (VACUUM FULL).
	freed, err := s.Reclaim(ctx, s.Engine() == "postgres")
	after, _ := s.Size(ctx)
	t.Logf("before %d bytes, after prune and reclaim %d (freed %d)", before.Bytes, after.Bytes, freed)
	if err != nil || freed <= 0 || after.Bytes > before.Bytes/4 || after.Free != 0 {
		t.Errorf("Reclaim: freed %d, %v; size %+v (was %+v)", freed, err, after, before)
	}
	if res, _ := s.Prune(ctx, now.Add(-DefaultRetention)); res.Articles != 0 {
		t.Errorf("second prune deleted %d", res.Articles)
	}
}
