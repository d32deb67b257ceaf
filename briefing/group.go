package briefing

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

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

// AddCounts counts docs articles at once, df[t] of which have term t:
// what Add of each would count, a term at a time rather than an article's
// every term.
func (c *DocCounts) AddCounts(docs int, df map[string]int) {
	if c.DF == nil {
		c.DF = map[string]int{}
	}
	c.N += docs
	for t, n := range df {
		c.DF[t] += n
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
	// every term, divided by the vector's Euclidean length. When it grows
	// past 1.5 × profileMaxTerms, only the profileMaxTerms heaviest are kept.
	// Change it through Add (or set a new map): the profile keeps its
	// terms in order, with their weights, beside it.
	Terms map[string]float64 `json:"terms"`
	// First and Last span the members' publication times.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// keys are Terms' keys in order, kept by Add; nil until first needed
	// (a profile read from JSON).
	keys []string
	// wts are Terms' weights in keys' order, and ids the keys' numbers in
	// the termNumbers numbered idsGen: kept beside the map (see
	// group_sums.go), empty until first needed.
	wts    []float64
	ids    []int32
	idsGen uint64
	// Heads are the standing heads of its members (see columnEdition):
	// for each outlet and headline, a hash, the times of the first and
	// last member under it. Nil in a profile made before it was kept.
	Heads map[string][2]int64 `json:"heads,omitempty"`
	// Names sums the members' name vectors as Terms sums their terms (see
	// names.go); nil in a profile made before names were kept.
	Names map[string]float64 `json:"names"`
	// nameKeys are Names' keys in order, nameWts their weights, kept up
	// to date by addNames; nil until first needed. nameIDs are the keys'
	// numbers in the termNumbers numbered nameIDsGen, as ids are the
	// terms'.
	nameKeys   []string
	nameWts    []float64
	nameIDs    []int32
	nameIDsGen uint64
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
	var v groupVec
	v.terms, v.tf, v.tfw, v.pre = groupTermsOf(a)
	p.add(a, v, nil)
}

// add makes a member of a, whose terms in order, with their prefixes and
// each one's 1 + ln tf, are v's. When a weigher w is given, v.idf holds
// the terms' IDFs under it: the profile's IDFs kept for w are kept up to
// date, and before and after are the sums of the squares of a's terms'
// weights in the story times their IDFs (their part of the story's squared
// length) before and after a joined. It reports whether the profile was
// trimmed.
func (p *Profile) add(a *Analysis, v groupVec, w *groupWeigher) (trimmed bool, before, after float64) {
	if p.Terms == nil {
		p.Terms = make(map[string]float64, len(v.terms))
	}
	p.addHead(a)
	p.addNames(a, w)
	p.Articles++
	trimmed, before, after = p.addTerms(v, w)
	if !a.Published.IsZero() {
		if p.First.IsZero() || a.Published.Before(p.First) {
			p.First = a.Published
		}
		if a.Published.After(p.Last) {
			p.Last = a.Published
		}
	}
	return trimmed, before, after
}

// SortTerms sorts the terms grouping weighs a by and keeps them with a, for
// a caller that groups a later, elsewhere: a store prepares its articles
// on every core and groups them one by one, and the sort was a tenth of
// comparing an article with its candidate stories. With them it keeps
// what weighing them takes besides their IDFs (each one's count, its
// logarithm and its prefix), computed from a alone. Call it before a is
// shared: it changes a, and nothing else in the package does.
func (a *Analysis) SortTerms() {
	var st sortedTerms
	st.terms, st.tf, st.tfw, st.pre = groupTermsOf(a)
	a.sorted = &st
}

// groupTermsOf returns a's terms in order (groupSortedTerms), each with
// its count, 1 + ln count and termPrefix: those SortTerms kept, or
// computed now. The slices may be a's: read them, do not change them.
func groupTermsOf(a *Analysis) (ts []string, tf, tfw []float64, pre []uint64) {
	ts = groupSortedTerms(a)
	n := len(ts)
	if st := a.sorted; st != nil && st.terms != nil && len(st.tf) == n && len(st.tfw) == n && len(st.pre) == n {
		return ts, st.tf, st.tfw, st.pre
	}
	f := make([]float64, 2*n)
	tf, tfw, pre = f[:n:n], f[n:], make([]uint64, n)
	for i, t := range ts {
		tf[i] = float64(a.Terms[t])
		tfw[i] = 1 + math.Log(tf[i])
		pre[i] = termPrefix(t)
	}
	return ts, tf, tfw, pre
}

// SortedTerms returns the terms SortTerms kept, in order (nil when it was
// not called): Terms' keys whose counts are positive, which is every key
// of an Analysis that Analyze made. Read the slice, do not change it.
func (a *Analysis) SortedTerms() []string {
	if a.sorted == nil {
		return nil
	}
	return a.sorted.terms
}

// SortedTermCounts returns the count in Terms of each term SortedTerms
// gives, in step with it (nil when SortTerms was not called), as a writer
// of the terms reads them without looking each up in Terms. Read the
// slice, do not change it.
func (a *Analysis) SortedTermCounts() []float64 {
	if a.sorted == nil {
		return nil
	}
	return a.sorted.tf
}

// groupSortedTerms lists an article's terms in order: every sum over them
// runs in that order, so a similarity never depends on map order. The
// slice may be a's (SortTerms): read it, do not change it.
func groupSortedTerms(a *Analysis) []string {
	if a.sorted != nil && a.sorted.terms != nil {
		return a.sorted.terms
	}
	ts := make([]string, 0, len(a.Terms))
	for t, n := range a.Terms {
		if n > 0 {
			ts = append(ts, t)
		}
	}
	sort.Strings(ts)
	return ts
}

// profileTrim keeps the max heaviest entries of m (ties by key, so the
// result never depends on map order).
func profileTrim(m map[string]float64, max int) {
	if len(m) <= max {
		return
	}
	type kv struct {
		k string
		v float64
	}
	all := make([]kv, 0, len(m))
	for k, v := range m {
		all = append(all, kv{k, v})
	}
	slices.SortFunc(all, func(a, b kv) int {
		if a.v != b.v {
			return cmp.Compare(b.v, a.v)
		}
		return strings.Compare(a.k, b.k)
	})
	for _, e := range all[max:] {
		delete(m, e.k)
	}
}

// groupWeigher weighs terms by one DocFreq, remembering each IDF: by the
// term's number in terms, which a weigher may share with the weighers
// renewed from it (see termNumbers).
type groupWeigher struct {
	df    DocFreq
	n     int
	terms *termNumbers
	// idf holds each term's IDF by its number, once weighed (weighed).
	idf     []float64
	weighed []bool
	// gen numbers the weigher.
	gen uint64
	// mark holds, by number, 1 + the index of each term of the article
	// marked (markArticle), whose numbers are marked; 0 for other terms.
	mark   []int32
	marked []int32
	// merge, addedNames, nameCut and scratch are scratch space.
	merge      profileMerge
	addedNames []addedName
	nameCut    []float64
	scratch    []float64
}

func newGroupWeigher(df DocFreq) *groupWeigher {
	n := 0
	if df != nil {
		n = df.Docs()
	}
	return newGroupWeigherOf(df, n, nil)
}

// newGroupWeigherOf weighs by df as if it counted n documents, numbering
// terms by terms (nil: its own numbers).
func newGroupWeigherOf(df DocFreq, n int, terms *termNumbers) *groupWeigher {
	if terms == nil {
		terms = newTermNumbers()
	}
	return &groupWeigher{df: df, n: n, terms: terms, gen: weigherGens.Add(1)}
}

// of is the smoothed inverse document frequency of t: a term in every
// document still weighs a little, and one the corpus has not seen yet
// weighs most.
func (w *groupWeigher) of(t string) float64 { return w.ofNumber(w.terms.number(t), t) }

// ofNumber is of(t), t's number being id.
func (w *groupWeigher) ofNumber(id int32, t string) float64 {
	if int(id) < len(w.weighed) && w.weighed[id] {
		return w.idf[id]
	}
	if int(id) >= len(w.weighed) {
		n := max(int(id)+1, 2*len(w.weighed), 1024)
		w.idf, w.weighed = slices.Grow(w.idf, n-len(w.idf))[:n], slices.Grow(w.weighed, n-len(w.weighed))[:n]
	}
	v := w.weigh(t)
	w.idf[id], w.weighed[id] = v, true
	return v
}

// weigh is of without remembering.
func (w *groupWeigher) weigh(t string) float64 {
	f := 0
	if w.df != nil {
		f = w.df.Freq(t)
	}
	return math.Log(float64(w.n+1)/float64(f+1)) + 1
}

// groupVec is an article's TF-IDF vector, terms in order, with its length.
type groupVec struct {
	terms []string
	// ids are the terms' numbers in the termNumbers numbered idsGen,
	// when known.
	ids    []int32
	idsGen uint64
	pre    []uint64  // termPrefix of each term
	tf     []float64 // counts
	tfw    []float64 // 1 + ln tf
	x      []float64 // TF-IDF weights
	idf    []float64
	norm   float64
}

func (w *groupWeigher) article(a *Analysis) groupVec {
	var v groupVec
	v.terms, v.tf, v.tfw, v.pre = groupTermsOf(a)
	n := len(v.terms)
	all := make([]float64, 2*n)
	v.x, v.idf = all[:n:n], all[n:]
	v.ids, v.idsGen = make([]int32, n), w.terms.gen
	var nn float64
	for i, t := range v.terms {
		v.ids[i] = w.terms.number(t)
		v.idf[i] = w.ofNumber(v.ids[i], t)
		v.x[i] = v.tfw[i] * v.idf[i]
		nn += v.x[i] * v.x[i]
	}
	v.norm = math.Sqrt(nn)
	return v
}

// groupProbe is how many of an article's heaviest terms Group looks up to
// find the stories it may join. A story sharing none of them shares too
// little to reach groupJoin.
const groupProbe = 30

// top returns the article's n heaviest terms (ties by term).
func (v groupVec) top(n int) []string {
	if len(v.terms) <= n {
		return v.terms
	}
	idx := make([]int, len(v.terms))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if v.x[a] != v.x[b] {
			return cmp.Compare(v.x[b], v.x[a])
		}
		return strings.Compare(v.terms[a], v.terms[b])
	})
	out := make([]string, n)
	for k, i := range idx[:n] {
		out[k] = v.terms[i]
	}
	return out
}

