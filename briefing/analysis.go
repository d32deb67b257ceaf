package briefing

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// AnalysisVersion numbers the meaning of Analysis. It changes whenever
// Analyze would give a different Analysis for the same article (a new
// field, a cleaning or splitting fix), so a store can re-analyse the rows it
// kept under an older version.
const AnalysisVersion = 2

// Analysis is everything the engine needs to know about one article, worked
// out once by Analyze: the article's cleaned sentences (boilerplate,
// datelines, sign-offs and the repeated headline removed), its terms, the
// names it mentions, and its attributed quotations. Build reads an article's
// Analysis instead of its Body, so a briefing built from stored articles
// never cleans or splits text again.
//
// It is JSON-serializable and compact: the sentences are the only text kept,
// and everything else refers to them by index. Treat a value as read-only
// once made; Build shares it between calls.
type Analysis struct {
	// Version is the AnalysisVersion the value was made under.
	Version int `json:"v"`
	// Title is the headline with outlet suffixes and stock tickers removed.
	Title string `json:"title,omitempty"`
	// Outlet is the name citations use ("Reuters", "USA TODAY via EMEA
	// Tribune", the URL's host when the article names no outlet).
	Outlet string `json:"outlet"`
	// Published is the article's publication time (zero when unknown).
	Published time.Time `json:"published,omitzero"`
	// Sentences are the article's sentences in reading order.
	Sentences []Sentence `json:"sentences"`
	// Terms counts the stemmed content words (see terms) of the title,
	// counted twice as a headline names what the article is about, and of
	// the sentences. Grouping weighs them by corpus statistics.
	Terms map[string]int `json:"terms,omitempty"`
	// Names counts the stems of the names the article mentions (words
	// written with a capital inside a sentence), which grouping compares
	// besides the terms. It is counted from Sentences alone, so an analysis
	// kept from before it was counted (nil here) means the same: the count
	// is made when needed, and AnalysisVersion did not change.
	Names map[string]int `json:"names,omitempty"`
	// People are the full names of the people the article mentions, so a
	// quotation another outlet credits to a surname alone gets the full name.
	People []string `json:"people,omitempty"`
	// Quotes are the notable attributed quotations.
	Quotes []AnalysisQuote `json:"quotes,omitempty"`
	// sorted is what Analyze or SortTerms kept of Terms for grouping (nil
	// when neither did). It is held apart: a Build makes thousands of
	// analyses of cited reports, headline and outlet only, and the four
	// slices were 96 of every one's 248 bytes.
	sorted *sortedTerms
}

// sortedTerms are an analysis's Terms' keys in order (terms), each with
// its count, 1 + ln count and termPrefix (tf, tfw, pre), as grouping
// weighs them.
type sortedTerms struct {
	terms   []string
	tf, tfw []float64
	pre     []uint64
}

// Sentence is one cleaned sentence of an article.
type Sentence struct {
	Text string `json:"text"`
	// Para is the index of the sentence's paragraph, counting only
	// paragraphs that kept a sentence.
	Para int `json:"para"`
	// Quoted is the share of the sentence's characters inside quotation
	// marks: a sentence that is mostly quotation is a quote, not a fact.
	Quoted float64 `json:"quoted,omitempty"`
	// Attributed is set on a sentence that is mostly quotation when it
	// names its speaker itself ("..., Witkoff said."): it can stand alone,
	// where an unattributed quotation is words without a source.
	Attributed bool `json:"attributed,omitempty"`
	// Salience is the sentence's centrality in its own article (TextRank,
	// Mihalcea and Tarau 2004, plus a small headline bonus), scaled so that
	// the article's sentences average about 1.
	Salience float64 `json:"salience"`
}

// AnalysisQuote is a direct quotation with its speaker.
type AnalysisQuote struct {
	Text string `json:"text"`
	// Speaker is the full name as the article gives it, or a description
	// ("a broker at Daiwa Securities").
	Speaker string `json:"speaker"`
	// Sentence is the index of the sentence the quotation starts in.
	Sentence int `json:"sentence"`
}

