package briefing

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The facts stage turns a story's articles into the items selection chooses
// from: each fact once, citing every article that reports it, and each
// quotation once, citing every article that carries it.

// report is what a story being built knows of each of its articles, read
// or cited only: a stored story cites thousands of reports whose text it
// does not read, and keeps no more of each than this.
type report struct {
	doc int // index into the Build's articles
	an  *Analysis
	art *Article
}

// member is one article of a story being built whose text is read.
type member struct {
	report
	key  string // outlet identity, for counting outlets
	unit int    // support unit: near-copies of one report share one
	drop []bool // sentences dropped as the outlet's furniture (nil: none)
	// keys are the cleanKey of each sentence, computed once per Build by
	// cleanRepeated (nil for an article not read: factUnits computes them).
	keys []uint64
	// toks are its sentences' tokens, up to factPerDoc, set by gather so
	// that the facts stage does not look each one up again.
	toks []*sentTok
}

// itemKind tells a bullet (a sentence stating a fact) from a quote.
type itemKind uint8

const (
	bulletItem itemKind = iota
	quoteItem
)

// item is one fact or quotation a story may show.
type item struct {
	kind    itemKind
	text    string
	speaker string  // quotes only
	m       int     // member whose sentence represents the item
	sent    int     // that sentence's index in its article
	rel     float64 // its position in its article, 0 (first) to 1 (last)
	words   int
	tok     *sentTok
	vec     termVec
	specs   []string // names and numbers, see factSpecifics; nil until asked for (specifics)
	cites   []int    // members reporting it, representative first
	units   int      // distinct support units among cites
	q       float64  // quality, see itemQuality
	base    float64  // quality before support, for choosing representatives
	// carriers are the sentences, as (member, sentence) pairs, that carry
	// a quote: once it is an item, they are not bullets too.
	carriers [][2]int
}

// Bounds that keep a story's cost linear in its text, and fixed however
// many reports it has: an article contributes at most factMaxPerDoc
// sentences (news puts its facts first; only books and logs pasted as
// articles are cut), and a story at most factMaxPerStory, shared evenly
// among the articles it reads (MaxStoryTexts) but never fewer than
// factMinPerDoc each, a report's lede and what follows it. A DUC cluster of
// ten reports reads 80 sentences of each, more than nearly all have.
const (
	factMaxPerDoc   = 120
	factMinPerDoc   = 10
	factMaxPerStory = 800
	// factMaxPosting: a term in more sentences than this is too common to
	// say which sentences tell the same fact, and is not looked up.
	factMaxPosting = 400
)

// Thresholds on sentence cosine similarity.
const (
	// factSame: two sentences from different articles report the same
	// fact; the item cites both.
	factSame = 0.5
	// factRedundant: a candidate this close to a chosen item adds nothing.
	factRedundant = 0.45
)

// factQuoted is the share of a sentence inside quotation marks that makes
// it a quotation rather than a statement.
const factQuoted = 0.4

// factMinWords is the fewest words a bullet has: fewer rarely state a
// whole fact.
var factMinWords = 1

// factPerDoc is how many sentences each of n articles contributes.
func factPerDoc(n int) int {
	return max(factMinPerDoc, min(factMaxPerDoc, factMaxPerStory/max(1, n)))
}