// profileNorm is the length of the story's centroid under the IDF.
func (w *groupWeigher) profileNorm(p *Profile) float64 {
	keys, ids := p.sortedKeys(), w.numbersOf(p)
	return math.Sqrt(w.squares(keys, p.wts, ids))
}

// sim is the cosine of an article's vector and a story's centroid whose
// length is pn.
func (w *groupWeigher) sim(v groupVec, p *Profile, pn float64) float64 {
	if v.norm == 0 || pn == 0 {
		return 0
	}
	var dot float64
	if w.numbered(v, p) {
		// The story's terms, in order, looked up among the article's
		// by number: the products come in the article's order (both are
		// in the terms' order), as a lookup of each of the article's
		// terms in the story would sum them.
		mark, wts := w.mark, p.wts[:len(p.ids)]
		for k, id := range p.ids {
			if int(id) < len(mark) {
				if i := mark[id] - 1; i >= 0 {
					dot += v.x[i] * wts[k] * v.idf[i]
				}
			}
		}
	} else {
		for i, t := range v.terms {
			if y, ok := p.Terms[t]; ok {
				dot += v.x[i] * y * v.idf[i]
			}
		}
	}
	return dot / (v.norm * pn)
}

// Thresholds of Similarity. groupJoin is the similarity at which an
// article joins a story it was published within a few days of; the
// required similarity grows by a half for every groupDecay beyond
// groupGrace since the story's newest (or before its oldest) report. On
// duc2003-dev's mixes every threshold from 0.10 to 0.13 groups with
// B-cubed F1 0.95 or more at precision 0.995 or more; at 0.09 two
// unrelated storms merge. 0.11 sits inside that range with room on both
// sides, rather than at its best point.
const (
	groupJoin  = 0.11
	groupGrace = 3 * 24 * time.Hour
	groupDecay = 30 * 24 * time.Hour
)

