package briefing

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Build turns articles into a briefing: it analyses them (or uses their
// stored Analysis), groups them into stories, ranks the stories, and gives
// each the sentences and quotes that say the most, citing every outlet that
// reports them. It leaves out whatever opts.Said already covers. The result
// depends only on its inputs (and opts.Now): the same articles give the same
// briefing. It stops with ctx's error, wrapped, when ctx is done.
func Build(ctx context.Context, articles []Article, opts Options) (Briefing, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if opts.MaxBullets <= 0 {
		opts.MaxBullets = 5
	}
	b := Briefing{Topic: opts.Topic, GeneratedAt: now, Stories: []Story{}}
	fail := func(stage string, err error) (Briefing, error) {
		return Briefing{}, fmt.Errorf("briefing %s: %w", stage, err)
	}

	analyses := make([]*Analysis, len(articles))
	docs := make([]*cleanDoc, len(articles))
	for i, a := range articles {
		if err := ctx.Err(); err != nil {
			return fail("analysing articles", err)
		}
		analyses[i] = analysisOf(a)
		an := analyses[i]
		docs[i] = &cleanDoc{art: a, outlet: an.Outlet, key: analysisKey(an), title: an.Title, paras: an.paras()}
	}
	tc := newBuildTermCache()
	counts := &DocCounts{}
	for _, an := range analyses {
		counts.Add(an)
	}
	vecs := buildDocVecs(analyses, counts)
	cleanRepeated(docs, func(i, j int) float64 { return storyCos(vecs[i], vecs[j]) }, func(s string) string { return tc.tok(s).key })
	if err := ctx.Err(); err != nil {
		return fail("cleaning", err)
	}
	topic := tc.terms(opts.Topic)
	var live []int
	var liveAn []*Analysis
	for i, d := range docs {
		if len(d.paras) == 0 {
			continue
		}
		live = append(live, i)
		liveAn = append(liveAn, analyses[i])
	}
	groups, err := Group(ctx, liveAn, counts)
	if err != nil {
		return Briefing{}, err
	}

	var latest time.Time
	for _, i := range live {
		if p := docs[i].art.Published; p.After(latest) {
			latest = p
		}
	}
	ranked := make([]storyRanked, 0, len(groups))
	anyTopic := false
	for _, g := range groups {
		r := storyRanked{}
		outlets := map[string]bool{}
		for _, li := range g {
			di := live[li]
			r.members = append(r.members, di)
			outlets[docs[di].key] = true
			if p := docs[di].art.Published; p.After(r.newest) {
				r.newest = p
			}
			r.topic = math.Max(r.topic, buildTopicRel(topic, analyses[di], tc))
		}
		sort.Ints(r.members)
		r.outlets = len(outlets)
		r.headline = docs[r.members[0]].title
		if r.topic > 0 {
			anyTopic = true
		}
		ranked = append(ranked, r)
	}
	storyRankAll(ranked, latest)

	nov := noveltyNew(opts.Said, tc)
	// Stories with something new come first; stories with nothing new only
	// fill the places left, so a post never drops news to say that an old
	// story is unchanged.
	var built, old []buildStory
	for _, r := range ranked {
		if opts.MaxStories > 0 && len(built) == opts.MaxStories {
			break
		}
		if err := ctx.Err(); err != nil {
			return fail("selecting", err)
		}
		if len(topic) > 0 && anyTopic && r.topic == 0 {
			continue
		}
		st, ok := buildOneStory(docs, r.members, topic, nov, tc, opts)
		switch {
		case !ok:
		case st.story.NothingNew:
			old = append(old, st)
		default:
			built = append(built, st)
		}
	}
	if opts.MaxStories > 0 {
		old = old[:min(len(old), opts.MaxStories-len(built))]
	}
	built = append(built, old...)
	buildBudget(built, opts.MaxWords)
	allOld := len(built) > 0
	for _, st := range built {
		if !st.story.NothingNew && len(st.story.Bullets) == 0 && len(st.story.Quotes) == 0 {
			continue // everything it had was over the word budget
		}
		if !st.story.NothingNew {
			allOld = false
		}
		b.Stories = append(b.Stories, st.story)
	}
	b.NothingNew = allOld && len(b.Stories) > 0
	return b, nil
}

// buildDocVecs are the articles' TF-IDF vectors, as grouping weighs them.
func buildDocVecs(analyses []*Analysis, df DocFreq) []storyVec {
	vecs := make([]storyVec, len(analyses))
	voc := newStoryVocab()
	for i, an := range analyses {
		vecs[i] = buildDocVec(an, df, voc)
	}
	return vecs
}

// buildDocVec is an article's TF-IDF vector, as grouping weighs it.
func buildDocVec(an *Analysis, df DocFreq, v *storyVocab) storyVec {
	ts := make([]string, 0, len(an.Terms))
	for t := range an.Terms {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	out := make(storyVec, 0, len(ts))
	for _, t := range ts {
		out = append(out, storyEntry{v.id(t), float32((1 + math.Log(float64(an.Terms[t]))) * groupIDF(df, t))})
	}
	return out.normalize()
}

// buildTopicRel is how much an article is about the topic: the share of
// topic terms it contains, counting the title twice.
func buildTopicRel(topic []string, an *Analysis, tc *buildTermCache) float64 {
	if len(topic) == 0 {
		return 0
	}
	inTitle := map[string]bool{}
	for _, t := range tc.terms(an.Title) {
		inTitle[t] = true
	}
	var s float64
	for _, t := range topic {
		if inTitle[t] {
			s += 2
		}
		if an.Terms[t] > 0 {
			s++
		}
	}
	return s / (3 * float64(len(topic)))
}

// buildTermCache memoizes stemming for one Build: the same few thousand
// words recur in every sentence of every article, and stemming dominates
// the cost of term extraction. terms gives exactly what the package's terms
// function gives.
type buildTermCache struct {
	stems map[string]string
	toks  map[string]*buildTok
}

// buildTok is what the stages need of one sentence, tokenized once: its
// terms, its words with quote styles folded, and those words as one key.
type buildTok struct {
	terms []string
	norm  []string
	key   string
}

func newBuildTermCache() *buildTermCache {
	return &buildTermCache{stems: map[string]string{}, toks: map[string]*buildTok{}}
}

// tok tokenizes a sentence once per Build; cleaning, grouping, scoring and
// novelty all look at the same sentences.
func (c *buildTermCache) tok(s string) *buildTok {
	if t, ok := c.toks[s]; ok {
		return t
	}
	ws := words(s)
	t := &buildTok{norm: make([]string, len(ws))}
	for i, w := range ws {
		t.norm[i] = strings.ReplaceAll(w, "’", "'")
	}
	t.key = strings.Join(t.norm, " ")
	t.terms = c.termsOf(ws)
	c.toks[s] = t
	return t
}

// buildStemFold is stem's folding of hyphens, dots and apostrophes, built
// once rather than per word.
var buildStemFold = strings.NewReplacer("-", "", ".", "", ",", "", "’", "'")

// stem is the package's stem without rebuilding its replacer on every call.
func (c *buildTermCache) stem(w string) string {
	buildStemMemo.RLock()
	s, ok := buildStemMemo.m[w]
	buildStemMemo.RUnlock()
	if ok {
		return s
	}
	if f := buildStemFold.Replace(w); f != "" {
		s = english.Stem(f, false)
	}
	buildStemMemo.Lock()
	if len(buildStemMemo.m) < buildStemMemoMax {
		buildStemMemo.m[w] = s
	}
	buildStemMemo.Unlock()
	return s
}

// buildStemMemo remembers stems across Builds: a bot briefs on the same
// vocabulary all day, and stemming is a tenth of the cost of a Build. A stem
// depends only on its word, so sharing it changes no result. The bound keeps
// a stream of junk words from growing it without limit.
var buildStemMemo = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

const buildStemMemoMax = 200_000

// stemWord stems one lower-case word through the cache.
func (c *buildTermCache) stemWord(w string) string {
	s, ok := c.stems[w]
	if !ok {
		s = c.stem(w)
		c.stems[w] = s
	}
	return s
}

func (c *buildTermCache) terms(text string) []string {
	return c.termsOf(words(text))
}

// termsOf is terms over words already split out; ws is not modified.
func (c *buildTermCache) termsOf(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if !strings.Contains(w, ".") && isStopword(w) {
			continue
		}
		s, ok := c.stems[w]
		if !ok {
			s = c.stem(w)
			c.stems[w] = s
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// buildSent is one candidate sentence of a story.
type buildSent struct {
	doc, para, pos int
	rel            float64 // position in its article, 0 (first) to 1 (last)
	text           string
	ts             []string
	vec            storyVec
	quoted         float64  // share of the sentence inside quotation marks
	norm           []string // lower-case words, for shared-phrase checks
	score          float64
	cites          []int // documents reporting the same fact, own first
}

// buildQuote is a quotation merged across the outlets that carry it.
type buildQuote struct {
	text, speaker string
	norm          []string // words of text, quote styles folded
	docs          []int
	vec           storyVec
	score         float64
}

// buildStory is a story with its items in priority order, before the word
// budget is applied.
type buildStory struct {
	story   Story
	bullets []buildSent
	quotes  []buildQuote
	sources map[int]Source
	order   []int // documents in citation order
}

// Thresholds on sentence cosine similarity.
const (
	// buildSameFact: two sentences from different articles report the same
	// fact; the bullet cites both.
	buildSameFact = 0.5
	// buildRedundant: a candidate this close to a chosen bullet or quote adds
	// nothing.
	buildRedundant = 0.45
)

// buildOneStory picks the bullets and quotes of one story. ok is false when
// the story has nothing to show at all (every line was boilerplate).
func buildOneStory(docs []*cleanDoc, members []int, topic []string, nov *noveltyIndex, tc *buildTermCache, opts Options) (buildStory, bool) {
	voc := newStoryVocab()
	var sents []buildSent
	for _, di := range members {
		d := docs[di]
		all := d.sents()
		sal := salience(d.title, all)
		maxSal := 0.0
		for _, s := range sal {
			maxSal = math.Max(maxSal, s)
		}
		pos := 0
		for pi, p := range d.paras {
			qfrac := buildQuotedShare(p)
			for k, s := range p {
				bs := buildSent{doc: di, para: pi, pos: pos, text: s, ts: tc.tok(s).terms, quoted: qfrac[k], norm: tc.tok(s).norm}
				if len(all) > 1 {
					bs.rel = float64(pos) / float64(len(all)-1)
				}
				if maxSal > 0 && pos < len(sal) {
					bs.score = sal[pos] / maxSal // per-article salience, blended below
				}
				voc.addDoc(bs.ts)
				sents = append(sents, bs)
				pos++
			}
		}
	}
	if len(sents) == 0 {
		return buildStory{}, false
	}
	for i := range sents {
		sents[i].vec = voc.vec(sents[i].ts)
	}

	// The centroid weighs every article equally, so a long article does not
	// decide alone what the story is about.
	byDoc := map[int][]storyVec{}
	for _, s := range sents {
		byDoc[s.doc] = append(byDoc[s.doc], s.vec)
	}
	var docCents []storyVec
	for _, di := range members {
		docCents = append(docCents, storySum(byDoc[di], nil))
	}
	centroid := storySum(docCents, nil)

	outletsIn := map[string]bool{}
	for _, di := range members {
		outletsIn[docs[di].key] = true
	}
	nOutlets := len(outletsIn)
	var newest time.Time
	for _, di := range members {
		if p := docs[di].art.Published; p.After(newest) {
			newest = p
		}
	}

	// Who reports what: for every sentence, the other articles with a
	// sentence saying the same.
	specifics := make([]map[string]bool, len(sents))
	for i := range sents {
		sents[i].cites = []int{sents[i].doc}
		specifics[i] = buildSpecifics(sents[i].text)
	}
	for i := range sents {
		for j := i + 1; j < len(sents); j++ {
			if sents[i].doc == sents[j].doc {
				continue
			}
			// A long shared phrase is the same fact even in otherwise
			// different wording; the phrase check only runs on pairs that
			// share enough terms to make it possible.
			c := storyCos(sents[i].vec, sents[j].vec)
			if (c >= buildSameFact || c >= 0.2 && buildSharedRun(sents[i].norm, sents[j].norm) >= buildSharedPhrase) &&
				!buildDiffer(specifics[i], specifics[j]) {
				sents[i].cites = buildAddInt(sents[i].cites, sents[j].doc)
				sents[j].cites = buildAddInt(sents[j].cites, sents[i].doc)
			}
		}
	}

	for i := range sents {
		s := &sents[i]
		central := storyCos(s.vec, centroid)
		posPrior := 1 / (1 + 0.2*float64(s.pos))
		support := 0.0
		if nOutlets > 1 {
			outs := map[string]bool{}
			for _, d := range s.cites {
				outs[docs[d].key] = true
			}
			support = float64(len(outs)-1) / float64(nOutlets-1)
		}
		// In a story that runs over days the latest report leads.
		fresh := 1.0
		if p := docs[s.doc].art.Published; !p.IsZero() && !newest.IsZero() {
			fresh = math.Exp(-newest.Sub(p).Hours() / 24)
		}
		s.score = 0.35*central + 0.2*s.score + 0.2*posPrior + 0.1*buildTopicShare(topic, s.ts) + 0.15*support + 0.1*fresh
		s.score *= buildStyle(s.text)
	}

	var st buildStory
	st.sources = map[int]Source{}
	st.order = buildSourceOrder(docs, members)
	for _, di := range members {
		a := docs[di].art
		st.sources[di] = Source{Name: docs[di].outlet, Title: buildSourceTitle(docs[di]), URL: a.URL, Published: a.Published}
	}

	// Quotes first: a sentence shown as a quote is not repeated as a bullet.
	people := make([][]quoteName, len(members))
	for k, di := range members {
		text, _ := quoteDocText(docs[di])
		people[k] = quotePeople(text)
	}
	known := buildKnownPeople(people)
	var cands []quoteCand
	for k, di := range members {
		cands = append(cands, quoteExtract(di, docs[di], people[k], known)...)
	}
	quotes := buildMergeQuotes(cands)
	hadQuotes := len(quotes) > 0
	for i := range quotes {
		q := &quotes[i]
		qts := tc.terms(q.text)
		q.vec = voc.vec(qts)
		outs := map[string]bool{}
		for _, d := range q.docs {
			outs[docs[d].key] = true
		}
		n := len(strings.Fields(q.text))
		length := 1.0
		if n > 45 {
			length = 45 / float64(n)
		}
		q.score = float64(len(outs)) + storyCos(q.vec, centroid) + 0.5*buildTopicShare(topic, qts) + 0.3*length
	}
	sort.SliceStable(quotes, func(i, j int) bool { return quotes[i].score > quotes[j].score })
	maxQuotes := min(3, (opts.MaxBullets+1)/2)
	for _, q := range quotes {
		if len(st.quotes) >= maxQuotes {
			break
		}
		if nov.coversQuote(q.text) {
			continue
		}
		redundant := false
		for _, c := range st.quotes {
			if storyCos(c.vec, q.vec) >= buildRedundant {
				redundant = true
				break
			}
		}
		if !redundant {
			st.quotes = append(st.quotes, q)
		}
	}

	// Bullets by maximal marginal relevance: score minus likeness to what is
	// already chosen, and nothing close to a chosen bullet or quote.
	var pool []int
	hadBullets := false
	for i, s := range sents {
		if !buildBulletable(s) {
			continue
		}
		hadBullets = true
		if nov.covers(s.text) {
			continue
		}
		pool = append(pool, i)
	}
	var chosen []int
	for len(chosen) < opts.MaxBullets && len(pool) > 0 {
		best, bestVal := -1, math.Inf(-1)
		for pi, i := range pool {
			maxSim := 0.0
			for _, c := range chosen {
				maxSim = math.Max(maxSim, storyCos(sents[i].vec, sents[c].vec))
			}
			if v := 0.75*sents[i].score - 0.25*maxSim; v > bestVal {
				best, bestVal = pi, v
			}
		}
		i := pool[best]
		pool = append(pool[:best], pool[best+1:]...)
		if buildTooClose(sents[i], sents, chosen, st.quotes) {
			continue
		}
		chosen = append(chosen, i)
	}
	for _, i := range chosen {
		st.bullets = append(st.bullets, sents[i])
	}

	st.story = Story{
		Headline: buildHeadline(docs, members, docCents, centroid),
		Bullets:  []Bullet{},
		Quotes:   []Quote{},
	}
	for _, di := range st.order {
		st.story.Sources = append(st.story.Sources, st.sources[di])
		p := docs[di].art.Published
		if p.IsZero() {
			continue
		}
		if st.story.From.IsZero() || p.Before(st.story.From) {
			st.story.From = p
		}
		if p.After(st.story.To) {
			st.story.To = p
		}
	}
	if len(st.bullets) == 0 && len(st.quotes) == 0 {
		if !hadBullets && !hadQuotes {
			return buildStory{}, false
		}
		st.story.NothingNew = true
	}
	return st, true
}

// buildTooClose reports whether sentence i repeats a chosen bullet or quote.
func buildTooClose(s buildSent, sents []buildSent, chosen []int, quotes []buildQuote) bool {
	for _, c := range chosen {
		if storyCos(s.vec, sents[c].vec) >= buildRedundant || buildContained(s.ts, sents[c].ts) || buildSharedRun(s.norm, sents[c].norm) >= buildSharedPhrase {
			return true
		}
	}
	for _, q := range quotes {
		if storyCos(s.vec, q.vec) >= buildRedundant || quoteSame(s.norm, q.norm) {
			return true
		}
	}
	return false
}

// buildSpecifics are the names and numbers of a sentence: capitalized words
// that are not common words, and words with a digit. Two sentences that
// share most of their wording but each name something the other does not
// ("the Mali ceasefire was signed in Bamako" / "the Gaza ceasefire was
// signed in Cairo") report different facts.
func buildSpecifics(text string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.Fields(text) {
		w := strings.Trim(f, ".,;:!?\"'“”‘’()[]")
		if w == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		lw := strings.ToLower(w)
		if strings.ContainsAny(w, "0123456789") || unicode.IsUpper(r) && !isStopword(lw) {
			out[lw] = true
		}
	}
	return out
}

// buildDiffer reports whether two sentences are about different particulars:
// each names more that the other lacks than the two share. One telling the
// same fact in more detail ("Putin ..." / "Russian President Vladimir Putin
// ..., the Kremlin said") shares most of its names with the other.
func buildDiffer(a, b map[string]bool) bool {
	shared, onlyA := 0, 0
	for w := range a {
		if b[w] {
			shared++
		} else {
			onlyA++
		}
	}
	onlyB := len(b) - shared
	return onlyA > shared && onlyB > shared
}

// buildSharedPhrase is the length of a word run two sentences may share
// before they count as saying the same thing: "well below the 15.8 mln bpd
// ceiling it set in December" in two reports is one fact, even when the rest
// of the wording differs. Names and set phrases are shorter.
const buildSharedPhrase = 7

// buildSharedRun is the length of the longest run of words two sentences
// share.
func buildSharedRun(a, b []string) int {
	// The table is quadratic; run-on "sentences" from unsplittable text
	// are never bullets, so they are not worth comparing.
	if len(a) > 150 || len(b) > 150 {
		return 0
	}
	best := 0
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				best = max(best, cur[j])
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}

// buildContained reports whether most content words of the shorter sentence
// are in the longer one: a shorter restatement adds nothing.
func buildContained(a, b []string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 3 {
		return false
	}
	in := map[string]bool{}
	for _, t := range b {
		in[t] = true
	}
	n := 0
	for _, t := range a {
		if in[t] {
			n++
		}
	}
	return float64(n) >= 0.75*float64(len(a))
}

// buildBulletable says whether a sentence can stand alone as a bullet: long
// enough to state a fact, not mostly quotation, not a question.
func buildBulletable(s buildSent) bool {
	n := len(strings.Fields(s.text))
	if n < 6 || n > 70 || s.quoted >= 0.4 {
		return false
	}
	// A bullet is a finished sentence: it ends in sentence punctuation, not
	// mid-table (" ."), and is not a footnote to a table of figures.
	t := strings.TrimRight(s.text, `"”’' `)
	last, _ := cleanLastRune(t)
	if !strings.ContainsRune(".!)…", last) || strings.HasSuffix(t, " .") {
		return false
	}
	if strings.HasPrefix(strings.ToLower(t), "note:") {
		return false
	}
	return len(s.ts) >= 3
}

// buildStyle lowers the score of sentences that lean on what came before
// them: a bullet starting "He" or "However" reads badly out of context.
func buildStyle(s string) float64 {
	f := strings.Fields(s)
	if len(f) == 0 {
		return 0
	}
	w := strings.ToLower(strings.Trim(f[0], `,"“”'’`))
	switch w {
	case "he", "she", "it", "they", "this", "these", "that", "those", "his", "her", "their", "its", "there", "here":
		return 0.7
	case "however", "but", "and", "also", "meanwhile", "still", "yet", "so", "instead", "moreover", "furthermore", "besides", "then", "thus":
		return 0.8
	}
	if strings.HasPrefix(strings.ToLower(s), "by this") {
		return 0.7
	}
	return 1
}

// buildTopicShare is the share of topic terms a sentence contains.
func buildTopicShare(topic, ts []string) float64 {
	if len(topic) == 0 {
		return 0
	}
	in := map[string]bool{}
	for _, t := range ts {
		in[t] = true
	}
	n := 0
	for _, t := range topic {
		if in[t] {
			n++
		}
	}
	return float64(n) / float64(len(topic))
}

// buildQuotedShare returns, for each sentence of a paragraph, the share of
// its characters inside quotation marks. A quotation may span sentences.
func buildQuotedShare(p []string) []float64 {
	out := make([]float64, len(p))
	joined := strings.Join(p, " ")
	spans := quoteSpansOf(joined)
	off := 0
	for i, s := range p {
		start, end := off, off+len(s)
		in := 0
		for _, sp := range spans {
			lo, hi := max(start, sp[0]), min(end, sp[1])
			if hi > lo {
				in += hi - lo
			}
		}
		// An opening mark with no close (the splitter cut inside a quote)
		// still makes the sentence a quotation.
		if in == 0 && strings.IndexAny(s, "\"“") == 0 && len(spans) == 0 {
			in = len(s)
		}
		if len(s) > 0 {
			out[i] = float64(in) / float64(len(s))
		}
		off = end + 1
	}
	return out
}

// buildAddInt appends x to a set kept as a slice.
func buildAddInt(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// buildKnownPeople collects the full names of people named across a story,
// so a quote attributed to "Witkoff" in one outlet is credited to "Steve
// Witkoff" as another outlet names him.
func buildKnownPeople(people [][]quoteName) []string {
	seen := map[string]bool{}
	var out []string
	for _, ps := range people {
		for _, p := range ps {
			if !seen[p.name] {
				seen[p.name] = true
				out = append(out, p.name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// buildMergeQuotes merges the same quotation from several articles into one,
// keeping the longest wording and the fullest speaker name.
func buildMergeQuotes(cands []quoteCand) []buildQuote {
	var out []buildQuote
	var norms [][]string
	for _, c := range cands {
		merged := false
		for i := range out {
			if !quoteSame(norms[i], c.norm) {
				continue
			}
			q := &out[i]
			q.docs = buildAddInt(q.docs, c.doc)
			if len(c.norm) > len(norms[i]) {
				q.text, q.norm, norms[i] = c.text, c.norm, c.norm
			}
			if len(c.speaker) > len(q.speaker) && strings.HasSuffix(c.speaker, q.speaker) {
				q.speaker = c.speaker
			}
			merged = true
			break
		}
		if !merged {
			out = append(out, buildQuote{text: c.text, speaker: c.speaker, norm: c.norm, docs: []int{c.doc}})
			norms = append(norms, c.norm)
		}
	}
	return out
}

// buildSourceOrder lists a story's articles oldest first (ties by outlet,
// then input order): the order citations are numbered in.
func buildSourceOrder(docs []*cleanDoc, members []int) []int {
	out := append([]int(nil), members...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := docs[out[i]], docs[out[j]]
		if !a.art.Published.Equal(b.art.Published) {
			return a.art.Published.Before(b.art.Published)
		}
		if a.outlet != b.outlet {
			return a.outlet < b.outlet
		}
		return out[i] < out[j]
	})
	return out
}

func buildSourceTitle(d *cleanDoc) string {
	if d.title != "" {
		return d.title
	}
	return strings.TrimSpace(d.art.Title)
}

// buildHeadline takes the title of the most representative article: the one
// whose text is closest to the story's centroid. cents holds the articles'
// own centroids, in members order.
func buildHeadline(docs []*cleanDoc, members []int, cents []storyVec, centroid storyVec) string {
	best, bestSim := -1, -1.0
	for k, di := range members {
		if docs[di].title == "" {
			continue
		}
		if s := storyCos(cents[k], centroid); s > bestSim {
			best, bestSim = di, s
		}
	}
	if best >= 0 {
		return buildHeadlineCase(docs[best].title, docs[best].sents())
	}
	// No titles at all: the first sentence of the first article stands in.
	s := docs[members[0]].sents()
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// buildHeadlineCase turns an all-capitals wire headline into sentence case
// so it does not shout, writing each word as the article body writes it in
// mid-sentence ("OPEC", "Saudi Arabia"); mixed-case headlines are left as
// written.
func buildHeadlineCase(t string, body []string) string {
	if strings.IndexFunc(t, unicode.IsLower) >= 0 || strings.IndexFunc(t, unicode.IsUpper) < 0 {
		return t
	}
	forms := map[string]string{}
	lower := map[string]bool{}
	counts := map[string]int{} // occurrences of each capitalized form
	for _, s := range body {
		for i, f := range strings.Fields(s) {
			w := strings.Trim(f, `.,;:!?"“”'’()`)
			w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
			if i == 0 || w == "" {
				continue
			}
			r, _ := quoteDecodeRune(w)
			switch lw := strings.ToLower(w); {
			case unicode.IsLower(r):
				lower[lw] = true
			case unicode.IsUpper(r):
				if counts[w]++; counts[w] > counts[forms[lw]] || counts[w] == counts[forms[lw]] && w < forms[lw] {
					forms[lw] = w
				}
			}
		}
	}
	// A word the body also writes in lower case ("may", "cocoa") is an
	// ordinary word that was capitalized inside a name or for a month.
	for lw := range lower {
		delete(forms, lw)
	}
	f := strings.Fields(t)
	for i, w := range f {
		lw := strings.ToLower(w)
		core := strings.Trim(lw, `.,;:!?"“”'’()`)
		switch form, ok := forms[core]; {
		case ok:
			f[i] = strings.Replace(lw, core, form, 1)
		case strings.Contains(core, ".") && len(core) <= 5: // "U.S."
			f[i] = w
		case i == 0:
			r, n := quoteDecodeRune(lw)
			f[i] = string(unicode.ToUpper(r)) + lw[n:]
		default:
			f[i] = lw
		}
	}
	return strings.Join(f, " ")
}

// buildBudget fills the word budget across stories in rounds: each story's
// best item first, then each story's next, so a tight budget still covers
// more than the top story. Items that do not fit are skipped whole; later,
// shorter ones may still fit. Within a story the order is bullet, bullet,
// quote, bullet, quote, ...
func buildBudget(stories []buildStory, maxWords int) {
	type item struct {
		bullet *buildSent
		quote  *buildQuote
	}
	queues := make([][]item, len(stories))
	for si := range stories {
		st := &stories[si]
		bi, qi := 0, 0
		for bi < len(st.bullets) || qi < len(st.quotes) {
			takeQuote := qi < len(st.quotes) && (bi >= len(st.bullets) || bi >= 2 && bi-2 >= qi*1)
			if takeQuote {
				queues[si] = append(queues[si], item{quote: &st.quotes[qi]})
				qi++
			} else {
				queues[si] = append(queues[si], item{bullet: &st.bullets[bi]})
				bi++
			}
		}
	}
	used := 0
	keptB := make([][]buildSent, len(stories))
	keptQ := make([][]buildQuote, len(stories))
	for round := 0; ; round++ {
		more := false
		for si := range stories {
			if round >= len(queues[si]) {
				continue
			}
			more = true
			it := queues[si][round]
			text := ""
			if it.bullet != nil {
				text = it.bullet.text
			} else {
				text = it.quote.text
			}
			n := len(strings.Fields(text))
			if maxWords > 0 && used+n > maxWords {
				continue
			}
			used += n
			if it.bullet != nil {
				keptB[si] = append(keptB[si], *it.bullet)
			} else {
				keptQ[si] = append(keptQ[si], *it.quote)
			}
		}
		if !more {
			break
		}
	}
	for si := range stories {
		st := &stories[si]
		bs := buildReadingOrder(keptB[si])
		for _, s := range bs {
			st.story.Bullets = append(st.story.Bullets, Bullet{Text: s.text, Sources: buildCite(st, s.cites)})
		}
		for _, q := range keptQ[si] {
			st.story.Quotes = append(st.story.Quotes, Quote{Text: q.text, Speaker: q.speaker, Sources: buildCite(st, q.docs)})
		}
	}
}

// buildReadingOrder puts the strongest bullet first, as a lede, and the rest
// in the order the articles tell them, so cause comes before consequence.
func buildReadingOrder(bs []buildSent) []buildSent {
	if len(bs) < 2 {
		return bs
	}
	top := 0
	for i := range bs {
		if bs[i].score > bs[top].score {
			top = i
		}
	}
	out := []buildSent{bs[top]}
	rest := make([]buildSent, 0, len(bs)-1)
	rest = append(rest, bs[:top]...)
	rest = append(rest, bs[top+1:]...)
	sort.SliceStable(rest, func(i, j int) bool {
		if rest[i].rel != rest[j].rel {
			return rest[i].rel < rest[j].rel
		}
		return rest[i].score > rest[j].score
	})
	return append(out, rest...)
}

// buildCite lists the sources of the given documents in the story's
// citation order.
func buildCite(st *buildStory, ds []int) []Source {
	in := map[int]bool{}
	for _, d := range ds {
		in[d] = true
	}
	var out []Source
	for _, d := range st.order {
		if in[d] {
			out = append(out, st.sources[d])
		}
	}
	return out
}