// factUnits links near-copies into support units: an AP write-thru or a
// re-sent report repeats most of an earlier version's sentences word for
// word, and counting both as separate support would let one report vote
// twice. Two articles are near-copies when at least half the sentences of
// the shorter one occur verbatim in the other (Broder's resemblance, 1997,
// over sentences instead of word shingles). It sets members[i].unit and
// returns the number of units. A story reads at most MaxStoryTexts
// members, which factUnitsFit keeps within the 64 a bit set holds.
func factUnits(members []member, w selWeights) int {
	parent := make([]int, len(members))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// Which articles each sentence occurs in, by a hash of its words: a
	// set of members as bits (a story reads at most MaxStoryTexts).
	where := map[uint64]uint64{}
	sizes := make([]int, len(members))
	limit := factPerDoc(len(members))
	for mi, m := range members {
		bit := uint64(1) << (mi & 63)
		for si, s := range m.an.Sentences {
			if si >= limit {
				break
			}
			var k uint64
			if si < len(m.keys) {
				k = m.keys[si]
			} else {
				k = cleanKey(s.Text)
			}
			if where[k]&bit != 0 || strings.Count(s.Text, " ") < 3 {
				continue
			}
			where[k] |= bit
			sizes[mi]++
		}
	}
	// Sentences shared by each pair of members, a < b, counted in a table.
	n := len(members)
	shared := make([]int32, n*n)
	for _, ws := range where {
		for a := ws; a != 0; a &= a - 1 {
			ia := bits.TrailingZeros64(a)
			for b := a & (a - 1); b != 0; b &= b - 1 {
				shared[ia*n+bits.TrailingZeros64(b)]++
			}
		}
	}
	for a := range n {
		for b := a + 1; b < n; b++ {
			if sh := int(shared[a*n+b]); sh > 0 {
				if k := min(sizes[a], sizes[b]); k > 0 && 2*sh >= k && !w.noUnits {
					parent[find(b)] = find(a)
				}
			}
		}
	}
	ids := make([]int, len(members)) // by root: its unit + 1
	units := 0
	for i := range members {
		r := find(i)
		if ids[r] == 0 {
			units++
			ids[r] = units
		}
		members[i].unit = ids[r] - 1
	}
	return units
}

// factUnitsFit fails to compile when a story may read more members than
// factUnits' bit sets hold.
const factUnitsFit = uint(64 - MaxStoryTexts)

// factHash is the 64-bit FNV-1a hash of s (as hash/fnv's New64a computes
// it; TestFactHash checks), without allocating.
func factHash(s string) uint64 {
	return fnvAdd(fnvOffset, s)
}

// FNV-1a, 64 bits (Fowler, Noll and Vo; the constants of hash/fnv).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnvAdd continues an FNV-1a hash h with the bytes of s: fnvAdd(fnvAdd(
// fnvOffset, a), b) is factHash(a + b) without making a + b.
func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// factBullets gathers a story's candidate bullets: the sentences that can
// stand alone as facts, merged across articles when they say the same
// thing. A sentence said in several articles becomes one item citing all of
// them, represented by its best-written version.
func factBullets(ctx context.Context, members []member, skip map[[2]int]bool, tc *termCache, voc *vocab, w selWeights) ([]item, error) {
	limit := factPerDoc(len(members))
	// Word-for-word copies merge at once, as they are met; the index
	// below only compares sentences that differ. Both are sized for every
	// sentence read: an item is large, and a story reads hundreds.
	n := 0
	for _, m := range members {
		n += min(len(m.an.Sentences), limit)
	}
	items := make([]item, 0, n)
	byKey := make(map[uint64]int, n)
	for mi, m := range members {
		n := min(len(m.an.Sentences), limit)
		for si := 0; si < n; si++ {
			s := &m.an.Sentences[si]
			if m.drop != nil && m.drop[si] || len(skip) > 0 && skip[[2]int{mi, si}] {
				continue
			}
			var tk *sentTok
			if si < len(m.toks) {
				tk = m.toks[si]
			} else {
				tk = tc.tok(s.Text)
			}
			if !factBulletable(s, tk) {
				continue
			}
			key := tk.keyHash()
			if k, ok := byKey[key]; ok && !w.noMerge {
				items[k].cites = addInt(items[k].cites, mi)
				continue
			}
			byKey[key] = len(items)
			it := item{kind: bulletItem, text: s.Text, m: mi, sent: si, words: tk.fields(s.Text), tok: tk, cites: []int{mi}}
			if len(m.an.Sentences) > 1 {
				it.rel = float64(si) / float64(len(m.an.Sentences)-1)
			}
			items = append(items, it)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("gathering facts: %w", err)
	}
	for i := range items {
		items[i].vec = voc.vec(items[i].tok.ids)
	}

	// Same fact in other words: each sentence is compared only with the
	// earlier sentences that share terms with it, found through an inverted
	// index (by the story's term id), never with every sentence of the
	// story.
	postings := make([][]int32, len(voc.df))
	leader := make([]int, len(items)) // the item each merges into
	count := make([]int32, len(items))
	var met []int32 // the items count holds
	for i := range items {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("merging facts: %w", err)
			}
		}
		leader[i] = i
		for _, j := range met {
			count[j] = 0
		}
		met = met[:0]
		for _, e := range items[i].vec {
			for _, j := range postings[e.id] {
				if count[j] == 0 {
					met = append(met, j)
				}
				count[j]++
			}
		}
		best, bestSim := -1, 0.0
		need := max(2, len(items[i].vec)/4)
		for _, j32 := range met {
			j := int(j32)
			if int(count[j]) < need || leader[j] != j || factSameDoc(items[i].cites, items[j].cites) {
				continue
			}
			// The most similar earlier fact; of equally similar ones the
			// first, whatever order they are met in.
			sim := cosine(items[i].vec, items[j].vec)
			if sim < bestSim || (sim == bestSim && j > best) || sim < 0.2 {
				continue
			}
			if (sim >= factSame || factSharePhrase(items[i].tok, items[j].tok)) && !factDiffer(items[i].specifics(), items[j].specifics()) {
				best, bestSim = j, sim
			}
		}
		if best >= 0 && !w.noMerge {
			leader[i] = best
			for _, c := range items[i].cites {
				items[best].cites = addInt(items[best].cites, c)
			}
			continue
		}
		for _, e := range items[i].vec {
			if p := postings[e.id]; len(p) < factMaxPosting {
				postings[e.id] = append(p, int32(i))
			}
		}
	}
	out := items[:0]
	for i := range items {
		if leader[i] == i {
			out = append(out, items[i])
		}
	}
	// Members merged into a leader lent it their citations; the leader's
	// own wording stays, as it is the earliest in the story's reading order.
	return out, nil
}