// Similarity is how alike an article and a story are, from 0 to 1: the
// cosine of the article's TF-IDF vector and the story's centroid.
func Similarity(a *Analysis, p *Profile, df DocFreq) float64 {
	if p == nil || p.Articles == 0 {
		return 0
	}
	w := newGroupWeigher(df)
	return w.sim(w.article(a), p, w.profileNorm(p))
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
	return NewWeights(df).Assign(a, candidates)
}

// Weights compares articles with stories as Assign does, remembering what
// it computed: each term's IDF, the vector of the article it last weighed,
// and each story's centroid length until the story changes. A store
// grouping articles one by one against the same stories computes each
// once, not at every comparison (a story's length is a sum over up to 600
// terms). It takes the number of documents when made and a term's frequency
// when the term is first weighed: one kept while the counts grow (Docs by a
// few percent) weighs as if they were counted a little earlier. Not safe for
// concurrent use.
type Weights struct {
	w     *groupWeigher
	norms map[*Profile]profileLength
	lastA *Analysis
	lastV groupVec
}

// profileLength is a profile's centroid length when it had articles
// members, and, when named, the namesSquares of its names then.
type profileLength struct {
	articles int
	norm     float64
	named    bool
	names    float64
}

// NewWeights weighs by df.
func NewWeights(df DocFreq) *Weights {
	return &Weights{w: newGroupWeigher(df), norms: map[*Profile]profileLength{}}
}