// analyzeMaxSents bounds the sentences an article contributes: far more
// than any news report has, so only hostile or broken input (a book, a
// log file pasted as an article) is cut, and cost stays linear.
const analyzeMaxSents = 2000

// analyzeMaxBytes bounds the text of one article that is analysed: ten
// times the longest news report, so only a book or a runaway feed item is
// cut, and one article costs at most a fraction of a second.
const analyzeMaxBytes = 1 << 20

// analyzeCut keeps the first max bytes of body, cut at the last paragraph
// (or line, or space) break before max so no sentence is cut in two.
func analyzeCut(body string, max int) string {
	head := body[:max]
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(head, sep); i > max/2 {
			return head[:i]
		}
	}
	return strings.ToValidUTF8(head, "")
}

// analyzeQuoteSents bounds the sentences searched for quotations.
const analyzeQuoteSents = 300

// analyzeMaxTerms bounds Analysis.Terms.
const analyzeMaxTerms = 400

// Analyze cleans and analyses one article. It depends only on the article,
// so its result can be stored beside the article and reused by every
// briefing; it is deterministic and linear in the article's length.
func Analyze(a Article) *Analysis { return NewAnalyzer().Analyze(a) }

// Analyzer analyses articles one after another, as Analyze does, and
// remembers the words it has met with their stems from one article to the
// next: news repeats its vocabulary, and looking a word up in a small map of
// one's own costs a fraction of stemming it or of the shared stem memo
// (whose lock and size make each lookup a cache miss). What it remembers
// depends only on each word, so an article's analysis is the same whatever
// the Analyzer analysed before. Not safe for concurrent use: one per
// goroutine.
type Analyzer struct {
	tc *termCache
	// ranked and wids are Analyze's scratch: each sentence's TextRank
	// words, numbered, in one slice.
	ranked [][]int32
	wids   []int32
	// counts and counted are Analyze's too: the count of each term of the
	// article by its number in tc, and a word of each term counted.
	counts  []int32
	counted []*wordInfo
	// sorted is Analyze's scratch for putting the terms in order.
	sorted []analyzeTerm
}

// analyzeTerm is a term of an article with its count and termPrefix.
type analyzeTerm struct {
	pre  uint64
	term string
	n    int
}

// sortTerms sets what SortTerms keeps from the article's terms (each with
// its count, and the terms of Terms each once) without looking them up:
// Analyze has them at hand. They are sorted by prefix, numbers, and only
// terms with the same prefix as strings (see termCompare), which is the
// terms' order as strings (sort.Strings') at a fraction of the cost.
func (a *Analysis) sortTerms(ts []analyzeTerm) {
	slices.SortFunc(ts, func(x, y analyzeTerm) int { return termCompare(x.pre, y.pre, x.term, y.term) })
	n := len(ts)
	terms := make([]string, n)
	f := make([]float64, 2*n)
	tf, tfw, pre := f[:n:n], f[n:], make([]uint64, n)
	for i, e := range ts {
		terms[i], tf[i], pre[i] = e.term, float64(e.n), e.pre
		tfw[i] = 1 + math.Log(tf[i])
	}
	a.sorted = &sortedTerms{terms: terms, tf: tf, tfw: tfw, pre: pre}
}

// analyzerMaxWords bounds the words an Analyzer remembers; past it, it
// forgets them all (a stream of junk words must not grow it without limit).
// 20,000 words, about 4 MB, hold most of the vocabulary of news, and a
// store keeps an Analyzer for each preparing goroutine between batches;
// 50,000 were no faster (BenchmarkPrepare, 4 interleaved runs).
const analyzerMaxWords = 20000

// NewAnalyzer returns an Analyzer that has met no words yet.
func NewAnalyzer() *Analyzer {
	// Terms numbered, so that Analyze counts them by number.
	tc := newTermCache(0, true)
	tc.batch = 64
	return &Analyzer{tc: tc}
}