// factSameDoc reports whether two citation lists share an article: two
// sentences of one article are two facts, however alike.
func factSameDoc(a, b []int) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// factBulletable says whether a sentence can stand alone as a bullet: long
// enough to state a fact, not a quotation that does not say whose words it
// is (a context-free quote is no fact), not a question, and finished.
func factBulletable(s *Sentence, tk *sentTok) bool {
	if n := tk.fields(s.Text); n < factMinWords || n > 70 || s.Quoted >= factQuoted && !s.Attributed {
		return false
	}
	// A bullet is a finished sentence: it ends in sentence punctuation, not
	// mid-table (" ."), and is not a footnote to a table of figures.
	t := strings.TrimRight(s.Text, `"”’' `)
	last, _ := cleanLastRune(t)
	if !strings.ContainsRune(".!)…", last) || strings.HasSuffix(t, " .") {
		return false
	}
	if lowerHasPrefix(t, "note:") {
		return false
	}
	// Nor a fragment: a sentence does not start in lower case, after any
	// opening quote or bracket ("withdrawal of troops from the Philadelphi
	// corridor." is the tail of a sentence cut in two).
	if unicode.IsLower(segFirstRune(segTrimOpeners(t))) {
		return false
	}
	return len(tk.terms) >= 3
}

// factQuotes gathers a story's quotations, each once with every article
// that carries it and the fullest name any article gives its speaker.
func factQuotes(members []member, tc *termCache, voc *vocab) []item {
	var known []string
	seen := map[string]bool{}
	for _, m := range members {
		for _, p := range m.an.People {
			if !seen[p] {
				seen[p] = true
				known = append(known, p)
			}
		}
	}
	sort.Strings(known)
	surnames := quoteSurnames(known)
	// The reports of a story carry the same quotations and speakers: each
	// text's words and trigrams, and each speaker's full name, are found
	// once.
	type quoteWords struct {
		norm  []string
		grams []uint64
	}
	texts := map[string]quoteWords{}
	speakers := map[string]string{}
	var out []item
	var norms [][]string           // each item's words, for quoteSame
	postings := map[uint64][]int{} // word trigram -> items carrying it
	for mi, m := range members {
		for _, q := range m.an.Quotes {
			if m.drop != nil && q.Sentence < len(m.drop) && m.drop[q.Sentence] {
				continue
			}
			qw, ok := texts[q.Text]
			if !ok {
				qw.norm = quoteNormWords(q.Text)
				qw.grams = factTrigrams(qw.norm)
				texts[q.Text] = qw
			}
			norm, grams := qw.norm, qw.grams
			speaker, ok := speakers[q.Speaker]
			if !ok {
				speaker = quoteFullName(q.Speaker, known, surnames)
				speakers[q.Speaker] = speaker
			}
			// The same words from another outlet, allowing small edits and a
			// longer or shorter cut: found through shared word trigrams,
			// confirmed by quoteSame.
			merged := false
			for _, g := range grams {
				for _, k := range postings[g] {
					it := &out[k]
					if !quoteSame(norms[k], norm) {
						continue
					}
					it.cites = addInt(it.cites, mi)
					it.carriers = append(it.carriers, [2]int{mi, q.Sentence})
					if len(norm) > len(norms[k]) {
						it.text, it.m, it.sent, norms[k] = q.Text, mi, q.Sentence, norm
					}
					if len(speaker) > len(it.speaker) && strings.HasSuffix(speaker, it.speaker) {
						it.speaker = speaker
					}
					merged = true
					break
				}
				if merged {
					break
				}
			}
			if merged {
				continue
			}
			k := len(out)
			out = append(out, item{kind: quoteItem, text: q.Text, speaker: speaker, m: mi, sent: q.Sentence, cites: []int{mi}, carriers: [][2]int{{mi, q.Sentence}}})
			norms = append(norms, norm)
			for _, g := range grams {
				if p := postings[g]; len(p) < factMaxPosting {
					postings[g] = append(p, k)
				}
			}
		}
	}
	for i := range out {
		it := &out[i]
		it.tok = tc.tok(it.text)
		it.vec = voc.vec(it.tok.ids)
		it.words = it.tok.fields(it.text)
		if n := len(members[it.m].an.Sentences); n > 1 {
			it.rel = float64(it.sent) / float64(n-1)
		}
	}
	return out
}