// Renewed is NewWeights(df), for a caller that replaces w with it: it
// weighs as NewWeights(df) does, and it numbers terms as w does, so the
// stories w compared keep their terms' numbers (see termNumbers) and a
// story's length under the new weights is summed without looking up its
// terms. Use w no more once renewed: the two share the numbers, which are
// not safe for concurrent use.
func (w *Weights) Renewed(df DocFreq) *Weights {
	n := 0
	if df != nil {
		n = df.Docs()
	}
	return &Weights{w: newGroupWeigherOf(df, n, w.w.terms), norms: map[*Profile]profileLength{}}
}

// Prepare readies p for comparisons under w and the weights renewed from
// it: its terms put in order and numbered. It changes no number; it only
// spares the comparing of it that work, for a caller that has time for it
// elsewhere (a store loading its stories beside the preparing of the
// first batch).
func (w *Weights) Prepare(p *Profile) { w.w.numbersOf(p) }

// ProfileNumbers returns the numbers w and the weights renewed from it
// give p's terms, in the order of SortedTerms, numbering them as Prepare
// does (and weighing none). A caller indexing terms by number (a store's
// index of its stories' key terms) reads a slice where it looked a string
// up in a map. The slice is p's: read it, do not change it.
func (w *Weights) ProfileNumbers(p *Profile) []int32 { return w.w.numbersOf(p) }

// TermNumbers returns the numbers of a's terms, in the order Terms
// returns them, as ProfileNumbers numbers a story's. The slice is w's:
// read it, do not change it.
func (w *Weights) TermNumbers(a *Analysis) []int32 { return w.vec(a).ids }

// Docs is the number of documents the IDFs are computed with.
func (w *Weights) Docs() int { return w.w.n }

// IDF is the smoothed inverse document frequency the comparisons weigh a
// term by.
func (w *Weights) IDF(term string) float64 { return w.w.of(term) }

// IDFNow is IDF computed from the document frequencies as they are now,
// without remembering it: safe for concurrent use while nothing changes
// them (IDF, which remembers what it computed, is not). It equals IDF for
// a term IDF has not weighed since they last changed.
func (w *Weights) IDFNow(term string) float64 { return w.w.weigh(term) }

