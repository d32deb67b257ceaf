package briefing

import (
	"math"
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
// its newest members.
func (p *Profile) addNames(a *Analysis) {
	if p.Articles > 0 && p.Names == nil {
		return
	}
	if p.Names == nil {
		p.Names = map[string]float64{}
	}
	keys := p.nameKeys
	if keys != nil && len(keys) != len(p.Names) {
		keys = nil
	}
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
	var added []string
	for _, t := range ns {
		if _, ok := p.Names[t]; !ok && keys != nil {
			added = append(added, t)
		}
		p.Names[t] += (1 + math.Log(float64(c[t]))) / norm
	}
	if len(p.Names) > profileMaxNames*3/2 {
		profileTrim(p.Names, profileMaxNames)
		keys, added = nil, nil
	}
	p.nameKeys = mergeSorted(keys, added)
}

// mergeSorted returns the strings of a and b, each sorted, in order: in a
// new slice, or a itself when b is empty; nil when a is nil (a profile's
// names not sorted yet stay so until needed). A member adds a few names to
// a story's hundred: merging them in keeps the story's names in order
// without sorting them all again at its next comparison, which cost 7% of
// grouping at 100k stored articles.
func mergeSorted(a, b []string) []string {
	if a == nil || len(b) == 0 {
		return a
	}
	out := make([]string, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] < b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// sortedNames returns p's names in order, sorted once and then kept in
// order by addNames rather than sorted at every comparison (a store
// compares an article with a story's names at every report the story is a
// candidate for; the sort was most of the comparison). The slice is p's:
// read it, do not change it.
func (p *Profile) sortedNames() []string {
	if p.nameKeys != nil && len(p.nameKeys) == len(p.Names) {
		return p.nameKeys
	}
	ns := make([]string, 0, len(p.Names))
	for t := range p.Names {
		ns = append(ns, t)
	}
	sort.Strings(ns)
	p.nameKeys = ns
	return ns
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
	var pn float64
	for _, t := range p.sortedNames() {
		y := p.Names[t] * w.of(t)
		pn += y * y
	}
	return pn
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
