package briefing

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync/atomic"
)

// A story's sums without map lookups. Comparing an article with a story
// reads the story's weight and IDF of many terms: its centroid's length
// sums (weight × IDF)² over all of its up to 600 terms, again whenever the
// story is trimmed or the weights are renewed, and a join updates the
// weights and the order of its terms. With a map lookup for each (the
// story's Terms, the weigher's IDFs) those lookups were most of grouping's
// time at ingest. So a profile keeps, beside Terms, its terms in order
// (keys) with their weights (wts) and their numbers (ids, see
// termNumbers), in aligned slices: a join merges the article's terms, in
// order and numbered, into them; a story's length reads each term's IDF by
// its number; and the cosine with an article looks the story's terms up
// among the article's by number. Every sum runs over the same terms in the
// same order with the same operations as over the map, so every number is
// the one the map gave. They take 12 bytes a term (about 10 MB for a
// store's 3,000 cached stories of some 270 terms each).

// weigherGens numbers the groupWeighers and termNumbers, so a profile
// knows in which its terms are numbered without holding on to them.
var weigherGens atomic.Uint64

// termNumbers numbers terms, in the order first met, so a weigher keeps
// its IDFs in a slice by number rather than in a map by term, and keeps
// each term's termPrefix by number. A store renews its weights as its
// counts grow (Weights.Renewed), and each new weigher weighs a story's
// terms afresh: numbered once, they are weighed by reading a slice, not by
// looking each up in a map. Not safe for concurrent use.
type termNumbers struct {
	ids map[string]int32
	pre []uint64
	gen uint64
}

func newTermNumbers() *termNumbers {
	return &termNumbers{ids: map[string]int32{}, gen: weigherGens.Add(1)}
}

// number returns t's number, giving it the next one if it has none.
func (n *termNumbers) number(t string) int32 {
	id, ok := n.ids[t]
	if !ok {
		id = int32(len(n.pre))
		n.ids[t] = id
		n.pre = append(n.pre, termPrefix(t))
	}
	return id
}

// markArticle marks v's terms by number for sim (v numbered by w).
func (w *groupWeigher) markArticle(v groupVec) {
	for _, id := range w.marked {
		w.mark[id] = 0
	}
	w.marked = nil
	if v.idsGen != w.terms.gen || len(v.ids) == 0 {
		return
	}
	if n := len(w.terms.pre); len(w.mark) < n {
		w.mark = append(w.mark, make([]int32, n-len(w.mark)+n/4)...)
	}
	for i, id := range v.ids {
		w.mark[id] = int32(i + 1)
	}
	w.marked = v.ids
}

// numbered reports whether v's terms are marked and p's terms numbered in
// w's numbers, for sim.
func (w *groupWeigher) numbered(v groupVec, p *Profile) bool {
	return len(v.ids) > 0 && len(w.marked) == len(v.ids) && &w.marked[0] == &v.ids[0] &&
		p.idsGen == w.terms.gen && len(p.ids) == len(p.keys) && p.keys != nil && len(p.keys) == len(p.Terms)
}

// termPrefix is a term's first 8 bytes as a big-endian number, zeros past
// its end: two terms whose prefixes differ are in the prefixes' order
// (see termCompare), so a merge of two sorted lists of terms compares numbers
// where it compared strings, and most terms (stems) are 8 bytes or fewer.
func termPrefix(t string) uint64 {
	var x uint64
	for i := range 8 {
		x <<= 8
		if i < len(t) {
			x |= uint64(t[i])
		}
	}
	return x
}

// termCompare compares terms a and b whose termPrefix are pa and pb.
// Prefixes differ at their first differing byte, where a byte of the
// longer term is compared with a zero past the shorter's end when the
// shorter is a prefix of it; equal prefixes of terms of at most 8 bytes
// mean one is the other followed by zero bytes, the shorter first.
func termCompare(pa, pb uint64, a, b string) int {
	switch {
	case pa < pb:
		return -1
	case pa > pb:
		return 1
	case len(a) <= 8 && len(b) <= 8:
		return cmp.Compare(len(a), len(b))
	}
	return strings.Compare(a, b)
}