// Assign is the package's Assign under w's weights. A candidate may have
// changed (through Add or Join) since w last saw it.
func (w *Weights) Assign(a *Analysis, candidates []*Profile) int {
	v := w.vec(a)
	nv := w.w.names(a)
	var head articleHead
	best, bestSim := -1, 0.0
	for i, p := range candidates {
		if p == nil || p.Articles == 0 || head.edition(a, p) {
			continue
		}
		s := w.w.sim(v, p, w.norm(p))
		if s >= groupNeeded(a.Published, p) && s > bestSim && w.namesAgree(nv, p) {
			best, bestSim = i, s
		}
	}
	return best
}

// Join is p.Add(a), reusing the article's vector from Assign. The story's
// length is brought up to date from the terms the article changed (the
// squares of their old weights taken off its sum, their new ones added)
// rather than summed again over all of them.
func (w *Weights) Join(p *Profile, a *Analysis) {
	v := w.vec(a)
	l, known := w.norms[p]
	known = known && l.articles == p.Articles
	trimmed, before, after := p.add(a, v, w.w)
	if trimmed || !known {
		delete(w.norms, p)
		return
	}
	w.norms[p] = profileLength{articles: p.Articles, norm: math.Sqrt(max(0, l.norm*l.norm-before+after))}
}

// Terms returns a's terms in order, each with its count and its IDF under
// w: the vector Assign and Join weigh a by, remembered for them, so a
// caller choosing a's heaviest terms weighs none again. The slices are
// w's: read them, do not change them.
func (w *Weights) Terms(a *Analysis) (terms []string, counts, idf []float64) {
	v := w.vec(a)
	return v.terms, v.tf, v.idf
}

// ProfileTerms returns p's terms in order, each with its weight in p.Terms
// and its IDF under w, from what p keeps beside Terms (see group_sums.go)
// so that a caller choosing p's heaviest terms looks none up. The slices
// are p's and w's: read them before p or w next change, do not change
// them.
func (w *Weights) ProfileTerms(p *Profile) (terms []string, weights, idf []float64) {
	terms = p.sortedKeys()
	ids := w.w.numbersOf(p)
	idf = w.w.scratch[:0]
	for i, t := range terms {
		idf = append(idf, w.w.ofNumber(ids[i], t))
	}
	w.w.scratch = idf
	return terms, p.wts, idf
}

// vec is a's vector, remembered for the next call, and marked for sim.
func (w *Weights) vec(a *Analysis) groupVec {
	if w.lastA != a {
		w.lastA, w.lastV = a, w.w.article(a)
		w.w.markArticle(w.lastV)
	}
	return w.lastV
}

// norm is p's centroid length, computed again only when p has gained a
// member since.
func (w *Weights) norm(p *Profile) float64 {
	if l, ok := w.norms[p]; ok && l.articles == p.Articles {
		return l.norm
	}
	n := w.w.profileNorm(p)
	w.norms[p] = profileLength{articles: p.Articles, norm: n}
	return n
}

// namesAgree is w.w.namesAgree(v, p) with p's namesSquares kept beside its
// length (which norm, called first, brought up to date) until p gains a
// member. The sum reads the IDF of each of p's names, which the weigher
// remembers from the first time: summed once or at every comparison, each
// IDF is the one first read.
func (w *Weights) namesAgree(v nameVec, p *Profile) bool {
	if v.norm == 0 || len(p.Names) == 0 {
		return true
	}
	l, ok := w.norms[p]
	if !ok || l.articles != p.Articles {
		return w.w.namesAgree(v, p)
	}
	if !l.named {
		l.named, l.names = true, w.w.namesSquares(p)
		w.norms[p] = l
	}
	return w.w.namesAgreeWith(v, p, l.names)
}

