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
	"unicode"
)

// defaultStoryWords is each story's word budget when Options.MaxWords is
// zero: about six sentences, what a reader takes in at a glance.
const defaultStoryWords = 150

// selQuoteUnits is how many independent reports must carry a quotation for
// it to be shown as a quote.
const selQuoteUnits = 2

// Build turns articles into a briefing. The pipeline, a file a stage:
//
//   - analyse (analysis.go, clean.go, sentences*.go, quotes.go): each
//     article cleaned and split once, or its stored Analysis used;
//   - group (group.go): articles into stories, one similarity with the
//     store's incremental grouping;
//   - facts (facts.go): each story's sentences merged into facts that cite
//     every article reporting them, its quotations likewise;
//   - select (select.go): one global selection under the word budget,
//     concept coverage plus relevance, across all stories by importance;
//   - assemble (this file): stories in order, bullets in reading order,
//     citations, headlines.
//
// It leaves out whatever opts.Said already covers. The result depends only
// on its inputs (and opts.Now): the same articles give the same briefing.
// It stops with ctx's error, wrapped, when ctx is done.
func Build(ctx context.Context, articles []Article, opts Options) (Briefing, error) {
	return buildWith(ctx, articles, opts, defaultWeights)
}

// buildWith is Build with the selection's constants given, for ablations.
func buildWith(ctx context.Context, articles []Article, opts Options, w selWeights) (Briefing, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	b := Briefing{Topic: opts.Topic, GeneratedAt: now, Stories: []Story{}}
	fail := func(stage string, err error) (Briefing, error) {
		return Briefing{}, fmt.Errorf("briefing %s: %w", stage, err)
	}

	// Analyse. The articles of a caller's story past what a story reads
	// are its sources only, and their text is not read. The statistics of
	// the articles read are counted while the sources are analysed.
	read := readTexts(articles)
	analyses := make([]*Analysis, len(articles))
	if err := analyseRead(ctx, articles, read, analyses); err != nil {
		return fail("analysing articles", err)
	}
	nsents := 0
	for i, an := range analyses {
		if read[i] {
			nsents += len(an.Sentences)
		}
	}
	// A story's reports repeat one another's sentences: about one in
	// four read is new.
	tc := newTermCache(nsents/4, true)
	topic := tc.terms(opts.Topic)
	// The keys of the sentences read are made beside the headlines cleaned,
	// while the calling goroutine counts the statistics: that took longer
	// than all the headlines of a stored story, and held up the next stage.
	var rs readStats
	sentKeys := make([][]uint64, len(articles))
	if err := analyseSources(ctx, articles, read, analyses, sentKeys, func() { rs = newReadStats(analyses, read, topic, tc) }); err != nil {
		return fail("analysing articles", err)
	}
	stats, outlets := rs.stats, rs.outlets
	drop := cleanRepeated(outlets, sentKeys, func(i, j int) float64 { return cosine(stats.vec(i), stats.vec(j)) })
	weigher := newGroupWeigher(stats)

	// Group: the caller's stories as they are given, the other articles
	// by similarity (those with a sentence left to tell).
	var groups [][]int // indexes into articles
	var keys []string  // each group's Article.Story
	byKey := map[string]int{}
	var live []int
	var liveAn []*Analysis
	for i, an := range analyses {
		if k := articles[i].Story; k != "" {
			g, ok := byKey[k]
			if !ok {
				g = len(groups)
				byKey[k] = g
				groups, keys = append(groups, nil), append(keys, k)
			}
			groups[g] = append(groups[g], i)
			continue
		}
		kept := len(an.Sentences)
		for _, d := range drop[i] {
			if d {
				kept--
			}
		}
		if kept > 0 {
			live = append(live, i)
			liveAn = append(liveAn, an)
		}
	}
	if len(live) > 0 {
		similar, err := groupWith(ctx, liveAn, weigher)
		if err != nil {
			return Briefing{}, err
		}
		for _, g := range similar {
			idx := make([]int, len(g))
			for k, li := range g {
				idx[k] = live[li]
			}
			groups, keys = append(groups, idx), append(keys, "")
		}
	}
	stories := make([]*assembly, 0, len(groups))
	var latest time.Time
	for _, g := range groups {
		for _, i := range g {
			if p := articles[i].Published; p.After(latest) {
				latest = p
			}
		}
	}
	anyTopic := false
	for gi, g := range groups {
		told := 0
		for _, di := range g {
			if len(analyses[di].Sentences) > 0 {
				told++
			}
		}
		told = min(told, MaxStoryTexts)
		st := &assembly{key: keys[gi], members: make([]member, 0, told), cited: make([]report, 0, len(g)-told)}
		for _, di := range g {
			r := report{doc: di, an: analyses[di], art: &articles[di]}
			// A story's first MaxStoryTexts articles with a sentence to
			// tell are read; the others are its sources only.
			if len(r.an.Sentences) == 0 || len(st.members) == MaxStoryTexts {
				st.cited = append(st.cited, r)
				continue
			}
			m := member{report: r, key: outlets[di], drop: drop[di], keys: sentKeys[di]}
			st.members = append(st.members, m)
			st.topic = math.Max(st.topic, rs.topic[di])
		}
		anyTopic = anyTopic || st.topic > 0
		st.units = factUnits(st.members, w)
		st.rank(latest)
		stories = append(stories, st)
	}
	// With a topic, stories that do not mention it are left out, unless
	// none does: then the caller's search chose them all.
	if len(topic) > 0 && anyTopic {
		kept := stories[:0]
		for _, st := range stories {
			if st.topic > 0 {
				kept = append(kept, st)
			}
		}
		stories = kept
	}
	sort.SliceStable(stories, func(i, j int) bool {
		if stories[i].importance != stories[j].importance {
			return stories[i].importance > stories[j].importance
		}
		return stories[i].firstDoc() < stories[j].firstDoc()
	})

	// Facts, selection and assembly run story by story, spread over the
	// cores, each goroutine with its own term cache.
	// A story under a budget of its own needs nothing of the others: when
	// no story can be left out (MaxStories), each is selected and
	// assembled as soon as its facts are gathered.
	nov := noveltyNew(opts.Said, tc)
	tcs := storyCaches(stories, tc)
	own := opts.MaxWords <= 0
	whole := own && (opts.MaxStories <= 0 || len(stories) <= opts.MaxStories)
	finish := func(st *assembly) error {
		if own {
			if err := selectAll(ctx, []*assembly{st}, defaultStoryWords, opts.MaxBullets, w); err != nil {
				return err
			}
		}
		st.out = st.story()
		return nil
	}
	if err := eachStory(stories, tcs, func(_ int, st *assembly, tc *termCache) error {
		st.tc = tc
		if err := st.gather(ctx, nov.with(tc), topic, w); err != nil || !whole {
			return err
		}
		return finish(st)
	}); err != nil {
		return Briefing{}, err
	}
	// Stories with something new come first; stories with nothing new only
	// fill the places left, so a post never drops news to say that an old
	// story is unchanged.
	sort.SliceStable(stories, func(i, j int) bool { return !stories[i].nothingNew && stories[j].nothingNew })
	if opts.MaxStories > 0 && len(stories) > opts.MaxStories {
		stories = stories[:opts.MaxStories]
	}
	if !whole {
		// Select under one budget across the stories, or each story
		// under its own; then assemble.
		if !own {
			if err := selectAll(ctx, stories, opts.MaxWords, opts.MaxBullets, w); err != nil {
				return Briefing{}, err
			}
		}
		if err := eachStoryIn(stories, tcs, finish); err != nil {
			return Briefing{}, err
		}
	}
	allOld := len(stories) > 0
	for _, st := range stories {
		if !st.out.NothingNew {
			allOld = false
		}
		b.Stories = append(b.Stories, st.out)
	}
	b.NothingNew = allOld
	return b, nil
}

