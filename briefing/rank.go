package briefing

import (
	"math"
	"slices"

	"github.com/kljensen/snowball/english"
)

// rankTitleWeight is how much a sentence made only of headline words gains
// over one with none: half the average sentence's centrality. Twice as much
// lowers ROUGE on bbc-dev; the headline is a hint, not the story.
const rankTitleWeight = 0.5

// rankMaxSents bounds the sentences TextRank ranks (its matrix is n×n).
const rankMaxSents = 250

// salience scores each sentence of one article by how summary-worthy it is:
// higher is better, and the scores average about 1 over the article, so
// scores from articles of different lengths are comparable. It depends only
// on the article itself (no corpus statistics), so it works on any outlet's
// text, and it is deterministic.
//
// The score is the sentence's TextRank centrality plus a small bonus for
// sharing words with the headline. A lead-position prior and a penalty for
// short fragments were measured and left out: both lowered ROUGE on bbc-dev
// (see TestEvalAblation).
func salience(title string, sents []string) []float64 {
	ts := make([][]string, len(sents)+1)
	for i, s := range sents {
		ts[i] = rankTerms(s)
	}
	ts[len(sents)] = rankTerms(title)
	ids := rankIDs(ts)
	return salienceOf(ids[:len(sents)], ids[len(sents)])
}

// rankIDs numbers the words of ts, the same word with the same number.
func rankIDs(ts [][]string) [][]int32 {
	ids := map[string]int32{}
	out := make([][]int32, len(ts))
	for i, t := range ts {
		out[i] = make([]int32, len(t))
		for k, w := range t {
			id, ok := ids[w]
			if !ok {
				id = int32(len(ids))
				ids[w] = id
			}
			out[i][k] = id
		}
	}
	return out
}

// salienceOf is salience given the rankTerms of each sentence (ts) and of
// the title, each word numbered (the same word with the same number).
func salienceOf(ts [][]int32, title []int32) []float64 {
	n := len(ts)
	// TextRank is quadratic in sentences; past rankMaxSents (far beyond any
	// news article) the rest of a text scores as its least central ranked
	// sentence, plus its headline bonus.
	m := min(n, rankMaxSents)
	scores := rankTextRank(ts[:m])
	if m > 0 {
		low := slices.Min(scores)
		for range n - m {
			scores = append(scores, low)
		}
	}
	for i := range scores {
		scores[i] *= float64(m)
		scores[i] += rankTitleWeight * rankShare(ts[i], title)
	}
	return scores
}

// rankShare is the fraction of the terms ts that are in set.
func rankShare(ts []int32, set []int32) float64 {
	if len(ts) == 0 || len(set) == 0 {
		return 0
	}
	k := 0
	for _, w := range ts {
		if slices.Contains(set, w) {
			k++
		}
	}
	return float64(k) / float64(len(ts))
}

// rankTextRank is TextRank (Mihalcea and Tarau, 2004) over sentences: a
// sentence is central when it shares words with many other sentences that
// are central themselves. Similarity is the number of distinct shared terms
// over the sum of the logs of the sentence lengths, so long sentences do not
// win on length alone. The result sums to 1.
func rankTextRank(ts [][]int32) []float64 {
	n := len(ts)
	// Distinct terms as sorted sets, so each pair intersects by a merge.
	total := 0
	for _, t := range ts {
		total += len(t)
	}
	flat := make([]int32, 0, total)
	sets := make([][]int32, n)
	for i, t := range ts {
		from := len(flat)
		flat = append(flat, t...)
		set := flat[from:]
		slices.Sort(set)
		set = slices.Compact(set)
		flat = flat[:from+len(set)]
		sets[i] = set[:len(set):len(set)]
	}
	// The similarity graph as lists of edges, each in order of the other
	// sentence: sparse (most pairs of sentences share no term), and walked
	// in the order a dense matrix would be, so the sums are the same.
	type edge struct {
		j int32
		w float64
	}
	adj := make([][]edge, n)
	out := make([]float64, n)
	// Each sentence's log length, taken once rather than for every pair.
	logs := make([]float64, n)
	for i, t := range ts {
		logs[i] = math.Log(float64(len(t)))
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			den := logs[i] + logs[j]
			if den <= 0 || math.IsInf(den, 0) {
				continue
			}
			common := rankCommon(sets[i], sets[j])
			if common == 0 {
				continue
			}
			v := float64(common) / den
			adj[i] = append(adj[i], edge{int32(j), v})
			adj[j] = append(adj[j], edge{int32(i), v})
			out[i] += v
			out[j] += v
		}
	}
	// Each edge's weight over the other sentence's total, which every
	// iteration below divides by: divided once. (a / b * c is (a / b) * c,
	// so each sum is the one dividing in the loop gave.)
	for i := range adj {
		for k, e := range adj[i] {
			adj[i][k].w = e.w / out[e.j]
		}
	}
	const damping = 0.85
	p := make([]float64, n)
	next := make([]float64, n)
	for i := range p {
		p[i] = 1 / float64(n)
	}
	for iter := 0; iter < 100; iter++ {
		// Dangling sentences (no similar sentence) spread their weight
		// evenly, which keeps the scores a distribution.
		var dangling float64
		for j := 0; j < n; j++ {
			if out[j] == 0 {
				dangling += p[j]
			}
		}
		var delta float64
		for i := 0; i < n; i++ {
			var s float64
			for _, e := range adj[i] {
				s += e.w * p[e.j]
			}
			next[i] = (1-damping)/float64(n) + damping*(s+dangling/float64(n))
			delta += math.Abs(next[i] - p[i])
		}
		p, next = next, p
		if delta < 1e-9 {
			break
		}
	}
	return p
}

// rankTerms returns the lower-case words of s that link sentences for
// TextRank: every word but the Snowball stop words (function words). Unlike
// terms it keeps reporting verbs and news filler such as "said" and "year",
// and it does not stem: on bbc-dev stemming costs 2.9 ROUGE-2 points (in
// each of the five categories) and terms' longer stop list 1.6 more. Exact
// word forms are the stronger evidence that two sentences of one article
// tell the same thing.
func rankTerms(s string) []string {
	ws := words(s)
	out := ws[:0]
	for _, w := range ws {
		if rankTerm(w) {
			out = append(out, w)
		}
	}
	return out
}

// rankTerm reports whether rankTerms keeps the word w.
func rankTerm(w string) bool { return len(w) > 1 && !english.IsStopWord(w) }

// rankCommon counts the ids two sorted sets share.
func rankCommon(a, b []int32) int {
	c := 0
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			a = a[1:]
		case a[0] > b[0]:
			b = b[1:]
		default:
			c++
			a, b = a[1:], b[1:]
		}
	}
	return c
}
