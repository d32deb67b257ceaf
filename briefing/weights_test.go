package briefing

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"
)

// TestWeightsAsAssign: a Weights kept while stories grow (as the store
// keeps one) picks what Assign picks, and the story lengths it updates as
// articles join stay the lengths summed afresh, also past a profile's trim.
func TestWeightsAsAssign(t *testing.T) {
	ans := groupAnalyses(storyFixtureArticles())
	// Reports of one event, each with words of its own, so the story's
	// profile grows past its trim.
	for i := range 20 {
		an := &Analysis{Terms: map[string]int{}}
		for k := range 50 {
			an.Terms[fmt.Sprintf("core%d", k)] = 3
			an.Terms[fmt.Sprintf("own%d_%d", i, k)] = 1
		}
		ans = append(ans, an)
	}
	df := &DocCounts{}
	for _, a := range ans {
		df.Add(a)
	}
	w := NewWeights(df)
	var profiles []*Profile
	for _, a := range ans {
		got, want := w.Assign(a, profiles), Assign(a, profiles, df)
		if got != want {
			t.Fatalf("Weights.Assign %d, Assign %d", got, want)
		}
		if got < 0 {
			profiles = append(profiles, &Profile{})
			got = len(profiles) - 1
		}
		w.Join(profiles[got], a)
		var terms []string
		for t := range profiles[got].Terms {
			terms = append(terms, t)
		}
		sort.Strings(terms)
		if !slices.Equal(profiles[got].SortedTerms(), terms) {
			t.Fatalf("kept terms in order %v, want %v", profiles[got].SortedTerms(), terms)
		}
		for _, p := range profiles {
			fresh := newGroupWeigher(df).profileNorm(p)
			if n := w.norm(p); math.Abs(n-fresh) > 1e-9*fresh {
				t.Fatalf("kept length %v, summed afresh %v", n, fresh)
			}
		}
	}
	// 12 of the event's reports carry 50 + 12·50 terms, past the 600 a
	// profile is trimmed at.
	trimmed := false
	for _, p := range profiles {
		trimmed = trimmed || p.Articles >= 12
	}
	if len(profiles) == len(ans) || !trimmed {
		t.Fatal("no story grew past its trim: the test tests less than it says")
	}
}
