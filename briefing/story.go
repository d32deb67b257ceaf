package briefing

import (
	"math"
	"sort"
	"time"
)

// storyRank orders stories: more distinct outlets first, then fresher, then
// more about the topic. Every term is bounded so no single one swamps the
// rest, and ties fall back to the headline so the order is total.
type storyRanked struct {
	members  []int
	outlets  int
	newest   time.Time
	topic    float64
	score    float64
	headline string
}

func storyRankAll(ss []storyRanked, latest time.Time) {
	for i := range ss {
		s := &ss[i]
		recency := 0.0
		if !s.newest.IsZero() && !latest.IsZero() {
			age := latest.Sub(s.newest).Hours() / 24
			recency = math.Exp(-age / 2)
		}
		s.score = math.Log2(1+float64(s.outlets)) + 0.15*math.Log2(float64(len(s.members))) + 0.8*recency + 1.5*s.topic
	}
	sort.SliceStable(ss, func(i, j int) bool {
		if ss[i].score != ss[j].score {
			return ss[i].score > ss[j].score
		}
		return ss[i].headline < ss[j].headline
	})
}