// factTrigrams hashes the word trigrams of a quotation (its words, for one
// shorter than three).
func factTrigrams(ws []string) []uint64 {
	if len(ws) < 3 {
		return []uint64{factHash(strings.Join(ws, " "))}
	}
	out := make([]uint64, 0, len(ws)-2)
	for i := 0; i+3 <= len(ws); i++ {
		out = append(out, fnvAdd(fnvAdd(fnvAdd(fnvAdd(fnvAdd(fnvOffset, ws[i]), " "), ws[i+1]), " "), ws[i+2]))
	}
	return out
}

// factSupport counts the distinct support units among an item's citations.
func factSupport(members []member, cites []int) int {
	units := map[int]bool{}
	for _, c := range cites {
		units[members[c].unit] = true
	}
	return len(units)
}

// itemQuality is how much a story gains, per word, from showing an item,
// before counting the concepts it covers: its centrality in its own article
// (TextRank salience, which alone makes a strong single-document summarizer
// on news, Mihalcea and Tarau 2004), lowered for sentences that lean on
// what came before them, and raised for newer reports in a story that runs
// over days.
func itemQuality(it *item, members []member, newest time.Time, topic []string) float64 {
	m := members[it.m]
	sal := 1.0
	if it.sent < len(m.an.Sentences) {
		sal = m.an.Sentences[it.sent].Salience
	}
	q := sal
	if len(topic) > 0 {
		q += factTopicShare(topic, it.tok.terms)
	}
	if p := m.art.Published; !p.IsZero() && !newest.IsZero() {
		q *= 0.75 + 0.25*math.Exp(-newest.Sub(p).Hours()/48)
	}
	return q
}

