package briefing

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// buildStats are one Build's corpus statistics over the articles it reads,
// each term interned once, and the articles' TF-IDF vectors for comparing
// them with one another (cleanRepeated). It is a DocFreq, the one grouping
// weighs the articles without a caller's story by.
//
// A stored story's reports need no grouping, so their vectors are made
// only when an article is compared (a line its outlet repeats), straight
// from the interned counts: no per-article sort of its terms as strings.
// A vector is what weighing the article for grouping and interning its
// terms in article order would give, entry for entry: a term's id is its
// place in the order of first use, articles in input order and each
// article's terms in string order, so every sum over a vector runs in the
// same order and gives the same float.
type buildStats struct {
	n     int              // articles counted
	ids   map[string]int32 // term -> id
	terms []string         // by id
	df    []int            // by id: articles counted that have the term
	first []int32          // by id: first article with the term counted (tf > 0), or -1
	rank  []int32          // by id: place in the order of first use (see above), set by finish
	ent   []statEntry      // every counted article's terms, in spans
	span  [][2]int32       // by article: its entries, ent[span[0]:span[1]]
	// vecs are the articles' vectors made so far, by article: only the
	// few whose lines cleanRepeated compares are asked for, among the
	// thousands a stored story cites.
	vecs map[int]termVec
	// vec's scratch: weights by rank and a bitmap of the ranks set
	w    []float32
	bits []uint64
}

// statEntry is one term of one article with its count.
type statEntry struct {
	id, tf int32
}

// newBuildStats is ready to count the given number of articles, whose
// term maps hold about terms entries in all, about a quarter of them
// distinct (a fifth in a /brief's stories, whose reports share their
// terms; more among unrelated articles).
func newBuildStats(articles, terms int) *buildStats {
	return &buildStats{ids: make(map[string]int32, terms/4), ent: make([]statEntry, 0, terms),
		span: make([][2]int32, articles), vecs: map[int]termVec{}}
}

// add counts article i's terms, as DocCounts.Add does.
func (s *buildStats) add(i int, a *Analysis) {
	s.n++
	start := len(s.ent)
	for t, tf := range a.Terms {
		id, ok := s.ids[t]
		if !ok {
			id = int32(len(s.terms))
			s.ids[t] = id
			s.terms = append(s.terms, t)
			s.df = append(s.df, 0)
			s.first = append(s.first, -1)
		}
		s.df[id]++
		if tf > 0 {
			if s.first[id] < 0 {
				s.first[id] = int32(i)
			}
			s.ent = append(s.ent, statEntry{id, int32(tf)})
		}
	}
	s.span[i] = [2]int32{int32(start), int32(len(s.ent))}
}

// finish orders the terms once every article is counted.
func (s *buildStats) finish() {
	order := make([]int32, 0, len(s.terms))
	for id, f := range s.first {
		if f >= 0 {
			order = append(order, int32(id))
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(s.first[a], s.first[b]); c != 0 {
			return c
		}
		return strings.Compare(s.terms[a], s.terms[b])
	})
	s.rank = make([]int32, len(s.terms))
	for r, id := range order {
		s.rank[id] = int32(r)
	}
}

// Docs is the number of articles counted.
func (s *buildStats) Docs() int { return s.n }

// Freq is the number of counted articles containing term.
func (s *buildStats) Freq(term string) int {
	if id, ok := s.ids[term]; ok {
		return s.df[id]
	}
	return 0
}

// vec is article i's unit TF-IDF vector (sub-linear term frequency, the
// smoothed IDF of groupWeigher.of), empty for an article not counted.
func (s *buildStats) vec(i int) termVec {
	if v, ok := s.vecs[i]; ok {
		return v
	}
	sp := s.span[i]
	// The entries are put in rank order through a bitmap of the ranks
	// rather than sorted: an article's few hundred terms among a few
	// thousand.
	if s.bits == nil {
		s.w = make([]float32, len(s.terms))
		s.bits = make([]uint64, len(s.terms)/64+1)
	}
	lo, hi := len(s.bits), 0
	for _, e := range s.ent[sp[0]:sp[1]] {
		idf := math.Log(float64(s.n+1)/float64(s.df[e.id]+1)) + 1
		r := s.rank[e.id]
		s.w[r] = float32((1 + math.Log(float64(e.tf))) * idf)
		w := int(r) >> 6
		s.bits[w] |= 1 << (uint(r) & 63)
		lo, hi = min(lo, w), max(hi, w)
	}
	v := make(termVec, 0, sp[1]-sp[0])
	for w := lo; w <= hi; w++ {
		for b := s.bits[w]; b != 0; b &= b - 1 {
			r := int32(w<<6 + bits.TrailingZeros64(b))
			v = append(v, termEntry{r, s.w[r]})
		}
		s.bits[w] = 0
	}
	v = v.unit() // in rank order already
	s.vecs[i] = v
	return v
}
