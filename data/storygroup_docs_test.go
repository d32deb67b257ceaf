package data

import (
	"context"
	"reflect"
	"slices"
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
		p, err := precounted.prepareBatch(ctx, batch, false, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := precounted.write(ctx, nil, p, sharedVisibility, batchTermDocs(p)); err != nil {
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

// TestGrouperSlots: past its bound the cache evicts the least recently
// used stories; afterwards every cached story has its own slot, the index
// lists exactly the cached stories' keys by slot, and sharing counts for an
// article's keys what a count over every cached story gives, also when its
// probe numbers wrap around.
func TestGrouperSlots(t *testing.T) {
	g := &grouper{cache: map[int64]*cachedStory{}}
	// Key term numbers: the m-th of the keys of the stories i (mod m).
	keyOf := func(m, i int) int32 { return int32(1000*m + i%m) }
	n := cachedStories + cachedStories/5
	for id := 1; id <= n; id++ {
		cs := &cachedStory{order: int64(id), keys: []int32{keyOf(7, id), keyOf(11, id), keyOf(13, id)}}
		cs.dirty = id%50 == 0 // changed in this batch: kept
		g.add(cs)
	}
	if len(g.cache) > cachedStories+cachedStories/10 {
		t.Fatalf("%d stories cached, bound %d", len(g.cache), cachedStories+cachedStories/10)
	}
	free := map[int32]bool{}
	for _, s := range g.free {
		if free[s] || g.slots[s] != nil {
			t.Fatalf("free slot %d listed twice or in use", s)
		}
		free[s] = true
	}
	for id, cs := range g.cache {
		if g.slots[cs.slot] != cs || cs.order != id {
			t.Fatalf("story %d: slot %d holds another", id, cs.slot)
		}
	}
	if len(g.cache)+len(g.free) != len(g.slots) {
		t.Fatalf("%d cached + %d free != %d slots", len(g.cache), len(g.free), len(g.slots))
	}
	postings := 0
	for k, list := range g.index {
		for _, s := range list {
			if cs := g.slots[s]; cs == nil || !slices.Contains(cs.keys, int32(k)) {
				t.Fatalf("key %d lists slot %d, not a story keyed by it", k, s)
			}
		}
		postings += len(list)
	}
	if postings != 3*len(g.cache) {
		t.Fatalf("%d index entries for %d stories of 3 keys", postings, len(g.cache))
	}
	// The probes wrap around among the cases below: the marks made at the
	// first probe must not count when the probe numbers come round to it.
	g.sharing([]int32{7000, 11005}, 1, nil, nil)
	g.probe = ^uint32(0) - 2
	for _, tc := range []struct {
		keys []int32
		need int
	}{{[]int32{7001, 11002, 13003}, 2}, {[]int32{7000, 11005}, 1}, {[]int32{7004, 11004, 13004, 7100, 99999}, 3}} {
		want := map[int64]int{}
		for id, cs := range g.cache {
			k := 0
			for _, key := range tc.keys {
				if slices.Contains(cs.keys, key) {
					k++
				}
			}
			if k >= tc.need {
				want[id] = k
			}
		}
		var found []int32
		var got []*cachedStory
		for range 2 { // a second probe counts afresh
			found, got = g.sharing(tc.keys, tc.need, found[:0], got[:0])
			gotMap := map[int64]int{}
			for _, cs := range got {
				gotMap[cs.order] = cs.shared
			}
			if len(want) == 0 || !reflect.DeepEqual(gotMap, want) {
				t.Fatalf("sharing(%v, %d): %d stories, want %d", tc.keys, tc.need, len(gotMap), len(want))
			}
		}
	}
}