// SortedTerms returns the keys of p.Terms in order, kept by Add rather
// than sorted at every call. The slice is p's: read it, do not change it.
func (p *Profile) SortedTerms() []string { return p.sortedKeys() }

// SortedWeights returns the weights in p.Terms of the terms SortedTerms
// returns, in the same order. The slice is p's: read it, do not change it.
func (p *Profile) SortedWeights() []float64 {
	p.sortedKeys()
	return p.wts
}

// SetSortedTerms sets p's terms: keys, in order without repeats (as
// SortedTerms gives them), with their weights. A profile read from
// storage, which keeps its terms in that order, is then ready without
// putting them in order again (which was most of loading a store's
// stories). p keeps both slices: do not change them afterwards.
func (p *Profile) SetSortedTerms(keys []string, weights []float64) {
	p.Terms = make(map[string]float64, len(keys))
	for i, t := range keys {
		p.Terms[t] = weights[i]
	}
	p.keys, p.wts = keys, weights
	p.ids, p.idsGen = nil, 0
}

// sortedKeys brings p's terms in order and their weights (keys, wts) up
// to date and returns the terms. Add keeps them; they are made from Terms
// when it did not (a profile read from storage, or one whose Terms were
// set by hand).
func (p *Profile) sortedKeys() []string {
	if p.keys != nil && len(p.keys) == len(p.Terms) {
		return p.keys
	}
	keys := make([]string, 0, len(p.Terms))
	for t := range p.Terms {
		keys = append(keys, t)
	}
	slices.Sort(keys)
	p.keys = keys
	p.wts = make([]float64, len(keys))
	for i, t := range keys {
		p.wts[i] = p.Terms[t]
	}
	// The numbers were another order's.
	p.ids, p.idsGen = nil, 0
	return keys
}

// numbersOf returns the numbers of p's terms, in order, in w's
// termNumbers: those kept, or looked up now (and kept).
func (w *groupWeigher) numbersOf(p *Profile) []int32 {
	return w.keptNumbers(p.sortedKeys(), &p.ids, &p.idsGen)
}

// keptNumbers returns the numbers of keys in w's termNumbers: *ids, when
// they are numbered in them (*gen), else looked up now and kept in *ids
// and *gen.
func (w *groupWeigher) keptNumbers(keys []string, ids *[]int32, gen *uint64) []int32 {
	if *gen == w.terms.gen && len(*ids) == len(keys) {
		return *ids
	}
	out := make([]int32, len(keys))
	for i, t := range keys {
		out[i] = w.terms.number(t)
	}
	*ids, *gen = out, w.terms.gen
	return out
}

// squares sums, over keys in order, the squares of their weights (wts)
// times their IDFs, looked up by their numbers (ids): a story's squared
// length, of its terms or of its names.
func (w *groupWeigher) squares(keys []string, wts []float64, ids []int32) float64 {
	var nn float64
	for i, y := range wts {
		y *= w.ofNumber(ids[i], keys[i])
		nn += y * y
	}
	return nn
}

