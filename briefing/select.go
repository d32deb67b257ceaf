package briefing

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"sort"
)

// Selection chooses, under one word budget, the items of every story at
// once, maximizing
//
//	F(S) = Σ_c w_c·[c is covered by S] + Σ_{i∈S} v_i
//
// The first sum is the concept coverage of Gillick and Favre's ICSI
// summarizer (2009, "A scalable global model for summarization"): concepts
// are word bigrams, weighted by how many of the story's independent reports
// (support units: near-copies count once) contain them, so a fact carried
// by several outlets is worth more, and saying it twice earns nothing.
// The second is a modular relevance term in the manner of Lin and Bilmes
// (2011, "A class of submodular functions for document summarization"):
// each item's per-word quality (its centrality in its own article, see
// itemQuality) times its length. With one report no bigram is shared and F
// reduces to the single-document summarizer, so multi-document signals fade
// out gracefully instead of misleading.
//
// F is monotone submodular, so the budgeted greedy algorithm with cost
// scaling (Lin and Bilmes 2010; Khuller, Moss and Naor 1999), here with lazy
// evaluation (Minoux 1978), comes with a constant-factor guarantee; a local
// search of single swaps then repairs what greedy gets wrong for a
// knapsack (a long sentence that blocks two better short ones). Redundancy
// beyond shared bigrams (a paraphrase, a quote repeated in a sentence) is a
// hard constraint: an item too close to a chosen one of its story is never
// taken.

// selWeights are the engine's constants and switches in one place, so the
// ablation test (TestEvalAblation) can take one signal out at a time.
type selWeights struct {
	// modular scales the relevance term against concept coverage.
	modular float64
	// lengthExp is how an item's relevance grows with its length, v_i = q_i
	// × words^lengthExp: below 1 because TextRank centrality already grows
	// with length (a longer sentence shares more words with the rest), and
	// a linear term would count length twice. 0.8 and 0.9 score within 0.02
	// ROUGE-2 of each other on bbc-dev; 1 is 0.9 lower (TestEvalAblation).
	lengthExp float64
	// minUnits is how many support units must share a bigram for it to be a
	// concept: ICSI keeps concepts found in at least two or three documents.
	minUnits int
	// lead is the share of a concept's credit from a report that depends on
	// how early the report says it; leadScale is that decay in sentences.
	// News is written as an inverted pyramid, the facts that matter first:
	// with 0.7 and 10, a fact in a report's lede earns about three times
	// the credit of one mentioned thirty sentences in (lead 0.5 to 0.9 and
	// scale 7 to 14 all beat no position credit on duc2003-dev).
	lead, leadScale float64
	// costExp is r of the cost-scaled greedy, gain/words^r.
	costExp float64
	// noMM skips the minorize-maximize knapsack after greedy, and noSwaps
	// the local search after that.
	noMM, noSwaps bool
	// noConcepts and noModular drop one part of F.
	noConcepts, noModular bool
	// noUnits counts every article as its own support unit, near-copies
	// included; noMerge keeps every sentence its own fact.
	noUnits, noMerge bool
}

var defaultWeights = selWeights{modular: 1, lengthExp: 0.85, minUnits: 2, costExp: 1, lead: 0.7, leadScale: 10}

// selItem is an item in the selection, with its value under F.
type selItem struct {
	story    int
	index    int // of it in its story's items
	it       *item
	concepts []int32 // global concept ids with weight > 0
	mod      float64 // modular value v_i
}

// selector holds one selection problem and its current solution.
type selector struct {
	items    []selItem
	weight   []float64 // per global concept id
	cover    []int32   // chosen items covering each concept
	chosen   []bool
	used     int
	budget   int
	storyCap []int // bullets a story may still take (MaxBullets; -1: any)
	quotes   []int // quotes each story has taken
	byStory  [][]int
}

// selMaxQuotes bounds the quotes of one story: a briefing states facts and
// lets a few voices speak, not the other way round.
const selMaxQuotes = 3

// selSameArticle is the similarity at which two sentences of one article
// say the same thing.
var selSameArticle = 0.8

// gain is F(S ∪ {i}) − F(S).
func (s *selector) gain(i int) float64 {
	g := s.items[i].mod
	for _, c := range s.items[i].concepts {
		if s.cover[c] == 0 {
			g += s.weight[c]
		}
	}
	return g
}

// loss is F(S) − F(S \ {i}) for a chosen i.
func (s *selector) loss(i int) float64 {
	l := s.items[i].mod
	for _, c := range s.items[i].concepts {
		if s.cover[c] == 1 {
			l += s.weight[c]
		}
	}
	return l
}