// Stem returns the stem Analyze gave w, when w is a word (lower case, as
// Analyze splits text) the Analyzer remembers, and ok false otherwise; it
// never stems. For a word of letters and digits alone the stem is
// Snowball's English stem, english.Stem(w, false): the words of the
// article just analysed are in the processor's cache, where a memo of the
// caller's own would be a miss for each.
func (z *Analyzer) Stem(w string) (stem string, ok bool) {
	if in, ok := z.tc.words[w]; ok {
		return in.stem, true
	}
	return "", false
}

// Analyze cleans and analyses one article; see the package's Analyze.
func (z *Analyzer) Analyze(a Article) *Analysis {
	tc := z.tc
	if len(tc.words) > analyzerMaxWords {
		clear(tc.words)
		clear(tc.ids)
		tc.nids = 0
	}
	if len(a.Body) > analyzeMaxBytes {
		a.Body = analyzeCut(a.Body, analyzeMaxBytes)
	}
	d := cleanArticle(a)
	nsents := 0
	for _, p := range d.paras {
		nsents += len(p)
	}
	an := &Analysis{Version: AnalysisVersion, Title: d.title, Outlet: d.outlet, Published: a.Published,
		Sentences: make([]Sentence, 0, min(nsents, analyzeMaxSents))}
	n := 0
	for pi, p := range d.paras {
		if n >= analyzeMaxSents {
			d.paras = d.paras[:pi]
			break
		}
		if n+len(p) > analyzeMaxSents {
			p = p[:analyzeMaxSents-n]
			d.paras[pi] = p
		}
		qfrac := analyzeQuotedShare(p)
		var attr []bool // only a paragraph with a quotation needs it
		for k, s := range p {
			sent := Sentence{Text: s, Para: pi, Quoted: qfrac[k]}
			if qfrac[k] >= factQuoted {
				if attr == nil {
					attr = analyzeAttributed(p)
				}
				sent.Attributed = attr[k]
			}
			an.Sentences = append(an.Sentences, sent)
		}
		n += len(p)
	}

	// One pass over each sentence's words gives both the terms (stemmed
	// content words) and the words TextRank links sentences by
	// (rankTerms). The terms are counted by their numbers in tc, and
	// the map made once they are all counted: a map assignment for each
	// term rather than for each time the article says it.
	count := func(in *wordInfo, by int32) {
		if int(in.term) >= len(z.counts) {
			z.counts = append(z.counts, make([]int32, int(in.term)+1-len(z.counts)+256)...)
		}
		if z.counts[in.term] == 0 {
			z.counted = append(z.counted, in)
		}
		z.counts[in.term] += by
	}
	// The title's TextRank words come from the same pass.
	var titleRanked []int32
	tc.each(d.title, func(in *wordInfo) {
		if in.term >= 0 {
			count(in, 2)
		}
		if in.rank {
			titleRanked = append(titleRanked, in.wid)
		}
	})
	ranked := slices.Grow(z.ranked[:0], len(an.Sentences))[:len(an.Sentences)]
	flat := z.wids[:0]
	for i, s := range an.Sentences {
		from := len(flat)
		tc.each(s.Text, func(in *wordInfo) {
			if in.term >= 0 {
				count(in, 1)
			}
			if in.rank {
				flat = append(flat, in.wid)
			}
		})
		ranked[i] = flat[from:len(flat):len(flat)]
	}
	// The sentences' slices may point into an earlier flat, which append
	// outgrew: they stay valid, and the next article reuses the larger.
	z.ranked, z.wids = ranked, flat
	an.Terms = make(map[string]int, len(z.counted))
	sorted := slices.Grow(z.sorted[:0], len(z.counted))
	for _, in := range z.counted {
		n := int(z.counts[in.term])
		an.Terms[in.stem] = n
		sorted = append(sorted, analyzeTerm{termPrefix(in.stem), in.stem, n})
		z.counts[in.term] = 0
	}
	clear(z.counted) // let go of the words
	z.counted = z.counted[:0]
	for i, s := range salienceOf(ranked, titleRanked) {
		an.Sentences[i].Salience = s
	}
	// Only the most frequent terms are kept: they are what grouping
	// compares, and a bound keeps a long article's analysis small.
	if len(an.Terms) > analyzeMaxTerms {
		fs := make(map[string]float64, len(an.Terms))
		for t, n := range an.Terms {
			fs[t] = float64(n)
		}
		profileTrim(fs, analyzeMaxTerms)
		for t := range an.Terms {
			if _, ok := fs[t]; !ok {
				delete(an.Terms, t)
			}
		}
		sorted = slices.DeleteFunc(sorted, func(e analyzeTerm) bool {
			_, ok := fs[e.term]
			return !ok
		})
	}
	an.sortTerms(sorted)
	clear(sorted) // let go of the terms
	z.sorted = sorted[:0]

	an.Names = analysisNamesWith(an.Sentences, tc)

	// Quotations and the people who say them are looked for in the
	// paragraphs holding the first analyzeQuoteSents sentences: far more
	// than a report quotes, and the name search is not linear in the text.
	qd := &cleanDoc{paras: d.paras}
	for pi, k := 0, 0; pi < len(d.paras); pi++ {
		if k += len(d.paras[pi]); k >= analyzeQuoteSents {
			qd.paras = d.paras[:pi+1]
			break
		}
	}
	text, offsets := quoteDocText(qd)
	people := quotePeople(text)
	seen := map[string]bool{}
	for _, p := range people {
		if !seen[p.name] {
			seen[p.name] = true
			an.People = append(an.People, p.name)
		}
	}
	sort.Strings(an.People)
	first := make([]int, len(d.paras)) // index of each paragraph's first sentence
	k := 0
	for pi, p := range d.paras {
		first[pi] = k
		k += len(p)
	}
	for _, c := range quoteExtract(0, qd, people, an.People) {
		an.Quotes = append(an.Quotes, AnalysisQuote{Text: c.text, Speaker: c.speaker, Sentence: first[c.para] + analyzeSentenceAt(d.paras[c.para], c.at-offsets[c.para])})
	}
	return an
}

