package briefing

import (
	"math"
	"testing"
)

// TestBuildStatsVec: an article's vector from the interned counts is, bit
// for bit, its grouping vector with the terms interned in article order
// (what Build compared articles by before), and the counts give grouping
// the same document frequencies as DocCounts.
func TestBuildStatsVec(t *testing.T) {
	arts := buildBenchGenerated(40, 300)
	arts = append(arts, Article{ID: "empty", Title: "", Body: ""})
	for i := range arts {
		if i%3 == 0 {
			arts[i].Title = "Ceasefire talks " + arts[i].Title
		}
	}
	stats := newBuildStats(len(arts)+1, 0) // the last one not counted
	counts := &DocCounts{}
	var ans []*Analysis
	for i, a := range arts {
		an := Analyze(a)
		ans = append(ans, an)
		stats.add(i, an)
		counts.Add(an)
	}
	stats.finish()
	if stats.Docs() != counts.Docs() {
		t.Fatalf("Docs %d, want %d", stats.Docs(), counts.Docs())
	}
	for term, n := range counts.DF {
		if got := stats.Freq(term); got != n {
			t.Errorf("Freq(%q) = %d, want %d", term, got, n)
		}
	}
	if stats.Freq("no-such-term") != 0 {
		t.Error("an unknown term has a frequency")
	}
	// The reference: weigh each article for grouping, intern its terms in
	// article order, sort by id and scale to unit length.
	w := newGroupWeigher(counts)
	voc := map[string]int32{} // terms numbered in the order first met
	for i, an := range ans {
		g := w.article(an)
		want := make(termVec, len(g.terms))
		for k, term := range g.terms {
			id, ok := voc[term]
			if !ok {
				id = int32(len(voc))
				voc[term] = id
			}
			want[k] = termEntry{id, float32(g.x[k])}
		}
		want = want.normalize()
		got := stats.vec(i)
		if len(got) != len(want) {
			t.Fatalf("article %d: %d entries, want %d", i, len(got), len(want))
		}
		for k := range got {
			if got[k].id != want[k].id || math.Float32bits(got[k].w) != math.Float32bits(want[k].w) {
				t.Fatalf("article %d entry %d: %v, want %v", i, k, got[k], want[k])
			}
		}
	}
	if v := stats.vec(len(arts)); len(v) != 0 {
		t.Errorf("an article not counted has a vector: %v", v)
	}
}