// gainWithout is F(S \ {x} ∪ {i}) − F(S \ {x}).
func (s *selector) gainWithout(i, x int) float64 {
	g := s.items[i].mod
	for _, c := range s.items[i].concepts {
		n := s.cover[c]
		if n == 0 || n == 1 && s.covers(x, c) {
			g += s.weight[c]
		}
	}
	return g
}

func (s *selector) covers(i int, c int32) bool {
	cs := s.items[i].concepts
	k := sort.Search(len(cs), func(j int) bool { return cs[j] >= c })
	return k < len(cs) && cs[k] == c
}

func (s *selector) take(i int, on bool) {
	d := int32(1)
	if !on {
		d = -1
	}
	s.chosen[i] = on
	for _, c := range s.items[i].concepts {
		s.cover[c] += d
	}
	s.used += int(d) * s.items[i].it.words
	st := s.items[i].story
	if s.items[i].it.kind == quoteItem {
		s.quotes[st] += int(d)
	} else if s.storyCap[st] >= 0 {
		s.storyCap[st] -= int(d)
	}
}

// fits reports whether item i can join the solution, with x (if >= 0) taken
// out first: it fits the budget and the story's limits, and repeats no
// chosen item of its story.
func (s *selector) fits(i, x int) bool {
	it := s.items[i]
	used := s.used
	if x >= 0 {
		used -= s.items[x].it.words
	}
	if used+it.it.words > s.budget {
		return false
	}
	st := it.story
	sameStory := x >= 0 && s.items[x].story == st
	if it.it.kind == quoteItem {
		n := s.quotes[st]
		if sameStory && s.items[x].it.kind == quoteItem {
			n--
		}
		if n >= selMaxQuotes {
			return false
		}
	} else if s.storyCap[st] >= 0 {
		n := s.storyCap[st]
		if sameStory && s.items[x].it.kind == bulletItem {
			n++
		}
		if n <= 0 {
			return false
		}
	}
	for _, j := range s.byStory[st] {
		if j != x && s.chosen[j] && selTooClose(it.it, s.items[j].it) {
			return false
		}
	}
	return true
}

// selTooClose reports whether two items of a story say the same thing:
// alike as term vectors, one's content words nearly all in the other, a
// long run of shared words, or one quoting the other.
func selTooClose(a, b *item) bool {
	if len(a.cites) == 1 && len(b.cites) == 1 && a.cites[0] == b.cites[0] {
		// Two sentences of one article: a writer does not state a fact
		// twice, so only a restatement that adds nothing is redundant.
		return cosine(a.vec, b.vec) >= selSameArticle
	}
	// By term ids, not strings: the items of a story were tokenized in
	// one cache (its goroutine's).
	if cosine(a.vec, b.vec) >= factRedundant || factContained(a.tok.ids, b.tok.ids) {
		return true
	}
	if a.kind == quoteItem || b.kind == quoteItem {
		return quoteSame(a.tok.norm, b.tok.norm)
	}
	return factSharePhrase(a.tok, b.tok)
}

// selHeap orders items by their last known cost-scaled gain.
type selHeap struct {
	idx []int
	key []float64 // by item
}

func (h *selHeap) Len() int { return len(h.idx) }
func (h *selHeap) Less(a, b int) bool {
	ia, ib := h.idx[a], h.idx[b]
	if h.key[ia] != h.key[ib] {
		return h.key[ia] > h.key[ib]
	}
	return ia < ib
}
func (h *selHeap) Swap(a, b int) { h.idx[a], h.idx[b] = h.idx[b], h.idx[a] }
func (h *selHeap) Push(x any)    { h.idx = append(h.idx, x.(int)) }
func (h *selHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}

// run chooses the items: lazy cost-scaled greedy, then swaps.
func (s *selector) run(ctx context.Context, w selWeights) error {
	n := len(s.items)
	s.chosen = make([]bool, n)
	s.byStory = nil
	for i, it := range s.items {
		for len(s.byStory) <= it.story {
			s.byStory = append(s.byStory, nil)
		}
		s.byStory[it.story] = append(s.byStory[it.story], i)
	}
	for len(s.quotes) < len(s.byStory) {
		s.quotes = append(s.quotes, 0)
	}
	cost := func(i int) float64 { return math.Pow(float64(max(1, s.items[i].it.words)), w.costExp) }
	h := &selHeap{key: make([]float64, n)}
	for i := range s.items {
		h.key[i] = s.gain(i) / cost(i)
		h.idx = append(h.idx, i)
	}
	heap.Init(h)
	for steps := 0; h.Len() > 0; steps++ {
		if steps%512 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("selecting: %w", err)
			}
		}
		i := h.idx[0]
		if !s.fits(i, -1) {
			heap.Pop(h) // budget and redundancy only tighten: never again
			continue
		}
		k := s.gain(i) / cost(i)
		if k < h.key[i] {
			h.key[i] = k
			heap.Fix(h, 0)
			if h.idx[0] != i {
				continue
			}
		}
		heap.Pop(h)
		if k <= 0 {
			break
		}
		s.take(i, true)
	}
	if !w.noMM {
		if err := s.majorize(ctx); err != nil {
			return err
		}
	}
	if w.noSwaps {
		return nil
	}
	return s.improve(ctx)
}