// analyzeAttributed reports, for each sentence of a paragraph, whether
// it says whose words its quotation is: a speech verb outside the quoted
// words ("..., Witkoff said.", "Witkoff told CNN: ..."), or a speaker that
// quoteAttribute finds for a quotation the sentence is part of. Words in
// quotation marks that no one is said to have said are no fact. Quotation
// marks are often unbalanced in real copy (a quote runs over paragraphs),
// so a speech verb anywhere in the sentence counts.
func analyzeAttributed(p []string) []bool {
	out := make([]bool, len(p))
	joined := strings.Join(p, " ")
	spans := quoteFindSpans(joined)
	quoteAttribute(joined, spans)
	off := 0
	for i, s := range p {
		start, end := off, off+len(s)
		for _, sp := range spans {
			if sp.speaker != "" && sp.start < end && sp.end > start {
				out[i] = true
			}
		}
		out[i] = out[i] || analyzeHasSpeech(s)
		off = end + 1
	}
	return out
}

// analyzeHasSpeech reports whether s has a speech verb ("said", "told")
// or a citing phrase ("according to").
func analyzeHasSpeech(s string) bool {
	prev := ""
	for _, w := range words(s) {
		if analyzeSpeech[w] || prev == "according" && w == "to" {
			return true
		}
		prev = w
	}
	return false
}

