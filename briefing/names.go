package briefing

import (
	"math"
	"slices"
	"sort"
	"unicode"
	"unicode/utf8"
)

// Names in grouping. Two events of one kind (two storms, two elections, two
// air crashes) share their vocabulary, so a first report of the second can
// be as similar to the first's story as that story's own follow-ups are;
// what tells them apart is who and where: their names (Kumaran and Allan
// 2004, 2005, who find named entities decide new-event detection for
// disasters and elections). So an article joins a story only if, besides
// being similar enough, it shares the story's names: the cosine of their
// name vectors (IDF-weighted, as the terms are) is at least groupNameJoin.
// An article or a story with no names is not held to it.
//
// A name here is a word written with a capital inside a sentence (not its
// first word, nor one after a colon or opening a quotation), other than a
// weekday or a month: a
// tagger's job done the way headline-free wire text allows, with no list
// of names to keep up.

// groupNameJoin is the names cosine an article needs to join a story. On
// duc2003-dev, grouping every report of its nine events at once, any value
// from 0.02 to 0.05 gives the same stories and none mixes events; at 0.01
// the first report of Typhoon Babs joins Hurricane Georges (they share only
// "South" and "U.S."), from 0.06 follow-ups that name a new place split
// off. On its mixes of two or three events it changes nothing from 0.02 to
// 0.05. 0.03 sits inside that range.
const groupNameJoin = 0.03

// profileMaxNames bounds Profile.Names as profileMaxTerms bounds its terms.
const profileMaxNames = 100

// notNames are capitalized words that name no one and nothing: days and
// months (in full and abbreviated, as wire copy writes them).
var notNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
		"november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"} {
		m[w] = true
	}
	return m
}()

// analysisNames counts the stems of the names in sentences.
func analysisNames(sents []Sentence) map[string]int {
	return analysisNamesWith(sents, newTermCache(0, false))
}

// analysisNamesWith is analysisNames looking words up in tc.
func analysisNamesWith(sents []Sentence, tc *termCache) map[string]int {
	out := map[string]int{}
	for _, s := range sents {
		text := s.Text
		first := true // the sentence's first word, or one after a colon
		for i := 0; i < len(text); {
			// Skip to the next word.
			r, n := utf8.DecodeRuneInString(text[i:])
			if r == ' ' || r == '\t' || r == '\n' {
				i += n
				continue
			}
			start := i
			for i < len(text) {
				r, n := utf8.DecodeRuneInString(text[i:])
				if r == ' ' || r == '\t' || r == '\n' {
					break
				}
				i += n
			}
			tok := text[start:i]
			skip := first
			last, _ := utf8.DecodeLastRuneInString(tok)
			first = last == ':' || last == '.' || last == '?' || last == '!'
			// Nor the first word of a quotation.
			if o, _ := utf8.DecodeRuneInString(tok); skip || o == '"' || o == '“' || o == '\'' || o == '‘' {
				continue
			}
			// The token's first letter (after an opening quote or bracket).
			j := 0
			for j < len(tok) {
				r, n := utf8.DecodeRuneInString(tok[j:])
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					break
				}
				j += n
			}
			if c, _ := utf8.DecodeRuneInString(tok[j:]); !unicode.IsUpper(c) {
				continue
			}
			tc.each(tok, func(in *wordInfo) {
				if in.stem != "" && !isStopword(in.word) && !notNames[in.word] {
					out[in.stem]++
				}
			})
		}
	}
	return out
}

// names returns the article's names: those Analyze counted, or, for an
// analysis kept from before it counted them, counted now from its
// sentences (the same count: it depends on nothing else).
func (a *Analysis) names() map[string]int {
	if a.Names != nil {
		return a.Names
	}
	return analysisNames(a.Sentences)
}

// nameVec is an article's names, IDF-weighted, in order, with each one's
// IDF and the length.
type nameVec struct {
	names []string
	x     []float64
	idf   []float64
	norm  float64
}

