package data

import (
	"context"
	"reflect"
	"testing"
)

// TestBatchTermDocs: a bulk batch's document frequencies counted before
// the writer's turn (batchTermDocs, less the articles found stored) are
// those the writer counts itself, with duplicates of stored articles and
// of articles earlier in the batch, and an article without text.
func TestBatchTermDocs(t *testing.T) {
	ctx := context.Background()
	arts := deltaArticles(12)
	first, second := arts[:6], append([]Article{}, arts[3:]...)
	second = append(second, arts[8], Article{Title: "No text"}) // an earlier one again; nothing to store
	counted, precounted := openTest(t), openTest(t)
	for _, batch := range [][]Article{first, second} {
		if _, err := counted.Add(ctx, batch); err != nil {
			t.Fatal(err)
		}
		p, err := precounted.prepareBatch(ctx, batch, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := precounted.write(ctx, nil, p, sharedVisibility, writeOptions{termDocs: batchTermDocs(p)}); err != nil {
			t.Fatal(err)
		}
	}
	a, b := counted.group.df, precounted.group.df
	if a.N != 12 || a.N != b.N || !reflect.DeepEqual(a.DF, b.DF) {
		t.Fatalf("document counts %d %v\nwant (counted by the writer) %d %v", b.N, b.DF, a.N, a.DF)
	}
	var rows [2]int
	for i, s := range []*Store{counted, precounted} {
		if err := s.db.QueryRow(`SELECT sum(docs) FROM doc_freq`).Scan(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if rows[0] != 12 || rows[1] != 12 {
		t.Fatalf("stored document counts %v, want 12", rows)
	}
}