// analyzeSpeech are the speech verbs of quoteVerbs and a few more verbs
// that report what someone said.
var analyzeSpeech = func() map[string]bool {
	m := map[string]bool{"quoted": true, "quoting": true, "urged": true, "admitted": true, "described": true,
		"called": true, "denied": true, "claimed": true, "explains": true, "insists": true, "warns": true, "notes": true, "argues": true}
	for _, v := range strings.Split(quoteVerbs, "|") {
		m[v] = true
	}
	return m
}()

// analyzeSentenceAt is the index of the sentence of paragraph p (its
// sentences joined by single spaces) that byte offset at falls in.
func analyzeSentenceAt(p []string, at int) int {
	off := 0
	for i, s := range p {
		off += len(s) + 1
		if at < off {
			return i
		}
	}
	return max(0, len(p)-1)
}

// analysisOf returns the article's stored Analysis when it is current, else
// analyses it now.
func analysisOf(a Article) *Analysis {
	if a.analysed() {
		return a.Analysis
	}
	return Analyze(a)
}

// analysed reports whether the article carries an analysis this engine
// made, which Build reads as it is instead of analysing the text.
func (a Article) analysed() bool { return a.Analysis != nil && a.Analysis.Version == AnalysisVersion }

// readTexts says which articles Build reads the text of: every article
// without a Story, and of each story the first MaxStoryTexts that have a
// text (a Body or an Analysis).
func readTexts(articles []Article) []bool {
	read := make([]bool, len(articles))
	perStory := map[string]int{}
	for i, a := range articles {
		switch {
		case a.Story == "":
			read[i] = true
		case a.Body == "" && a.Analysis == nil:
		case perStory[a.Story] < MaxStoryTexts:
			perStory[a.Story]++
			read[i] = true
		}
	}
	return read
}

// sourceAnalysis is what Build knows of an article it cites without
// reading its text: its outlet, title and time.
//
// titles, when not nil, remembers each cleaned (title, outlet) for the rest
// of one Build: a stored story's hundreds of cited reports mostly share a
// few headlines. Only a headline with a dash is looked up in it: only such
// a one may meet the dateline expression (cleanStripDateline), the costly
// step of cleaning; any other is cleaned in less time than a look-up
// takes, and a story of thousands of distinct headlines (a wire's, each
// with its slug) grew the map for nothing. It is returned by value, so
// that Build keeps the hundreds in one slice.
func sourceAnalysis(a Article, titles map[[2]string]string) Analysis {
	if a.analysed() {
		an := a.Analysis
		return Analysis{Version: an.Version, Title: an.Title, Outlet: an.Outlet, Published: an.Published, Sentences: []Sentence{}}
	}
	outlet := cleanOutletName(a, "", "")
	var t string
	if titles == nil || !cleanHasDash(a.Title) {
		t = cleanTitle(a.Title, outlet)
	} else {
		k := [2]string{a.Title, outlet}
		var ok bool
		if t, ok = titles[k]; !ok {
			t = cleanTitle(a.Title, outlet)
			titles[k] = t
		}
	}
	return Analysis{Version: AnalysisVersion, Title: t, Outlet: outlet, Published: a.Published, Sentences: []Sentence{}}
}

// paras regroups the sentences by paragraph.
func (an *Analysis) paras() [][]string {
	var out [][]string
	for _, s := range an.Sentences {
		for len(out) <= s.Para {
			out = append(out, nil)
		}
		out[s.Para] = append(out[s.Para], s.Text)
	}
	// Paragraph indexes are dense by construction; a hand-made Analysis may
	// skip some, and empty paragraphs mean nothing.
	kept := out[:0]
	for _, p := range out {
		if len(p) > 0 {
			kept = append(kept, p)
		}
	}
	return kept
}

// analysisKey is the outlet identity used to count distinct outlets.
func analysisKey(an *Analysis) string { return strings.ToLower(an.Outlet) }