func (w *groupWeigher) names(a *Analysis) nameVec {
	c := a.names()
	v := nameVec{names: make([]string, 0, len(c))}
	for t := range c {
		v.names = append(v.names, t)
	}
	sort.Strings(v.names)
	all := make([]float64, 2*len(v.names))
	v.x, v.idf = all[:len(v.names):len(v.names)], all[len(v.names):]
	var nn float64
	for i, t := range v.names {
		v.idf[i] = w.of(t)
		v.x[i] = (1 + math.Log(float64(c[t]))) * v.idf[i]
		nn += v.x[i] * v.x[i]
	}
	v.norm = math.Sqrt(nn)
	return v
}

// addNames adds a member's names to the profile: its length-normalized
// (1 + ln tf) vector, as for terms. A profile made before names were kept
// (members, no names map) stays without: its names would be only those of
// its newest members. The member's names are merged into the profile's
// names and weights kept in order (nameKeys, nameWts), so that a
// comparison reads them without sorting the names again or looking each
// up (that was most of comparing names at 100k stored articles); when a
// weigher w is given and the profile's names are numbered in its numbers,
// their numbers are kept up to date too.
func (p *Profile) addNames(a *Analysis, w *groupWeigher) {
	if p.Articles > 0 && p.Names == nil {
		return
	}
	if p.Names == nil {
		p.Names = map[string]float64{}
	}
	keys := p.sortedNames()
	wts, ids := p.nameWts, p.nameIDs
	c := a.names()
	ns := make([]string, 0, len(c))
	for t := range c {
		ns = append(ns, t)
	}
	sort.Strings(ns)
	var norm float64
	for _, t := range ns {
		x := 1 + math.Log(float64(c[t]))
		norm += x * x
	}
	norm = math.Sqrt(norm)
	withIDs := w != nil && (len(keys) == 0 || p.nameIDsGen == w.terms.gen && len(ids) == len(keys))
	// Each of the member's names is found among the story's by binary
	// search: one the story has changes weight in place, a new one is
	// inserted below, after the loop. A member brings a few names to a
	// story's hundred, so the story's are not copied at every member.
	var added []addedName
	if w != nil {
		added = w.addedNames[:0]
	}
	for _, t := range ns {
		i, found := slices.BinarySearch(keys, t)
		// A name new to the story weighs what Names' zero value plus
		// the member's part gives.
		var y float64
		if found {
			y = wts[i]
		}
		y += (1 + math.Log(float64(c[t]))) / norm
		p.Names[t] = y
		if found {
			wts[i] = y
			continue
		}
		var id int32
		if withIDs {
			id = w.terms.number(t)
		}
		added = append(added, addedName{at: i, name: t, wt: y, id: id})
	}
	if len(added) > 0 {
		n := len(keys) + len(added)
		keys, wts = growTo(keys, n), growTo(wts, n)
		if withIDs {
			ids = growTo(ids, n)
		}
		// From the back: the story's names after the k-th new one move
		// up by k+1, and the new one goes below them.
		end := len(keys) - len(added)
		for k := len(added) - 1; k >= 0; k-- {
			at := added[k].at
			copy(keys[at+k+1:end+k+1], keys[at:end])
			copy(wts[at+k+1:end+k+1], wts[at:end])
			keys[at+k], wts[at+k] = added[k].name, added[k].wt
			if withIDs {
				copy(ids[at+k+1:end+k+1], ids[at:end])
				ids[at+k] = added[k].id
			}
			end = at
		}
	}
	if w != nil {
		clear(added) // let go of the names
		w.addedNames = added[:0]
	}
	if len(p.Names) > profileMaxNames*3/2 {
		// The names profileTrim keeps, selected in the slices in order
		// as a story's terms are (profileMerge.trim), not by sorting
		// them all.
		m := profileMerge{keys: keys, wts: wts, ids: ids}
		if w != nil {
			m.cut = w.nameCut
		}
		m.trim(p.Names, profileMaxNames, withIDs)
		keys, wts, ids = m.keys, m.wts, m.ids
		if w != nil {
			w.nameCut = m.cut
		}
	}
	p.nameKeys, p.nameWts = keys, wts
	if withIDs {
		p.nameIDs, p.nameIDsGen = ids, w.terms.gen
	} else {
		p.nameIDs, p.nameIDsGen = nil, 0
	}
}

