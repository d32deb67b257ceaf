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
// (keys) with their weights (wts), their IDFs under one weigher (idf) and
// their first bytes as a number (pre, see termPrefix), in aligned slices:
// a join merges the article's terms, in order and with their IDFs at hand
// from the article's vector, into them, and the sums read them in order.
// Every sum runs over the same terms in the same order with the same
// operations as over the map, so every number is the one the map gave.

// weigherGens numbers the groupWeighers and termNumbers, so a profile
// knows under which its IDFs were taken, and in which its terms are
// numbered, without holding on to either.
var weigherGens atomic.Uint64

// termNumbers numbers terms, in the order first met, so a weigher keeps
// its IDFs in a slice by number rather than in a map by term. A store
// renews its weights as its counts grow (Weights.Renewed), and each new
// weigher weighs a story's terms afresh: numbered once, they are weighed
// by reading a slice, not by looking each up in a map. Not safe for
// concurrent use.
type termNumbers struct {
	ids map[string]int32
	gen uint64
}

func newTermNumbers() *termNumbers {
	return &termNumbers{ids: map[string]int32{}, gen: weigherGens.Add(1)}
}

// number returns t's number, giving it the next one if it has none.
func (n *termNumbers) number(t string) int32 {
	id, ok := n.ids[t]
	if !ok {
		id = int32(len(n.ids))
		n.ids[t] = id
	}
	return id
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

// sortedKeys brings p's aligned slices (keys, wts, pre) up to date and
// returns its terms in order. Add keeps them; they are made from Terms
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
	p.wts, p.pre = p.wts[:0], p.pre[:0]
	for _, t := range keys {
		p.wts, p.pre = append(p.wts, p.Terms[t]), append(p.pre, termPrefix(t))
	}
	// The IDFs and numbers were another order's.
	p.idf, p.idfGen, p.ids, p.idsGen = p.idf[:0], 0, p.ids[:0], 0
	return keys
}

// numbersOf returns the numbers of p's terms, in order, in w's
// termNumbers: those kept, or looked up now (and kept).
func (w *groupWeigher) numbersOf(p *Profile) []int32 {
	keys := p.sortedKeys()
	if p.idsGen == w.terms.gen && len(p.ids) == len(keys) {
		return p.ids
	}
	ids := p.ids[:0]
	for _, t := range keys {
		ids = append(ids, w.terms.number(t))
	}
	p.ids, p.idsGen = ids, w.terms.gen
	return ids
}

// idfOf returns the IDFs under w of p's terms, in order (p.keys): those
// kept for w, or looked up now (and kept) when p's were kept for another
// weigher. A weigher's IDF of a term never changes once weighed, and every
// kept one was weighed by w (here or for an article's vector), so keeping
// them changes no number, and no IDF w remembers (which would be another
// if a term were first weighed later, after the document counts grew).
func (w *groupWeigher) idfOf(p *Profile) []float64 {
	keys := p.sortedKeys()
	if p.idfGen == w.gen && len(p.idf) == len(keys) {
		return p.idf
	}
	ids := w.numbersOf(p)
	idf := p.idf[:0]
	for i, t := range keys {
		idf = append(idf, w.ofNumber(ids[i], t))
	}
	p.idf, p.idfGen = idf, w.gen
	return idf
}

// addTerms adds an article's terms (v's, in order, with their prefixes,
// 1 + ln tf, and, when w is given, their IDFs under w) to p.Terms and to
// the aligned slices, trimming p past 1.5 × profileMaxTerms; see
// Profile.add.
func (p *Profile) addTerms(v groupVec, w *groupWeigher) (trimmed bool, before, after float64) {
	var norm float64
	for _, x := range v.tfw {
		norm += x * x
	}
	norm = math.Sqrt(norm)
	keys := p.sortedKeys()
	wts, pre := p.wts, p.pre
	// The profile's IDFs are kept up to date when they are w's (or it has
	// no terms yet); otherwise they are left to be looked up when needed.
	withIDF := w != nil && (len(keys) == 0 || p.idfGen == w.gen && len(p.idf) == len(keys))
	// So are its numbers when the article's are in the same numbers.
	withIDs := w != nil && v.ids != nil && v.idsGen == w.terms.gen &&
		(len(keys) == 0 || p.idsGen == v.idsGen && len(p.ids) == len(keys))
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
			c = termCompare(pre[i], v.pre[j], keys[i], v.terms[j])
		}
		if c < 0 {
			m.keys, m.wts, m.pre = append(m.keys, keys[i]), append(m.wts, wts[i]), append(m.pre, pre[i])
			if withIDF {
				m.idf = append(m.idf, p.idf[i])
			}
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
		m.keys, m.wts, m.pre = append(m.keys, t), append(m.wts, y), append(m.pre, v.pre[j])
		if idf != nil {
			x := y * idf[j]
			after += x * x
		}
		if withIDF {
			m.idf = append(m.idf, idf[j])
		}
		if withIDs {
			m.ids = append(m.ids, v.ids[j])
		}
		j++
	}
	if len(m.keys) > profileMaxTerms*3/2 {
		m.trim(p.Terms, profileMaxTerms, withIDF, withIDs)
		trimmed = true
	}
	// Copied back rather than swapped: the profile's slices stay its own,
	// the weigher's scratch its own.
	p.keys = append(p.keys[:0], m.keys...)
	p.wts = append(p.wts[:0], m.wts...)
	p.pre = append(p.pre[:0], m.pre...)
	if withIDF {
		p.idf, p.idfGen = append(p.idf[:0], m.idf...), w.gen
	} else {
		p.idf, p.idfGen = p.idf[:0], 0
	}
	if withIDs {
		p.ids, p.idsGen = append(p.ids[:0], m.ids...), v.idsGen
	} else {
		p.ids, p.idsGen = p.ids[:0], 0
	}
	return trimmed, before, after
}

// profileMerge is scratch space for addTerms: a profile's aligned slices,
// merged with an article's terms.
type profileMerge struct {
	keys          []string
	wts, idf, cut []float64
	pre           []uint64
	ids           []int32
}

func (m *profileMerge) reset() {
	clear(m.keys) // let go of the terms
	m.keys, m.wts, m.idf, m.pre, m.ids = m.keys[:0], m.wts[:0], m.idf[:0], m.pre[:0], m.ids[:0]
}

// trim keeps the max heaviest terms of m (ties by term, as profileTrim
// keeps them, which sorts them all) and deletes the others from terms:
// those heavier than the max-th heaviest weight are kept, and of those as
// heavy, the first in order, as many as there is room for. Weights are
// compared as cmp.Compare compares them, as profileTrim's sort does.
func (m *profileMerge) trim(terms map[string]float64, max int, withIDF, withIDs bool) {
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
		m.keys[k], m.wts[k], m.pre[k] = t, m.wts[i], m.pre[i]
		if withIDF {
			m.idf[k] = m.idf[i]
		}
		if withIDs {
			m.ids[k] = m.ids[i]
		}
		k++
	}
	m.keys, m.wts, m.pre = m.keys[:k], m.wts[:k], m.pre[:k]
	if withIDF {
		m.idf = m.idf[:k]
	}
	if withIDs {
		m.ids = m.ids[:k]
	}
}