// readStats are what Build counts over the articles it reads before it
// groups them: corpus statistics and vectors, for grouping and for
// finding an outlet's furniture (cleanRepeated), each article's outlet key
// (outlets are counted among the articles read, assembly.rank) and how
// much it is about the topic.
type readStats struct {
	stats   *buildStats
	outlets []string
	topic   []float64 // assembleTopicRel of each article read that tells something
}

// newReadStats counts readStats over the articles read, looking titles up
// in tc. It reads only their analyses: the others' may be being written.
func newReadStats(analyses []*Analysis, read []bool, topic []string, tc *termCache) readStats {
	nterms := 0
	for i := range analyses {
		if read[i] {
			nterms += len(analyses[i].Terms)
		}
	}
	rs := readStats{stats: newBuildStats(len(analyses), nterms), outlets: make([]string, len(analyses)), topic: make([]float64, len(analyses))}
	for i := range analyses {
		if !read[i] {
			continue
		}
		an := analyses[i]
		rs.outlets[i] = analysisKey(an)
		rs.stats.add(i, an)
		if len(an.Sentences) > 0 {
			rs.topic[i] = assembleTopicRel(topic, an, tc)
		}
	}
	rs.stats.finish()
	return rs
}

// assembly is one story being built.
type assembly struct {
	key        string   // the caller's Article.Story, if any
	members    []member // the articles whose text is read
	cited      []report // the story's other articles: sources only
	units      int
	topic      float64
	importance float64
	items      []item
	chosen     []int     // indexes into items
	nothingNew bool      // it had items, and Options.Said covered them all
	centroid   termVec   // of the members' vectors, each weighing the same
	memberVecs []termVec // each member's TF-IDF vector over the story
	// cost orders the stories spread over goroutines (eachStory), and
	// tc is the term cache of the goroutine that gathered the story's
	// facts, which holds its sentences.
	cost int
	tc   *termCache
	out  Story // the story assembled
}