// analyzeQuotedShare returns, for each sentence of a paragraph, the share of
// its characters inside quotation marks. A quotation may span sentences.
func analyzeQuotedShare(p []string) []float64 {
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
		if in == 0 && (strings.HasPrefix(s, "\"") || strings.HasPrefix(s, "“")) && len(spans) == 0 {
			in = len(s)
		}
		if len(s) > 0 {
			out[i] = float64(in) / float64(len(s))
		}
		off = end + 1
	}
	return out
}

// analyseMinPart is the least text, in bytes, worth a goroutine of its
// own when analysing a Build's articles: about a millisecond of Analyze,
// or the headlines of a few hundred cited reports.
const analyseMinPart = 16 << 10

// analyseRead sets the analyses of the articles read: analysisOf each,
// spread over the cores when there is text enough to analyse. Each
// article is analysed on its own, so the analyses are the same wherever
// they run.
func analyseRead(ctx context.Context, articles []Article, read []bool, analyses []*Analysis) error {
	var idx []int
	work := 0 // bytes of text to analyse
	for i, a := range articles {
		if read[i] {
			idx = append(idx, i)
			if !a.analysed() {
				work += len(a.Title) + len(a.Body)
			}
		}
	}
	workers := coresWorkers(work, analyseMinPart)
	if workers > 1 {
		// The longest first, so that the goroutines finish together.
		size := func(i int) int {
			if a := articles[i]; !a.analysed() {
				return len(a.Body)
			}
			return 0
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(size(b), size(a)) })
	}
	onCoresRange(len(idx), analyseBlock(len(idx), workers), workers, nil, func(_, lo, hi int) {
		if ctx.Err() != nil {
			return
		}
		for _, i := range idx[lo:hi] {
			analyses[i] = analysisOf(articles[i])
		}
	})
	return ctx.Err()
}

// analyseSources sets the analyses of the articles not read
// (sourceAnalysis, in one allocation) and the cleanKey of each sentence of
// the articles read (keys, in one allocation), spread over the cores when
// there is text enough, and runs alongside on the calling goroutine
// meanwhile: it may read the analyses of the articles read.
func analyseSources(ctx context.Context, articles []Article, read []bool, analyses []*Analysis, keys [][]uint64, alongside func()) error {
	var idx, keyed []int
	work := 0 // bytes of headlines to clean and of sentences to key
	nkeys := 0
	for i, a := range articles {
		if !read[i] {
			idx = append(idx, i)
			if !a.analysed() {
				work += len(a.Title)
			}
			continue
		}
		if ss := analyses[i].Sentences; len(ss) > 0 {
			keyed = append(keyed, i)
			nkeys += len(ss)
			for _, s := range ss {
				work += len(s.Text)
			}
		}
	}
	flat := make([]uint64, nkeys)
	for _, i := range keyed {
		n := len(analyses[i].Sentences)
		keys[i], flat = flat[:n:n], flat[n:]
	}
	sources := make([]Analysis, len(idx))
	workers := coresWorkers(work, analyseMinPart)
	titles := make([]map[[2]string]string, workers) // each goroutine's
	// The articles read come first, then the others: the keys are a few
	// blocks of work, each an article's sentences.
	n := len(keyed) + len(idx)
	onCoresRange(n, analyseBlock(n, workers), workers, alongside, func(w, lo, hi int) {
		if ctx.Err() != nil {
			return
		}
		if titles[w] == nil {
			titles[w] = map[[2]string]string{}
		}
		for k := lo; k < hi; k++ {
			if k < len(keyed) {
				i := keyed[k]
				for j, s := range analyses[i].Sentences {
					keys[i][j] = cleanKey(s.Text)
				}
				continue
			}
			k := k - len(keyed)
			sources[k] = sourceAnalysis(articles[idx[k]], titles[w])
			analyses[idx[k]] = &sources[k]
		}
	})
	return ctx.Err()
}

// analyseBlock is how many articles a goroutine takes at a time: blocks
// small enough that the goroutines finish together, and large enough
// that taking one costs nothing beside analysing it.
func analyseBlock(n, workers int) int {
	return max(1, min(64, n/(8*workers)))
}