// Group clusters articles into stories: each article, in an order fixed by
// content, joins the story Assign would pick among those formed so far. It
// returns each story's members as indexes into analyses, ascending; stories
// come in the order they were started (oldest first). df nil means
// document frequencies over the given articles. It compares an article only
// with the stories that share a term with it, through an inverted index,
// and keeps each story's centroid length between arrivals, so a batch
// costs about its articles times their terms times the stories each term
// is in, not articles times stories times profile size.
func Group(ctx context.Context, analyses []*Analysis, df DocFreq) ([][]int, error) {
	if df == nil {
		c := &DocCounts{}
		for _, a := range analyses {
			c.Add(a)
		}
		df = c
	}
	return groupWith(ctx, analyses, newGroupWeigher(df))
}

// groupArticle is an article weighed for grouping.
type groupArticle struct {
	vec   groupVec
	top   []string // vec.top(groupProbe)
	names nameVec
}

// groupMinPart is the fewest terms worth a goroutine of their own when
// weighing articles for grouping: a few dozen articles.
const groupMinPart = 8192

// groupWeighAll weighs every article for grouping, spread over the cores
// when they have terms enough: each article on its own, and each
// goroutine with its own memo of w's IDFs (the same numbers, from the
// same DocFreq, which is only read).
func groupWeighAll(analyses []*Analysis, w *groupWeigher) []groupArticle {
	work := 0
	for _, a := range analyses {
		work += len(a.Terms)
	}
	workers := coresWorkers(work, groupMinPart)
	ws := make([]*groupWeigher, workers)
	ws[0] = w
	out := make([]groupArticle, len(analyses))
	onCoresRange(len(analyses), analyseBlock(len(analyses), workers), workers, nil, func(k, lo, hi int) {
		if ws[k] == nil {
			ws[k] = newGroupWeigherOf(w.df, w.n, nil)
		}
		for i := lo; i < hi; i++ {
			v := ws[k].article(analyses[i])
			// The terms' numbers are each goroutine's own; Group, whose
			// stories keep their IDFs up to date as they grow, needs none.
			v.ids, v.idsGen = nil, 0
			out[i] = groupArticle{vec: v, top: v.top(groupProbe), names: ws[k].names(analyses[i])}
		}
	})
	return out
}

// groupWith is Group with the articles' vectors already weighed by w.
func groupWith(ctx context.Context, analyses []*Analysis, w *groupWeigher) ([][]int, error) {
	order := groupOrder(analyses)
	weighed := groupWeighAll(analyses, w)
	var groups [][]int
	var profiles []*Profile
	var norms []float64
	postings := map[string][]int{} // term -> stories whose profile had it
	posted := map[groupPost]bool{}
	for k, i := range order {
		if k%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("grouping stories: %w", err)
			}
		}
		a := analyses[i]
		v := weighed[i].vec
		// Candidates: the stories that share one of the article's most
		// distinctive terms, as a store would find them through its index;
		// each once, in story order so ties go to the older story.
		var cands []int
		seen := map[int]bool{}
		for _, t := range weighed[i].top {
			for _, g := range postings[t] {
				if !seen[g] {
					seen[g] = true
					cands = append(cands, g)
				}
			}
		}
		sort.Ints(cands)
		best, bestSim := -1, 0.0
		nv := weighed[i].names
		for _, g := range cands {
			if columnEdition(a, profiles[g]) {
				continue
			}
			s := w.sim(v, profiles[g], norms[g])
			if s >= groupNeeded(a.Published, profiles[g]) && s > bestSim && w.namesAgree(nv, profiles[g]) {
				best, bestSim = g, s
			}
		}
		if best < 0 {
			best = len(profiles)
			groups = append(groups, nil)
			profiles = append(profiles, &Profile{})
			norms = append(norms, 0)
		}
		p := profiles[best]
		p.add(a, v, w)
		groups[best] = append(groups[best], i)
		norms[best] = w.profileNorm(p)
		for _, t := range v.terms {
			if _, ok := p.Terms[t]; ok && !posted[groupPost{t, best}] {
				posted[groupPost{t, best}] = true
				postings[t] = append(postings[t], best)
			}
		}
	}
	for _, g := range groups {
		sort.Ints(g)
	}
	return groups, nil
}

// groupPost is one entry of Group's inverted index.
type groupPost struct {
	term  string
	story int
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