// storyMinPart is the fewest sentences read worth a goroutine of their
// own in the per-story stages: a few milliseconds of work.
const storyMinPart = 128

// readSentences is how many sentences the story's facts stage reads.
func (st *assembly) readSentences() int {
	limit := factPerDoc(len(st.members))
	n := 0
	for _, m := range st.members {
		n += min(len(m.an.Sentences), limit)
	}
	return n
}

// distinctSentences is how many of the sentences the facts stage reads
// differ (by cleanKey): roughly what the story's own stages cost. Word
// for word copies merge as they are met; the sentences that differ are
// the facts compared, merged and chosen among.
func (st *assembly) distinctSentences() int {
	limit := factPerDoc(len(st.members))
	seen := make(map[uint64]bool, st.readSentences())
	for _, m := range st.members {
		for si := range min(len(m.an.Sentences), limit) {
			if si < len(m.keys) {
				seen[m.keys[si]] = true
			} else {
				seen[cleanKey(m.an.Sentences[si].Text)] = true
			}
		}
	}
	return len(seen)
}

// rank sets the story's importance: how many independent reports carry it,
// how recent it is against the newest article of the briefing, and how
// much it is about the topic. It orders the stories and weighs their share
// of a common word budget; every factor is bounded, so none swamps the rest.
func (st *assembly) rank(latest time.Time) {
	var newest time.Time
	outlets := map[string]bool{}
	for _, m := range st.members {
		outlets[m.key] = true
	}
	for i := 0; i < st.size(); i++ {
		if p := st.member(i).art.Published; p.After(newest) {
			newest = p
		}
	}
	recency := 1.0
	if !newest.IsZero() && !latest.IsZero() {
		recency = math.Exp(-latest.Sub(newest).Hours() / 48)
	}
	st.importance = (float64(st.units) + 0.5*float64(len(outlets)-1)) * (0.5 + 0.5*recency) * (1 + 2*st.topic)
}