// value is F of the current solution.
func (s *selector) value() float64 {
	var v float64
	for i, on := range s.chosen {
		if on {
			v += s.items[i].mod
		}
	}
	for c, n := range s.cover {
		if n > 0 {
			v += s.weight[c]
		}
	}
	return v
}

// selMaxCells bounds the knapsack table (items × budget, a byte a cell);
// past it selection keeps the greedy solution.
const selMaxCells = 1 << 24

// majorize improves the solution by minorization-maximization (Iyer,
// Jegelka and Bilmes 2013, "Fast semidifferential-based submodular function
// optimization"): F is bounded below by a modular function that is exact at
// the current solution (each item's marginal gain along an order that puts
// the solution first), and that bound is maximized exactly under the
// budget, a 0/1 knapsack solved by dynamic programming. The new solution is
// kept only when F rises, so F never falls. With one report F is modular
// and the first step already gives the exact knapsack optimum, which is
// what makes single-article summaries fill their budget well.
func (s *selector) majorize(ctx context.Context) error {
	n := len(s.items)
	if n == 0 || n*(s.budget+1) > selMaxCells {
		return nil
	}
	for round := 0; round < 5; round++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("selecting: %w", err)
		}
		h := s.minorant()
		cur := s.value()
		prev := append([]bool(nil), s.chosen...)
		picked := selKnapsack(h, s.items, s.budget)
		// Take the knapsack's items, best first, as far as the story
		// limits and the redundancy constraint allow, then fill.
		for i := range s.items {
			if s.chosen[i] {
				s.take(i, false)
			}
		}
		sort.SliceStable(picked, func(a, b int) bool { return h[picked[a]] > h[picked[b]] })
		for _, i := range picked {
			if s.fits(i, -1) {
				s.take(i, true)
			}
		}
		s.fill()
		if s.value() > cur+1e-9 {
			continue
		}
		// No better: restore the previous solution and stop.
		for i := range s.items {
			if s.chosen[i] != prev[i] {
				s.take(i, prev[i])
			}
		}
		return nil
	}
	return nil
}

// minorant is the modular lower bound of F that is exact at the current
// solution: chosen items in index order first, then the others in order
// of their gain, each valued at its marginal gain over those before it.
func (s *selector) minorant() []float64 {
	h := make([]float64, len(s.items))
	cover := make([]int32, len(s.cover))
	gain := func(i int) float64 {
		g := s.items[i].mod
		for _, c := range s.items[i].concepts {
			if cover[c] == 0 {
				g += s.weight[c]
			}
		}
		return g
	}
	add := func(i int) {
		for _, c := range s.items[i].concepts {
			cover[c]++
		}
	}
	var rest []int
	for i := range s.items {
		if s.chosen[i] {
			h[i] = gain(i)
			add(i)
		} else {
			rest = append(rest, i)
		}
	}
	first := make([]float64, len(s.items))
	for _, i := range rest {
		first[i] = gain(i)
	}
	sort.SliceStable(rest, func(a, b int) bool { return first[rest[a]] > first[rest[b]] })
	for _, i := range rest {
		h[i] = gain(i)
		add(i)
	}
	return h
}

// selKnapsack returns the items of greatest total value within the budget
// (0/1 knapsack by dynamic programming over words).
func selKnapsack(value []float64, items []selItem, budget int) []int {
	w1 := budget + 1
	best := make([]float64, w1)
	took := make([]bool, len(items)*w1)
	for i, x := range items {
		wi := x.it.words
		if value[i] <= 0 || wi <= 0 || wi > budget {
			continue
		}
		for w := budget; w >= wi; w-- {
			if c := best[w-wi] + value[i]; c > best[w] {
				best[w] = c
				took[i*w1+w] = true
			}
		}
	}
	var out []int
	w := budget
	for i := len(items) - 1; i >= 0; i-- {
		if took[i*w1+w] {
			out = append(out, i)
			w -= items[i].it.words
		}
	}
	return out
}

