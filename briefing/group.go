package briefing

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Story grouping: one similarity, used in two places.
//
// A story is represented by its Profile, an aggregate of its members that
// grows by one article at a time (Profile.Add) and serializes to JSON, so a
// store can keep it in a row and update it at ingest. Similarity compares an
// article's Analysis with a Profile under corpus statistics the caller
// supplies (DocFreq: document frequencies of stemmed terms over N
// documents); Assign picks the best of a few candidate stories or says the
// article starts a new one. Group does the same for a batch: it visits the
// articles in an order fixed by their content (publication time, then
// outlet, title and text), so the same articles give the same stories
// whatever order they come in. Build calls Group over the articles it is
// given, with document frequencies counted over those articles.
//
// The similarity is the cosine between the article's TF-IDF vector
// (sub-linear term frequency, Salton and Buckley 1988) and the story's
// centroid: the sum of its members' length-normalized term-frequency
// vectors, weighted by the same IDF at comparison time. Keeping the profile
// free of IDF is what lets it be updated incrementally while the corpus, and
// with it every IDF, keeps changing.
//
// Comparing with the centroid rather than each member is the
// "group-average" link of single-pass event clustering in Topic Detection
// and Tracking (Allan et al. 1998; Yang et al. 1998), which keeps a
// long-running story together as long as its reports keep sharing its names
// and terms, with no fixed time window. What keeps different events apart
// over time is Yang et al.'s time-decayed threshold: the similarity needed
// to join rises with the time since the story's last report. (A guard
// requiring a shared name in the headline or lede was tried and dropped: on
// duc2003-dev it split single events whose reports lead with different
// names, B-cubed recall 0.81 against 0.93 without it, for no precision.)

// DocFreq gives corpus statistics for weighting terms: how many of Docs
// documents contain a term (a stem, as in Analysis.Terms).
type DocFreq interface {
	Docs() int
	Freq(term string) int
}

// DocCounts is a DocFreq kept in memory. The zero value is empty and ready.
type DocCounts struct {
	N  int            `json:"n"`
	DF map[string]int `json:"df"`
}

// Add counts one article's terms.
func (c *DocCounts) Add(a *Analysis) {
	if c.DF == nil {
		c.DF = map[string]int{}
	}
	c.N++
	for t := range a.Terms {
		c.DF[t]++
	}
}

// Docs is the number of articles counted.
func (c *DocCounts) Docs() int { return c.N }

// Freq is the number of counted articles containing term.
func (c *DocCounts) Freq(term string) int { return c.DF[term] }

// Profile is a story's aggregate, what an article is compared with when it
// may join the story. Update it with Add as articles join; it never needs
// its members again.
type Profile struct {
	// Articles is the number of members.
	Articles int `json:"articles"`
	// Terms sums the members' term vectors: for each member, (1 + ln tf) of
	// every term, divided by the vector's Euclidean length. Only the
	// profileMaxTerms heaviest are kept.
	Terms map[string]float64 `json:"terms"`
	// First and Last span the members' publication times.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
}

// profileMaxTerms bounds a profile: a story's identity is in its heaviest
// terms, and a bound keeps a long-running story's row small and its
// comparison cheap.
const profileMaxTerms = 400

// NewProfile starts a story with one article.
func NewProfile(a *Analysis) *Profile {
	p := &Profile{}
	p.Add(a)
	return p
}

// Add makes a member of a.
func (p *Profile) Add(a *Analysis) {
	if p.Terms == nil {
		p.Terms = map[string]float64{}
	}
	p.Articles++
	var norm float64
	for _, n := range a.Terms {
		w := 1 + math.Log(float64(n))
		norm += w * w
	}
	norm = math.Sqrt(norm)
	for t, n := range a.Terms {
		p.Terms[t] += (1 + math.Log(float64(n))) / norm
	}
	profileTrim(p.Terms, profileMaxTerms)
	if !a.Published.IsZero() {
		if p.First.IsZero() || a.Published.Before(p.First) {
			p.First = a.Published
		}
		if a.Published.After(p.Last) {
			p.Last = a.Published
		}
	}
}