// gather builds the story's items: its facts and quotations, without those
// earlier briefings said, each with its quality.
func (st *assembly) gather(ctx context.Context, nov *noveltyIndex, topic []string, w selWeights) error {
	tc := st.tc
	// Term weights are IDF over the story's sentences: what distinguishes
	// one of its facts from another.
	// Each sentence read is looked up in the Build's term cache once here,
	// and its term ids kept for the member's vector below.
	limit := factPerDoc(len(st.members))
	nids := 0
	for k := range st.members {
		m := &st.members[k]
		sents := m.an.Sentences[:min(len(m.an.Sentences), limit)]
		m.toks = make([]*sentTok, len(sents))
		for si, s := range sents {
			m.toks[si] = tc.tok(s.Text)
			nids += len(m.toks[si].ids)
		}
	}
	// The vocab's map from the cache's ids is sized for every id the
	// cache has given: it grew an id at a time.
	voc := &vocab{local: make([]int32, tc.nids)}
	memberIDs := make([][]int32, len(st.members))
	flat := make([]int32, nids) // every member's, in one allocation
	off := 0
	for k, m := range st.members {
		start := off
		for _, tk := range m.toks {
			ids := flat[off : off+len(tk.ids)]
			for i, b := range tk.ids {
				ids[i] = voc.id(b)
			}
			voc.addDocIDs(ids)
			off += len(tk.ids)
		}
		memberIDs[k] = flat[start:off:off]
	}
	// A quotation is shown apart, with its speaker, when several reports
	// carry it: a widely carried quote is news in itself. The sentences
	// carrying it are then not bullets too. Any other quotation is a
	// bullet in the sentence that names its speaker, or nothing.
	var quotes []item
	skip := map[[2]int]bool{}
	for _, q := range factQuotes(st.members, tc, voc) {
		if q.units = factSupport(st.members, q.cites); q.units < selQuoteUnits {
			continue
		}
		for _, c := range q.carriers {
			skip[c] = true
		}
		quotes = append(quotes, q)
	}
	bullets, err := factBullets(ctx, st.members, skip, tc, voc, w)
	if err != nil {
		return err
	}
	var newest time.Time
	for _, m := range st.members {
		if p := m.art.Published; p.After(newest) {
			newest = p
		}
	}
	hadItems := len(bullets)+len(quotes) > 0
	st.items = make([]item, 0, len(bullets)+len(quotes))
	for _, list := range [][]item{bullets, quotes} {
		for _, it := range list {
			if it.kind == quoteItem && nov.coversQuote(it.text) || it.kind == bulletItem && nov.covers(it.text) {
				continue
			}
			it.units = factSupport(st.members, it.cites)
			it.q = itemQuality(&it, st.members, newest, topic)
			st.items = append(st.items, it)
		}
	}
	st.nothingNew = hadItems && len(st.items) == 0
	st.memberVecs = make([]termVec, len(st.members))
	for k, ids := range memberIDs {
		st.memberVecs[k] = voc.vecIDs(ids)
	}
	st.centroid = vecSum(st.memberVecs, len(voc.df))
	return nil
}

// selWordsPerItem puts the relevance term on the scale of a sentence: an
// item of this many words with quality 1 is worth 1, as much as a concept
// every report shares.
const selWordsPerItem = 25

// selectAll chooses the items of the given stories under one budget. A
// story's values are scaled so that its best single item is worth its
// importance: the budget goes to the stories that matter most first, and
// to a lesser story once the greater ones have said their best.
func selectAll(ctx context.Context, stories []*assembly, budget, maxBullets int, w selWeights) error {
	n := 0
	for _, st := range stories {
		n += len(st.items)
	}
	s := &selector{budget: budget, items: make([]selItem, 0, n)}
	var owner []int // story of each concept id
	for si, st := range stories {
		tc := st.tc
		index, weight := selConcepts(st.members, st.units, tc, w)
		ids := make([]int32, len(weight)) // each bigram's concept id + 1, 0 until it has one
		// The item's sentence, as facts tokenized it in tc.
		grams := func(it *item) []uint64 {
			if it.tok != nil {
				return it.tok.gramsOf()
			}
			return tc.grams(it.text)
		}
		// The items' concept lists are cut from one slice, as long as all
		// their bigrams: hundreds of items each grew a list of its own.
		total := 0
		for k := range st.items {
			total += len(grams(&st.items[k]))
		}
		flat := make([]int32, 0, total)
		first := len(s.items)
		for k := range st.items {
			it := &st.items[k]
			x := selItem{story: si, index: k, it: it}
			if !w.noModular {
				x.mod = w.modular * it.q * math.Pow(float64(it.words), w.lengthExp) / selWordsPerItem
			}
			start := len(flat)
			for _, g := range grams(it) {
				gi, ok := index[g]
				if !ok || weight[gi] < 0 {
					continue
				}
				if ids[gi] == 0 {
					s.weight = append(s.weight, weight[gi])
					owner = append(owner, si)
					ids[gi] = int32(len(s.weight))
				}
				flat = append(flat, ids[gi]-1)
			}
			x.concepts = flat[start:len(flat):len(flat)]
			slices.Sort(x.concepts)
			s.items = append(s.items, x)
		}
		capB := -1
		if maxBullets > 0 {
			capB = maxBullets
		}
		s.storyCap = append(s.storyCap, capB)
		if len(stories) == 1 {
			continue
		}
		best := 0.0
		for i := first; i < len(s.items); i++ {
			best = math.Max(best, s.items[i].mod+s.conceptSum(i))
		}
		if best <= 0 {
			continue
		}
		f := st.importance / best
		for i := first; i < len(s.items); i++ {
			s.items[i].mod *= f
		}
		for id := range s.weight {
			if owner[id] == si {
				s.weight[id] *= f
			}
		}
	}
	s.cover = make([]int32, len(s.weight))
	if err := s.run(ctx, w); err != nil {
		return err
	}
	for i, x := range s.items {
		if s.chosen[i] {
			st := stories[x.story]
			st.chosen = append(st.chosen, x.index)
		}
	}
	return nil
}

