package data

import (
	"context"
	"path/filepath"
	"testing"
)

// TestSamplesNeverStored: a new store holds nothing; the samples are in
// SampleStore.
func TestSamplesNeverStored(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if has, err := s.HasArticles(ctx); err != nil || has {
		t.Fatalf("new store HasArticles = %v, %v; want false", has, err)
	}
	if sugg, _ := s.Suggest(ctx, AllArticles(), "wit", 5); len(sugg) != 0 {
		t.Errorf("new store suggests %v", sugg)
	}
	ss, err := SampleStore()
	if err != nil {
		t.Fatal(err)
	}
	hits, err := ss.Search(ctx, "ceasefire", SearchOptions{})
	if err != nil || len(hits) != 2 {
		t.Fatalf("sample store: %d hits for ceasefire, %v; want both samples", len(hits), err)
	}
	if has, _ := s.HasArticles(ctx); has {
		t.Error("reading the samples stored them")
	}
}

// TestLegacySamplesRemoved: a database where an earlier release stored the
// samples loses them (and their autocomplete words) on open, keeps the
// owner's articles, and is not touched again.
func TestLegacySamplesRemoved(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	arts, err := Samples()
	if err != nil {
		t.Fatal(err)
	}
	for i := range arts {
		arts[i].ID = legacySampleIDs[i].(string) // as b1b4566 stored them
	}
	own := Article{Title: "Ceasefire holds in the north", Source: "Own Outlet", Body: "The ceasefire held overnight, officials said."}
	if _, err := s.Add(ctx, append(arts, own)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO meta (key, value) VALUES ('samples_loaded', '1')`); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, err := s.Search(ctx, "ceasefire", SearchOptions{})
	if err != nil || len(hits) != 1 || hits[0].Title != own.Title {
		t.Fatalf("after opening: %d hits (%v); want only the owner's article", len(hits), err)
	}
	if sugg, _ := s.Suggest(ctx, AllArticles(), "witk", 5); len(sugg) != 0 {
		t.Errorf("the samples' names are still offered: %v", sugg)
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM meta WHERE key = 'samples_loaded'`).Scan(&n)
	if n != 0 {
		t.Error("samples_loaded still recorded")
	}
}