// profileTrim keeps the max heaviest entries of m (ties by key, so the
// result never depends on map order).
func profileTrim(m map[string]float64, max int) {
	if len(m) <= max {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys[max:] {
		delete(m, k)
	}
}

// groupIDF is the smoothed inverse document frequency: a term in every
// document still weighs a little, and one the corpus has not seen yet
// weighs most.
func groupIDF(df DocFreq, t string) float64 {
	n := 0
	if df != nil {
		n = df.Docs()
	}
	f := 0
	if df != nil {
		f = df.Freq(t)
	}
	return math.Log(float64(n+1)/float64(f+1)) + 1
}

// Thresholds of Similarity. groupJoin is the similarity at which an
// article joins a story it was published within a few days of; the
// required similarity grows by a half for every groupDecay beyond
// groupGrace since the story's newest (or before its oldest) report.
const (
	groupJoin  = 0.12
	groupGrace = 3 * 24 * time.Hour
	groupDecay = 30 * 24 * time.Hour
)

// Similarity is how alike an article and a story are, from 0 to 1: the
// cosine of the article's TF-IDF vector and the story's centroid.
func Similarity(a *Analysis, p *Profile, df DocFreq) float64 {
	if p == nil || p.Articles == 0 || len(a.Terms) == 0 {
		return 0
	}
	idf := make(map[string]float64, len(a.Terms))
	var dot, na float64
	for t, n := range a.Terms {
		w := groupIDF(df, t)
		idf[t] = w
		x := (1 + math.Log(float64(n))) * w
		na += x * x
		if y, ok := p.Terms[t]; ok {
			dot += x * y * w
		}
	}
	var np float64
	for t, y := range p.Terms {
		w, ok := idf[t]
		if !ok {
			w = groupIDF(df, t)
		}
		np += y * y * w * w
	}
	if na == 0 || np == 0 {
		return 0
	}
	return dot / math.Sqrt(na*np)
}

// groupNeeded is the similarity an article published at t needs to join
// the story: groupJoin within groupGrace of the story's reports, rising
// the further away it is. Unknown times need only groupJoin.
func groupNeeded(t time.Time, p *Profile) float64 {
	if t.IsZero() || p.First.IsZero() {
		return groupJoin
	}
	var gap time.Duration
	switch {
	case t.After(p.Last):
		gap = t.Sub(p.Last)
	case t.Before(p.First):
		gap = p.First.Sub(t)
	}
	if gap <= groupGrace {
		return groupJoin
	}
	return groupJoin * (1 + 0.5*float64(gap-groupGrace)/float64(groupDecay))
}

// Assign says which of the candidate stories an article joins: the index of
// the most similar one that is similar enough, or -1 when it starts a story
// of its own. Ties go to the earlier candidate.
func Assign(a *Analysis, candidates []*Profile, df DocFreq) int {
	best, bestSim := -1, 0.0
	for i, p := range candidates {
		s := Similarity(a, p, df)
		if s >= groupNeeded(a.Published, p) && s > bestSim {
			best, bestSim = i, s
		}
	}
	return best
}

// Group clusters articles into stories: each article, in an order fixed by
// content, joins the story Assign picks among those formed so far. It
// returns each story's members as indexes into analyses, ascending; stories
// come in the order they were started (oldest first). df nil means
// document frequencies over the given articles.
func Group(ctx context.Context, analyses []*Analysis, df DocFreq) ([][]int, error) {
	if df == nil {
		c := &DocCounts{}
		for _, a := range analyses {
			c.Add(a)
		}
		df = c
	}
	order := groupOrder(analyses)
	var groups [][]int
	var profiles []*Profile
	for k, i := range order {
		if k%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("grouping stories: %w", err)
			}
		}
		a := analyses[i]
		g := Assign(a, profiles, df)
		if g < 0 {
			groups = append(groups, []int{i})
			profiles = append(profiles, NewProfile(a))
			continue
		}
		groups[g] = append(groups[g], i)
		profiles[g].Add(a)
	}
	for _, g := range groups {
		sort.Ints(g)
	}
	return groups, nil
}

// groupOrder sorts article indexes oldest first, ties broken by content so
// the order never depends on the input's.
func groupOrder(as []*Analysis) []int {
	order := make([]int, len(as))
	keys := make([]string, len(as))
	for i, a := range as {
		order[i] = i
		var sb strings.Builder
		sb.WriteString(a.Outlet)
		sb.WriteByte(0)
		sb.WriteString(a.Title)
		for _, s := range a.Sentences {
			sb.WriteByte(0)
			sb.WriteString(s.Text)
		}
		keys[i] = sb.String()
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := as[order[x]], as[order[y]]
		if !a.Published.Equal(b.Published) {
			return a.Published.Before(b.Published)
		}
		return keys[order[x]] < keys[order[y]]
	})
	return order
}