// addTerms adds an article's terms (v's, in order, with their prefixes,
// 1 + ln tf, and, when w is given, their IDFs and numbers under w) to
// p.Terms and to the aligned slices, trimming p past 1.5 ×
// profileMaxTerms; see Profile.add.
func (p *Profile) addTerms(v groupVec, w *groupWeigher) (trimmed bool, before, after float64) {
	var norm float64
	for _, x := range v.tfw {
		norm += x * x
	}
	norm = math.Sqrt(norm)
	keys := p.sortedKeys()
	wts := p.wts
	// The profile's numbers are kept up to date when the article's are
	// in the same numbers (and so are the profile's, or it has no terms
	// yet); otherwise they are left to be looked up when needed. Numbered
	// terms are compared by their prefixes, kept by number.
	var tp []uint64
	withIDs := w != nil && v.ids != nil && v.idsGen == w.terms.gen &&
		(len(keys) == 0 || p.idsGen == v.idsGen && len(p.ids) == len(keys))
	if withIDs {
		tp = w.terms.pre
	}
	idf := v.idf
	m := &profileMerge{}
	if w != nil {
		m = &w.merge
	}
	m.reset()
	i, j := 0, 0
	for i < len(keys) || j < len(v.terms) {
		c := 1
		switch {
		case j == len(v.terms):
			c = -1
		case i < len(keys):
			var pk uint64
			if withIDs {
				pk = tp[p.ids[i]]
			} else {
				pk = termPrefix(keys[i])
			}
			c = termCompare(pk, v.pre[j], keys[i], v.terms[j])
		}
		if c < 0 {
			m.keys, m.wts = append(m.keys, keys[i]), append(m.wts, wts[i])
			if withIDs {
				m.ids = append(m.ids, p.ids[i])
			}
			i++
			continue
		}
		// The weight of a term new to the story is what Terms' zero
		// value plus the article's part gives.
		var y float64
		if c == 0 {
			y = wts[i]
			if idf != nil {
				x := y * idf[j]
				before += x * x
			}
			i++
		}
		y += v.tfw[j] / norm
		t := v.terms[j]
		p.Terms[t] = y
		m.keys, m.wts = append(m.keys, t), append(m.wts, y)
		if idf != nil {
			x := y * idf[j]
			after += x * x
		}
		if withIDs {
			m.ids = append(m.ids, v.ids[j])
		}
		j++
	}
	if len(m.keys) > profileMaxTerms*3/2 {
		m.trim(p.Terms, profileMaxTerms, withIDs)
		trimmed = true
	}
	// Copied back rather than swapped, into slices of the profile's size:
	// the weigher's scratch stays its own.
	p.keys = fitCopy(p.keys, m.keys)
	p.wts = fitCopy(p.wts, m.wts)
	if withIDs {
		p.ids, p.idsGen = fitCopy(p.ids, m.ids), v.idsGen
	} else {
		p.ids, p.idsGen = nil, 0
	}
	return trimmed, before, after
}

// fitCopy copies src into dst, reusing dst when it has room, and else
// into a new slice with an eighth more room: a profile's slices grow with
// it, with little to spare (there are thousands of profiles).
func fitCopy[E any](dst, src []E) []E {
	if cap(dst) < len(src) {
		dst = make([]E, len(src), len(src)+len(src)/8)
	}
	dst = dst[:len(src)]
	copy(dst, src)
	return dst
}

// profileMerge is scratch space for addTerms: a profile's aligned slices,
// merged with an article's terms.
type profileMerge struct {
	keys     []string
	wts, cut []float64
	ids      []int32
}

func (m *profileMerge) reset() {
	clear(m.keys) // let go of the terms
	m.keys, m.wts, m.ids = m.keys[:0], m.wts[:0], m.ids[:0]
}

// trim keeps the max heaviest terms of m (ties by term, as profileTrim
// keeps them, which sorts them all) and deletes the others from terms:
// those heavier than the max-th heaviest weight are kept, and of those as
// heavy, the first in order, as many as there is room for. Weights are
// compared as cmp.Compare compares them, as profileTrim's sort does.
func (m *profileMerge) trim(terms map[string]float64, max int, withIDs bool) {
	m.cut = append(m.cut[:0], m.wts...)
	slices.Sort(m.cut)
	cut := m.cut[len(m.cut)-max]
	room := max
	for _, y := range m.cut[len(m.cut)-max:] {
		if cmp.Compare(y, cut) > 0 {
			room--
		}
	}
	k := 0
	for i, t := range m.keys {
		c := cmp.Compare(m.wts[i], cut)
		if c < 0 || c == 0 && room == 0 {
			delete(terms, t)
			continue
		}
		if c == 0 {
			room--
		}
		m.keys[k], m.wts[k] = t, m.wts[i]
		if withIDs {
			m.ids[k] = m.ids[i]
		}
		k++
	}
	clear(m.keys[k:])
	m.keys, m.wts = m.keys[:k], m.wts[:k]
	if withIDs {
		m.ids = m.ids[:k]
	}
}