// assembleTopicRel is how much an article is about the topic: the share of
// topic terms it contains, counting the title twice.
func assembleTopicRel(topic []string, an *Analysis, tc *termCache) float64 {
	if len(topic) == 0 {
		return 0
	}
	// A headline's few terms: a scan is cheaper than a set (Build asks
	// for every article it reads).
	inTitle := tc.terms(an.Title)
	var s float64
	for _, t := range topic {
		if slices.Contains(inTitle, t) {
			s += 2
		}
		if an.Terms[t] > 0 {
			s++
		}
	}
	return s / (3 * float64(len(topic)))
}

// assembleHeadlineCase turns an all-capitals wire headline into sentence case
// so it does not shout, writing each word as the article body writes it in
// mid-sentence ("OPEC", "Saudi Arabia"); mixed-case headlines are left as
// written.
func assembleHeadlineCase(t string, body []string) string {
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

// story assembles the chosen items: the lede (the best-supported, most
// salient bullet) first and the other bullets in the order the articles
// tell them, so cause comes before consequence; the quotes, most widely
// carried first; every citation in the story's source order.
func (st *assembly) story() Story {
	order := st.sourceOrder()
	rank := make(map[int]int, len(order))
	for k, mi := range order {
		rank[mi] = k
	}
	cite := func(ms []int) []Source {
		sorted := append([]int(nil), ms...)
		sort.Slice(sorted, func(a, b int) bool { return rank[sorted[a]] < rank[sorted[b]] })
		out := make([]Source, len(sorted))
		for k, mi := range sorted {
			out[k] = st.source(mi)
		}
		return out
	}
	out := Story{Headline: st.headline(), Bullets: []Bullet{}, Quotes: []Quote{}, NothingNew: st.nothingNew, Key: st.key}
	var bullets, quotes []*item
	for _, k := range st.chosen {
		it := &st.items[k]
		if it.kind == quoteItem {
			quotes = append(quotes, it)
		} else {
			bullets = append(bullets, it)
		}
	}
	for _, it := range assembleReadingOrder(bullets) {
		out.Bullets = append(out.Bullets, Bullet{Text: it.text, Sources: cite(it.cites)})
	}
	sort.SliceStable(quotes, func(a, b int) bool {
		if quotes[a].units != quotes[b].units {
			return quotes[a].units > quotes[b].units
		}
		return quotes[a].rel < quotes[b].rel
	})
	for _, it := range quotes {
		out.Quotes = append(out.Quotes, Quote{Text: it.text, Speaker: it.speaker, Sources: cite(it.cites)})
	}
	out.Sources = make([]Source, 0, len(order))
	for _, mi := range order {
		out.Sources = append(out.Sources, st.source(mi))
		p := st.member(mi).art.Published
		if p.IsZero() {
			continue
		}
		if out.From.IsZero() || p.Before(out.From) {
			out.From = p
		}
		if p.After(out.To) {
			out.To = p
		}
	}
	return out
}

// assembleReadingOrder puts the lede first, the bullet that is best
// supported and most salient, and the rest in the order their articles
// tell them.
func assembleReadingOrder(bs []*item) []*item {
	if len(bs) < 2 {
		return bs
	}
	lede := func(it *item) float64 { return float64(it.units) * it.q }
	top := 0
	for i := range bs {
		if lede(bs[i]) > lede(bs[top]) {
			top = i
		}
	}
	out := []*item{bs[top]}
	rest := make([]*item, 0, len(bs)-1)
	rest = append(rest, bs[:top]...)
	rest = append(rest, bs[top+1:]...)
	sort.SliceStable(rest, func(i, j int) bool {
		if rest[i].rel != rest[j].rel {
			return rest[i].rel < rest[j].rel
		}
		return rest[i].q > rest[j].q
	})
	return append(out, rest...)
}

// size is the number of the story's articles, read or cited only, and
// member(i) the i-th: the read ones first.
func (st *assembly) size() int { return len(st.members) + len(st.cited) }

func (st *assembly) member(i int) *report {
	if i < len(st.members) {
		return &st.members[i].report
	}
	return &st.cited[i-len(st.members)]
}

// firstDoc is the input index of the story's first article.
func (st *assembly) firstDoc() int {
	first := -1
	for i := 0; i < st.size(); i++ {
		if d := st.member(i).doc; first < 0 || d < first {
			first = d
		}
	}
	return first
}

// sourceOrder lists the story's articles, read or cited only, oldest
// first (ties by outlet, then input order): the order citations are
// numbered in.
//
// The keys are read once into one slice and sorted there: a stored story
// cites thousands of reports. The input index tells any two apart, so the
// order is total, and stable or not alike. The read articles and the
// cited ones are put in order apart and then merged: a store lists a
// story's cited reports newest first, which is the order reversed, and a
// run in order (or reversed) costs a pass where sorting it with the read
// articles mixed in cost a full sort of thousands.
func (st *assembly) sourceOrder() []int {
	type key struct {
		sec    int64 // the time as Before compares it: seconds, then nanoseconds
		nsec   int
		outlet string
		doc    int
		mi     int
	}
	keys := make([]key, st.size())
	for i := range keys {
		m := st.member(i)
		p := m.art.Published
		keys[i] = key{sec: p.Unix(), nsec: p.Nanosecond(), outlet: m.an.Outlet, doc: m.doc, mi: i}
	}
	order := func(a, b key) int {
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
			return c
		}
		if c := strings.Compare(a.outlet, b.outlet); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	}
	read, cited := keys[:len(st.members)], keys[len(st.members):]
	for _, run := range [][]key{read, cited} {
		if slices.IsSortedFunc(run, func(a, b key) int { return order(b, a) }) {
			slices.Reverse(run)
		} else if !slices.IsSortedFunc(run, order) {
			slices.SortFunc(run, order)
		}
	}
	out := make([]int, 0, len(keys))
	for len(read) > 0 && len(cited) > 0 {
		if order(read[0], cited[0]) < 0 {
			out, read = append(out, read[0].mi), read[1:]
		} else {
			out, cited = append(out, cited[0].mi), cited[1:]
		}
	}
	for _, k := range read {
		out = append(out, k.mi)
	}
	for _, k := range cited {
		out = append(out, k.mi)
	}
	return out
}