// addedName is a name new to a story, to be inserted at index at of its
// names in order, with its weight and number.
type addedName struct {
	at   int
	name string
	wt   float64
	id   int32
}

// growTo returns s lengthened to n, in place when it has room, else in a
// new slice with twice the room, up to the most names a profile holds
// before it is trimmed: a young story gains several names a member, and
// an eighth more room (as fitCopy gives a profile's terms) was a new slice
// at almost every member.
func growTo[E any](s []E, n int) []E {
	if cap(s) < n {
		t := make([]E, n, max(n, min(2*n, profileMaxNames*3/2+maxNewNames)))
		copy(t, s)
		return t
	}
	return s[:n]
}

// maxNewNames is room for the names a member brings past the bound, before
// the trim.
const maxNewNames = 16

// sortedNames returns p's names in order, sorted once and then kept in
// order, with their weights (nameWts), by addNames rather than sorted at
// every comparison. The slice is p's: read it, do not change it.
func (p *Profile) sortedNames() []string {
	if p.nameKeys != nil && len(p.nameKeys) == len(p.Names) && len(p.nameWts) == len(p.nameKeys) {
		return p.nameKeys
	}
	ns := make([]string, 0, len(p.Names))
	for t := range p.Names {
		ns = append(ns, t)
	}
	sort.Strings(ns)
	p.nameKeys = ns
	p.nameWts = make([]float64, len(ns))
	for i, t := range ns {
		p.nameWts[i] = p.Names[t]
	}
	// The numbers were another order's.
	p.nameIDs, p.nameIDsGen = nil, 0
	return ns
}

// SortedNames returns p's names in order with their weights in Names, as
// the profile keeps them (sorted once, then merged into as members join).
// The slices are p's: read them, do not change them.
func (p *Profile) SortedNames() ([]string, []float64) {
	keys := p.sortedNames()
	return keys, p.nameWts
}

// nameNumbersOf returns the numbers of p's names, in order, in w's
// termNumbers: those kept, or looked up now (and kept).
func (w *groupWeigher) nameNumbersOf(p *Profile) []int32 {
	return w.keptNumbers(p.sortedNames(), &p.nameIDs, &p.nameIDsGen)
}

// namesAgree reports whether an article with names v may join p: the
// cosine of their names is at least groupNameJoin, or either has none.
func (w *groupWeigher) namesAgree(v nameVec, p *Profile) bool {
	if v.norm == 0 || len(p.Names) == 0 {
		return true
	}
	return w.namesAgreeWith(v, p, w.namesSquares(p))
}

// namesSquares is the squared length of p's IDF-weighted names: the sum,
// over its names in order, of (weight × IDF)². It changes only when p
// gains a member, so Weights keeps it between comparisons (a story is a
// candidate for many articles, and the sum, over up to 150 names, was most
// of comparing names).
func (w *groupWeigher) namesSquares(p *Profile) float64 {
	keys, ids := p.sortedNames(), w.nameNumbersOf(p)
	return w.squares(keys, p.nameWts, ids)
}

// namesAgreeWith is namesAgree for a p whose names have namesSquares pn
// (v and p both having names). The dot product runs over the article's
// names, in order, looked up in the story's: the same products in the same
// order as over the story's names (both are in the names' order), for the
// few names of an article rather than the many of a story. Each one's IDF
// is the article's, the weigher's IDF for the name, as the story's would
// be.
func (w *groupWeigher) namesAgreeWith(v nameVec, p *Profile, pn float64) bool {
	if pn == 0 {
		return true
	}
	var dot float64
	for k, t := range v.names {
		if y, ok := p.Names[t]; ok {
			y *= v.idf[k]
			dot += v.x[k] * y
		}
	}
	return dot/(v.norm*math.Sqrt(pn)) >= groupNameJoin
}