// factSpecifics are the names and numbers of a sentence: capitalized words
// that are not common words, and words with a digit. Two sentences that
// share most of their wording but each name something the other does not
// ("the Mali ceasefire was signed in Bamako" / "the Gaza ceasefire was
// signed in Cairo") report different facts. They are returned lower-cased,
// sorted and each once (never nil), so that factDiffer counts what two
// share by a merge: a story compares hundreds of pairs, and a set as a map
// cost more to build than the comparisons it served.
func factSpecifics(text string) []string {
	out := []string{}
	if !isASCII(text) {
		for _, f := range strings.Fields(text) {
			if lw, ok := factSpecific(f); ok {
				out = append(out, lw)
			}
		}
	} else {
		// ASCII text, nearly all news: the fields are split at ASCII
		// spaces and trimmed of the ASCII marks as above, and lower-casing
		// the whole text once keeps every byte where it was, so each word
		// is a slice of it rather than a string of its own.
		var lower string
		for i := 0; i < len(text); {
			for i < len(text) && asciiSpace(text[i]) {
				i++
			}
			a := i
			for i < len(text) && !asciiSpace(text[i]) {
				i++
			}
			b := i
			for a < b && strings.IndexByte(factSpecTrim, text[a]) >= 0 {
				a++
			}
			for b > a && strings.IndexByte(factSpecTrim, text[b-1]) >= 0 {
				b--
			}
			if a == b {
				continue
			}
			w := text[a:b]
			digit := strings.ContainsAny(w, "0123456789")
			if !digit && !('A' <= w[0] && w[0] <= 'Z') {
				continue
			}
			if lower == "" {
				lower = strings.ToLower(text)
			}
			if lw := lower[a:b]; digit || !isStopword(lw) {
				out = append(out, lw)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// factSpecific says whether a field of a sentence (as strings.Fields cuts
// it) is one of its specifics, and which: the field trimmed of marks and
// lower-cased.
func factSpecific(f string) (string, bool) {
	w := strings.Trim(f, factSpecTrim)
	if w == "" {
		return "", false
	}
	r, _ := utf8.DecodeRuneInString(w)
	// Lower-cased only when it may count: most words are neither.
	digit := strings.ContainsAny(w, "0123456789")
	if !digit && !unicode.IsUpper(r) {
		return "", false
	}
	lw := strings.ToLower(w)
	return lw, digit || !isStopword(lw)
}

// factSpecTrim are the marks trimmed off a word before it is judged a name
// or number: punctuation and quotes. Its ASCII bytes are the whole of it as
// far as ASCII text goes.
const factSpecTrim = ".,;:!?\"'“”‘’()[]"

// asciiSpace is whether c is an ASCII byte strings.Fields splits at.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// specifics is factSpecifics of the item's text, made once when first
// needed: only facts alike enough to merge are compared by them.
func (it *item) specifics() []string {
	if it.specs == nil {
		it.specs = factSpecifics(it.text)
	}
	return it.specs
}

// factDiffer reports whether two sentences are about different particulars:
// each names more that the other lacks than the two share. One telling the
// same fact in more detail ("Putin ..." / "Russian President Vladimir Putin
// ..., the Kremlin said") shares most of its names with the other. a and b
// are sorted, each word once (factSpecifics).
func factDiffer(a, b []string) bool {
	shared := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch c := strings.Compare(a[i], b[j]); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			shared++
			i++
			j++
		}
	}
	onlyA, onlyB := len(a)-shared, len(b)-shared
	return onlyA > shared && onlyB > shared
}

// factSharedPhrase is the length of a word run two sentences may share
// before they count as saying the same thing: "well below the 15.8 mln bpd
// ceiling it set in December" in two reports is one fact, even when the rest
// of the wording differs. Names and set phrases are shorter.
const factSharedPhrase = 7

// factSharePhrase is factSharesPhrase of two tokenized sentences, the
// sentences' words quote styles folded. Most pairs asked share no phrase,
// and two that share a run of factSharedPhrase words share that run's
// hash (phraseHashes): only a pair whose hashes meet is compared word by
// word, so a pair costs a merge of two short sorted lists rather than the
// quadratic table.
func factSharePhrase(a, b *sentTok) bool {
	if len(a.norm) > factPhraseMost || len(b.norm) > factPhraseMost || len(a.norm) < factSharedPhrase || len(b.norm) < factSharedPhrase {
		return false
	}
	ha, hb := a.phraseHashes(), b.phraseHashes()
	for i, j := 0, 0; i < len(ha) && j < len(hb); {
		switch {
		case ha[i] < hb[j]:
			i++
		case ha[i] > hb[j]:
			j++
		default:
			// The same run, or (rarely) two runs with one hash.
			return factSharesPhrase(a.norm, b.norm)
		}
	}
	return false
}

// phraseHashes are the hashes of the sentence's runs of factSharedPhrase
// words (quote styles folded), sorted, each once; computed when first
// asked for. A run's hash is made from its words' hashes (wordInfo.normH),
// not from its text: two equal runs have equal hashes either way, and
// factSharePhrase confirms a meeting word by word, so any hash of the
// words serves, and this one costs a multiplication a word.
func (t *sentTok) phraseHashes() []uint64 {
	if t.done&tokPhrased == 0 {
		n := len(t.norm) - factSharedPhrase + 1
		t.runs = make([]uint64, 0, max(0, n))
		var wh [factPhraseMost]uint64
		if n > 0 && len(t.norm) <= factPhraseMost {
			for k, w := range t.norm {
				if len(t.info) == len(t.norm) {
					wh[k] = t.info[k].gram().normH
				} else {
					wh[k] = factHash(w) // a cache that keeps no wordInfo
				}
			}
		}
		for i := 0; i < n && len(t.norm) <= factPhraseMost; i++ {
			h := uint64(fnvOffset)
			for _, x := range wh[i : i+factSharedPhrase] {
				h = (h ^ x) * fnvPrime
			}
			t.runs = append(t.runs, h)
		}
		slices.Sort(t.runs)
		t.runs = slices.Compact(t.runs)
		t.done |= tokPhrased
	}
	return t.runs
}

// factPhraseMost is the longest sentence, in words, compared for a shared
// phrase: the table is quadratic, and run-on "sentences" from
// unsplittable text are never bullets, so they are not worth comparing.
const factPhraseMost = 150

// factSharesPhrase reports whether two sentences share a run of at least
// factSharedPhrase words: the longest common run (a dynamic programme over
// the two word lists), stopped as soon as a run is long enough, since only
// the threshold is asked. Merging facts and selection ask it for every pair
// of similar sentences, so its rows live on the stack.
func factSharesPhrase(a, b []string) bool {
	if len(a) > factPhraseMost || len(b) > factPhraseMost || len(a) < factSharedPhrase || len(b) < factSharedPhrase {
		return false
	}
	var rowA, rowB [factPhraseMost + 1]int32
	prev, cur := rowA[:len(b)+1], rowB[:len(b)+1]
	for i := 1; i <= len(a); i++ {
		w := a[i-1]
		for j := 1; j <= len(b); j++ {
			if w == b[j-1] {
				if cur[j] = prev[j-1] + 1; cur[j] >= factSharedPhrase {
					return true
				}
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return false
}

// factContained reports whether most content words of the shorter sentence
// are in the longer one: a shorter restatement adds nothing. The words are
// terms, or their ids in one termCache (sentTok.ids), which are equal
// where the terms are.
func factContained[T comparable](a, b []T) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 3 {
		return false
	}
	n := 0
	if len(b) <= 32 {
		// A sentence's terms: a scan is cheaper than building a set for
		// every pair selection compares.
		for _, t := range a {
			if slices.Contains(b, t) {
				n++
			}
		}
	} else {
		in := make(map[T]bool, len(b))
		for _, t := range b {
			in[t] = true
		}
		for _, t := range a {
			if in[t] {
				n++
			}
		}
	}
	return float64(n) >= 0.75*float64(len(a))
}

// factTopicShare is the share of topic terms a sentence contains.
func factTopicShare(topic, ts []string) float64 {
	if len(topic) == 0 {
		return 0
	}
	n := 0
	for _, t := range topic {
		// A sentence's terms: a scan is cheaper than a set.
		if slices.Contains(ts, t) {
			n++
		}
	}
	return float64(n) / float64(len(topic))
}

// addInt appends x to a set kept as a slice.
func addInt(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// fieldCount is len(strings.Fields(s)) without making the fields: the
// words of every candidate sentence are counted (FuzzFieldCount keeps it in
// step with strings.Fields).
func fieldCount(s string) int {
	n := 0
	in := false
	for i := 0; i < len(s); {
		var sp bool
		if c := s[i]; c < utf8.RuneSelf {
			// strings.Fields' ASCII spaces.
			sp = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			sp = unicode.IsSpace(r)
			i += size
		}
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// lowerHasPrefix is strings.HasPrefix(strings.ToLower(s), p) for an ASCII
// lower-case p, without lower-casing all of s: rune by rune, as ToLower
// maps them.
func lowerHasPrefix(s, p string) bool {
	for i := 0; i < len(p); i++ {
		if s == "" {
			return false
		}
		r, size := utf8.DecodeRuneInString(s)
		if unicode.ToLower(r) != rune(p[i]) {
			return false
		}
		s = s[size:]
	}
	return true
}