// improve swaps one chosen item for one unchosen while that raises F, then
// adds whatever still fits. Each accepted swap raises F, so it ends; the
// rounds are bounded all the same.
func (s *selector) improve(ctx context.Context) error {
	const eps = 1e-9
	for round := 0; round < 20; round++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("selecting: %w", err)
		}
		swapped := false
		for x := range s.items {
			if !s.chosen[x] {
				continue
			}
			lx := s.loss(x)
			best, bestDelta := -1, eps
			for y := range s.items {
				if s.chosen[y] || s.items[y].mod+1 <= 0 {
					continue
				}
				// A cheap bound first: y cannot gain more than its full
				// value.
				if s.items[y].mod+s.conceptSum(y)-lx <= bestDelta {
					continue
				}
				if d := s.gainWithout(y, x) - lx; d > bestDelta && s.fits(y, x) {
					best, bestDelta = y, d
				}
			}
			if best >= 0 {
				s.take(x, false)
				s.take(best, true)
				swapped = true
			}
		}
		added := s.fill()
		if !swapped && !added {
			break
		}
	}
	return nil
}

// conceptSum is the weight of all of item i's concepts.
func (s *selector) conceptSum(i int) float64 {
	var t float64
	for _, c := range s.items[i].concepts {
		t += s.weight[c]
	}
	return t
}

// fill adds, best gain per word first, every item that still fits and
// gains something.
func (s *selector) fill() bool {
	added := false
	for {
		best, bestKey := -1, 0.0
		for i := range s.items {
			if s.chosen[i] {
				continue
			}
			if k := s.gain(i) / float64(max(1, s.items[i].it.words)); k > bestKey && s.fits(i, -1) {
				best, bestKey = i, k
			}
		}
		if best < 0 {
			return added
		}
		s.take(best, true)
		added = true
	}
}

// selConcepts weighs a story's concepts and lists those of each item. A
// concept is a bigram of stemmed words, not both stop words (Gillick and
// Favre 2009); its weight is the share of the story's other support units
// that also contain it: (units − 1) / (U − 1), zero below w.minUnits. The
// bigrams are counted over every sentence an article contributes, not only
// the candidate bullets, as ICSI counts them over the documents.
//
// It numbers the story's bigrams (index, by hash) and returns the weight
// of each, -1 for one that is no concept: selection looks each bigram of
// its items up once, in index, and keeps what it needs of a concept by its
// number (a map of the concepts' weights was built only to be looked up).
func selConcepts(members []member, units int, tc *termCache, w selWeights) (index map[uint64]int32, weight []float64) {
	if units < 2 || w.noConcepts {
		return nil, nil
	}
	limit := factPerDoc(len(members))
	order := make([]int, len(members))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return members[order[a]].unit < members[order[b]].unit })
	// Each distinct bigram gets an index, and its statistics live in one
	// slice, sized (as is the index) from how many bigrams the story's
	// distinct sentences hold, at most as many as there are distinct
	// bigrams: a story's concepts number thousands, and growing six lists
	// and a map to that size was a seventh of what a /brief allocated.
	// The reports repeat one another's sentences (one sentTok in tc), so
	// the bigrams of all sentences read would size them twice over.
	each := func(f func(m member, c float64, tk *sentTok)) {
		for _, mi := range order {
			m := &members[mi]
			for si, s := range m.an.Sentences {
				if si >= limit {
					break
				}
				if m.drop != nil && m.drop[si] {
					continue
				}
				c := 1 - w.lead + w.lead*math.Exp(-float64(si)/w.leadScale)
				// The facts stage tokenized the sentences read (member.toks).
				if si < len(m.toks) {
					f(*m, c, m.toks[si])
				} else {
					f(*m, c, tc.tok(s.Text))
				}
			}
		}
	}
	distinct := 0
	tc.mark++
	each(func(_ member, _ float64, tk *sentTok) {
		if tk.mark != tc.mark {
			tk.mark = tc.mark
			distinct += len(tk.gramsOf())
		}
	})
	type gramStat struct {
		count        int32 // units containing it
		last         int32 // the last unit that counted it
		credit, best float64
	}
	index = make(map[uint64]int32, distinct)
	stats := make([]gramStat, 0, distinct)
	var touched []int32 // bigrams the current unit has credited
	flush := func() {
		for _, g := range touched {
			stats[g].credit += stats[g].best
			stats[g].best = 0
		}
		touched = touched[:0]
	}
	prevUnit := -1
	each(func(m member, c float64, tk *sentTok) {
		if m.unit != prevUnit {
			flush()
			prevUnit = m.unit
		}
		for _, h := range tk.gramsOf() {
			g, ok := index[h]
			if !ok {
				g = int32(len(stats))
				index[h] = g
				stats = append(stats, gramStat{last: -1})
			}
			st := &stats[g]
			if st.last != int32(m.unit) {
				st.last = int32(m.unit)
				st.count++
				touched = append(touched, g)
			}
			st.best = math.Max(st.best, c)
		}
	})
	flush()
	min := int32(max(2, w.minUnits))
	weight = make([]float64, len(stats))
	for g, st := range stats {
		weight[g] = -1
		if st.count >= min {
			weight[g] = st.credit / float64(units)
		}
	}
	return index, weight
}