// source is how article mi (see member) is cited.
func (st *assembly) source(mi int) Source {
	m := st.member(mi)
	title := m.an.Title
	if title == "" {
		title = strings.TrimSpace(m.art.Title)
	}
	return Source{Name: m.an.Outlet, Title: title, URL: m.art.URL, Published: m.art.Published}
}

// headline takes the title of the most representative article, the one
// whose text is closest to the story's centroid (each article weighing
// the same); with no titles at all, that article's first sentence.
func (st *assembly) headline() string {
	best, bestSim := -1, -1.0
	for k, m := range st.members {
		if m.an.Title == "" && best >= 0 && st.members[best].an.Title != "" {
			continue
		}
		sim := cosine(st.memberVecs[k], st.centroid)
		if best < 0 || m.an.Title != "" && st.members[best].an.Title == "" || sim > bestSim {
			best, bestSim = k, sim
		}
	}
	if best < 0 {
		// No text read: the title of the article the caller put first.
		if len(st.cited) > 0 {
			return assembleHeadlineCase(st.cited[0].an.Title, nil)
		}
		return ""
	}
	m := st.members[best]
	var body []string
	for _, s := range m.an.Sentences[:min(len(m.an.Sentences), 50)] {
		body = append(body, s.Text)
	}
	if m.an.Title != "" {
		return assembleHeadlineCase(m.an.Title, body)
	}
	if len(body) == 0 {
		return ""
	}
	return body[0]
}
