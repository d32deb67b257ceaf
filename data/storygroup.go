package data

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/briefbot/briefbot/briefing"
)

// Grouping at ingest. Each stored article joins the story the engine's one
// similarity picks (briefing.Assign over candidate story profiles, with the
// corpus's document frequencies) or starts a new one; the store keeps no
// similarity of its own. What the store adds is finding the candidates
// cheaply: the profiles of recently active stories are kept in memory with
// an inverted index from their heaviest terms, and an article is compared
// only with the stories that share its heaviest terms (candidate retrieval
// by key terms, as single-pass event detection systems do; Allan et al.
// 1998, Yang et al. 1998).

const (
	// cachedStories bounds the profiles kept in memory: the most recently
	// updated stories, where new reports land. A story that has gone
	// quiet for longer than the cache reaches back starts anew when it is
	// reported again.
	cachedStories = 3000
	// articleKeys and storyKeys are how many heaviest terms (by tf·idf) of
	// an article, and of a story's profile, are used to find candidates.
	// The article's are as many as briefing.Group looks up; a story's
	// include terms a follow-up shares though they are not the story's
	// very heaviest (10 and 20 found too few: on duc2003-dev a report on
	// the cold in Moscow shared one key with the European cold wave's
	// story, a report on prices after Typhoon Babs none). Which candidate
	// an article joins, if any, is briefing.Assign's to say.
	articleKeys = 30
	storyKeys   = 50
	// maxStoryCandidates is how many stories, those sharing the most key
	// terms (at least minSharedKeys), an article is compared with: a report
	// of the same event shares several of its heaviest terms with it.
	maxStoryCandidates = 6
	minSharedKeys      = 2
	// dfCompactRows: the document frequencies are kept as a delta a batch;
	// past this many rows they are merged into one.
	dfCompactRows = 64
	// The grouper keeps its briefing.Weights (each term's IDF, each
	// story's centroid length) while the store grows by at most
	// 1/weightsGrowth of its articles: a story's length is computed again
	// when the story changes, not at every batch (with a feed's
	// one-article batches, every article). An IDF moves by less than
	// ln(1.05) = 0.05 in that time, on values from 1 to 13.
	weightsGrowth = 20
)

// grouper holds the in-memory side of grouping: document frequencies and
// the cache of active stories. Its mutex is taken before a writer's
// transaction begins and held until it ends (Store.add, Store.Regroup), so
// batches group one at a time and never wait on each other while holding a
// transaction.
type grouper struct {
	mu     sync.Mutex
	stale  atomic.Bool // set when stories changed outside grouping
	loaded bool
	// next numbers the next new story (cachedStory.order): one past every
	// stored story's id when loaded, so new stories number after the
	// stored ones in the order they start, as their ids will.
	next   int64
	df     *briefing.DocCounts
	dfRows int
	w      *briefing.Weights
	cache  map[int64]*cachedStory // by order
	// index lists, for each key term by its number in w's numbers
	// (briefing.Weights.ProfileNumbers), the slots of the cached stories
	// it is a key of, in no order: slices rather than sets, because
	// reading them (every key of every article) is what grouping does
	// most, and updating them (a story's keys change at 1, 2, 4, 8...
	// reports) is rare; by number rather than in a map by term, because
	// looking the keys up was a third of finding an article's candidates.
	index [][]int32
	tick  int64
	// slots holds the cached stories by slot (nil: a free slot, listed in
	// free). marks holds, by slot, the probe at which the story was last
	// found sharing a key with an article (the high 32 bits) and how many
	// it shares (the low 32): counting in a small array rather than in
	// the stories themselves, which a lookup met scattered over the heap
	// (reading each story's mark was a cache miss, a seventh of grouping's
	// time), and in one word a story, read and written once a key.
	slots []*cachedStory
	free  []int32
	marks []uint64
	// probe numbers the articles looked up, to mark the stories counted
	// for the current one; never 0, which no mark is made at.
	probe uint32
	// unsaved lists the stories changed since they were last saved
	// (saveStories), in the order they were first changed: those of every
	// batch of the open transaction, cached or since evicted.
	unsaved []*cachedStory
}

// cachedStory is one story's state as grouping needs it.
type cachedStory struct {
	// id is the story's row, 0 until the batch's writer has inserted it
	// (groupBatch.storyID). Grouping itself, which runs beside the writer,
	// never reads it: it knows a story by order, the stored id of a story
	// loaded from the store, and for a new one a number after every stored
	// id, given in the order stories start: what its id will be (a row's
	// id is one past the largest), and at least in the same order.
	id       int64
	order    int64
	profile  *briefing.Profile
	keys     []int32 // key terms' numbers (grouper.index)
	headline string
	first    int64 // earliest member's time
	last     int64 // newest member's time
	ingested int64 // when its newest member was stored
	reports  int
	outlets  map[string]int
	used     int64 // grouper tick of its last use, for eviction
	// dirty says the current batch changed the story: it stays cached
	// until the batch ends. unsaved says it is in grouper.unsaved.
	dirty, unsaved bool
	newOut         map[string]int // outlet counts added since it was saved
	slot           int32          // in grouper.slots
	// shared is how many key terms the story shares with the article being
	// placed, when it is a candidate (topShared).
	shared int
}

// groupBatch is one batch's grouping, inside the batch's transaction.
type groupBatch struct {
	g       *grouper
	tx      *Tx
	dfDelta map[string]int
	docs    int
	// w weighs terms by the document frequencies with the whole batch
	// counted, as briefing.Group counts every article it groups before
	// grouping them (the grouper's, kept while the store grows little).
	w  *briefing.Weights
	ok bool
	// found lists, for one article, the slots of the stories sharing a
	// key term with it, and shared those sharing enough; kept to be reused
	// rather than made anew.
	found  []int32
	shared []*cachedStory
}

// beginGroup starts grouping a batch written in tx, the articles analyses
// (those the batch stores), loading the grouper's state from the store the
// first time. termDocs, when not nil, is how many of the analyses have each
// term (batchTermDocs), counted before the writer's turn; the batch keeps
// it. The caller holds s.group.mu.
func (s *Store) beginGroup(ctx context.Context, tx *Tx, analyses []*briefing.Analysis, termDocs map[string]int) (*groupBatch, error) {
	g := &s.group
	if g.stale.Swap(false) {
		// What earlier batches of tx changed is saved before the memory
		// of it goes.
		if err := g.saveStories(ctx, tx); err != nil {
			return nil, err
		}
		g.reset()
	}
	if !g.loaded {
		if err := g.load(ctx, tx); err != nil {
			g.reset()
			return nil, err
		}
	}
	if termDocs == nil {
		termDocs = map[string]int{}
		for _, an := range analyses {
			addTermDocs(termDocs, an, 1)
		}
	}
	b := &groupBatch{g: g, tx: tx, dfDelta: termDocs, docs: len(analyses)}
	// The corpus's counts gain the batch's.
	g.df.AddCounts(len(analyses), termDocs)
	if g.w == nil {
		g.w = briefing.NewWeights(g.df)
	} else if g.df.N > g.w.Docs()+g.w.Docs()/weightsGrowth {
		g.w = g.w.Renewed(g.df)
	}
	b.w = g.w
	return b, nil
}

// addTermDocs adds sign to the count of each of an's terms (as
// briefing.DocCounts.Add counts them), dropping counts that reach zero.
func addTermDocs(counts map[string]int, an *briefing.Analysis, sign int) {
	for t := range an.Terms {
		if n := counts[t] + sign; n != 0 {
			counts[t] = n
		} else {
			delete(counts, t)
		}
	}
}

// batchTermDocs counts, for each term, the prepared articles that have it:
// the batch's document frequencies, which Store.write takes off those of
// the articles it finds stored already. Counted while the previous batch
// is being written, it spares the writer (the one goroutine every batch
// waits for) a map update for every term of every article.
func batchTermDocs(prepared []preparedArticle) map[string]int {
	counts := map[string]int{}
	for i := range prepared {
		if p := &prepared[i]; p.Body != "" && p.analysis != nil {
			addTermDocs(counts, p.analysis, 1)
		}
	}
	return counts
}

// preloadGroup reads the grouper's state from the store, unless it is in
// memory already, in a read-only transaction: IngestPaths starts it beside
// the preparing of its first batch, so the first batch's write (which would
// load it, holding the write lock) does not wait for it. A failed load is
// left for that write to try again and report.
func (s *Store) preloadGroup(ctx context.Context) {
	g := &s.group
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stale.Swap(false) {
		g.reset()
	}
	if g.loaded {
		return
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return
	}
	defer tx.Rollback()
	if err := g.load(ctx, tx); err != nil {
		g.reset()
	}
}

// end closes the batch. A batch that did not commit leaves the memory state
// ahead of the store's, so it is dropped and read again next time.
func (b *groupBatch) end(committed bool) {
	if !committed || !b.ok {
		b.g.reset()
	}
}

func (g *grouper) reset() {
	g.loaded, g.df, g.cache, g.index, g.dfRows, g.w = false, nil, nil, nil, 0, nil
	g.slots, g.free, g.marks = nil, nil, nil
	g.next = 0
	g.unsaved = nil
}

// load reads the document frequencies and the most recently updated
// stories.
func (g *grouper) load(ctx context.Context, tx *Tx) error {
	g.df = &briefing.DocCounts{}
	g.cache = map[int64]*cachedStory{}
	g.index = nil
	rows, err := tx.QueryContext(ctx, `SELECT docs, data FROM doc_freq`)
	if err != nil {
		return fmt.Errorf("load document frequencies: %w", err)
	}
	g.dfRows = 0
	var dfData [][]byte
	for rows.Next() {
		var docs int
		var data []byte
		if err := rows.Scan(&docs, &data); err != nil {
			rows.Close()
			return err
		}
		dfData = append(dfData, data)
		g.df.N += docs
		g.dfRows++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if g.df.DF, err = decodeDFs(dfData); err != nil {
		return fmt.Errorf("load document frequencies: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM stories`).Scan(&g.next); err != nil {
		return fmt.Errorf("load stories: %w", err)
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, headline, first_seen, last_update, ingested, reports, profile
		FROM stories ORDER BY last_update DESC, id DESC LIMIT ?`, cachedStories)
	if err != nil {
		return fmt.Errorf("load stories: %w", err)
	}
	var loaded []*cachedStory
	var profiles [][]byte
	for rows.Next() {
		cs := &cachedStory{outlets: map[string]int{}}
		var prof []byte
		if err := rows.Scan(&cs.id, &cs.headline, &cs.first, &cs.last, &cs.ingested, &cs.reports, &prof); err != nil {
			rows.Close()
			return err
		}
		cs.order = cs.id
		loaded = append(loaded, cs)
		profiles = append(profiles, prof)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	g.w = briefing.NewWeights(g.df)
	if err := loadOutlets(ctx, tx, loaded); err != nil {
		return fmt.Errorf("load stories: %w", err)
	}
	// Decoding the profiles is most of the load: it is done on every
	// core. Their terms are put in order there (a stored profile keeps
	// them so: decodeProfile has), not when the writer first compares an
	// article with them.
	errs := make([]error, len(loaded))
	eachOnCores(len(loaded), func(next func() (int, bool)) {
		for i, ok := next(); ok; i, ok = next() {
			loaded[i].profile, errs[i] = decodeProfile(profiles[i])
		}
	})
	// Their terms numbered now, beside the preparing of the first batch
	// (preloadGroup), and each distinct term weighed once, by number: the
	// stories have some 1.2 million terms at 100k articles, a few tens of
	// thousands of them distinct, and weighing each (a lookup in the
	// document frequencies) was a third of the load. IDFNow weighs as IDF
	// would, without remembering: the document frequencies do not change
	// meanwhile, and the first batch's weighs a term with its counts in.
	var idf []float64
	var weighed []bool
	numbers := make([][]int32, len(loaded))
	for i, cs := range loaded {
		if errs[i] != nil {
			return fmt.Errorf("story %d: %w", cs.id, errs[i])
		}
		terms, ids := cs.profile.SortedTerms(), g.w.ProfileNumbers(cs.profile)
		numbers[i] = ids
		for k, id := range ids {
			if int(id) >= len(weighed) {
				n := max(int(id)+1, 2*len(weighed), 1024)
				idf, weighed = slices.Grow(idf, n-len(idf))[:n], slices.Grow(weighed, n-len(weighed))[:n]
			}
			if !weighed[id] {
				idf[id], weighed[id] = g.w.IDFNow(terms[k]), true
			}
		}
	}
	// Their key terms, heaviest(Terms, IDFNow, storyKeys), read from the
	// terms in order rather than from the map, on every core.
	keys := make([][]int32, len(loaded))
	eachOnCores(len(loaded), func(next func() (int, bool)) {
		var at []float64
		for i, ok := next(); ok; i, ok = next() {
			p, ids := loaded[i].profile, numbers[i]
			at = at[:0]
			for _, id := range ids {
				at = append(at, idf[id])
			}
			keys[i] = numbersAt(heaviestTimes(p.SortedTerms(), p.SortedWeights(), at, storyKeys), ids)
		}
	})
	for i, cs := range loaded {
		cs.keys = keys[i]
		g.add(cs)
	}
	g.loaded = true
	return nil
}

// loadOutlets reads the outlet counts of the stories, a few hundred
// stories a query rather than one query each.
func loadOutlets(ctx context.Context, tx *Tx, stories []*cachedStory) error {
	for len(stories) > 0 {
		chunk := stories[:min(lookupChunk, len(stories))]
		stories = stories[len(chunk):]
		byID := make(map[int64]*cachedStory, len(chunk))
		ids := make([]any, len(chunk))
		for i, cs := range chunk {
			byID[cs.id], ids[i] = cs, cs.id
		}
		rows, err := tx.QueryContext(ctx, `SELECT story_id, source, articles FROM story_outlets WHERE story_id IN (?`+
			strings.Repeat(", ?", len(ids)-1)+`)`, ids...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var src string
			var n int
			if err := rows.Scan(&id, &src, &n); err != nil {
				rows.Close()
				return err
			}
			if cs := byID[id]; cs != nil {
				cs.outlets[src] += n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// put caches a new story and indexes its key terms, weighed by w.
func (g *grouper) put(cs *cachedStory, w *briefing.Weights) {
	cs.keys = storyKeysOf(w, cs.profile)
	g.add(cs)
}

// add caches a story and indexes its key terms (cs.keys).
func (g *grouper) add(cs *cachedStory) {
	g.tick++
	cs.used = g.tick
	g.cache[cs.order] = cs
	if n := len(g.free); n > 0 {
		cs.slot, g.free = g.free[n-1], g.free[:n-1]
		g.slots[cs.slot] = cs
	} else {
		cs.slot = int32(len(g.slots))
		g.slots, g.marks = append(g.slots, cs), append(g.marks, 0)
	}
	g.indexKeys(cs)
	if len(g.cache) > cachedStories+cachedStories/10 {
		g.evict()
	}
}

// indexKeys adds a story to the lists of its key terms.
func (g *grouper) indexKeys(cs *cachedStory) {
	for _, k := range cs.keys {
		if int(k) >= len(g.index) {
			g.index = slices.Grow(g.index, int(k)+1-len(g.index))[:int(k)+1]
		}
		g.index[k] = append(g.index[k], cs.slot)
	}
}

// reindex recomputes a story's key terms, weighed by w.
func (g *grouper) reindex(cs *cachedStory, w *briefing.Weights) {
	g.unindex(cs)
	cs.keys = storyKeysOf(w, cs.profile)
	g.indexKeys(cs)
}

// unindex takes a story out of the lists of its key terms.
func (g *grouper) unindex(cs *cachedStory) {
	for _, k := range cs.keys {
		list := g.index[k]
		if i := slices.Index(list, cs.slot); i >= 0 {
			list = slices.Delete(list, i, i+1)
		}
		if len(list) == 0 {
			list = nil // let go of its room: most key terms come and go
		}
		g.index[k] = list
	}
}

// evict drops the least recently used stories down to cachedStories. A
// dirty story (changed in this batch) is never dropped before the batch
// ends; one dropped before it is saved is saved all the same (unsaved).
func (g *grouper) evict() {
	all := make([]*cachedStory, 0, len(g.cache))
	for _, cs := range g.cache {
		if !cs.dirty {
			all = append(all, cs)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].used < all[j].used })
	for _, cs := range all[:max(0, len(g.cache)-cachedStories)] {
		g.unindex(cs)
		delete(g.cache, cs.order)
		g.slots[cs.slot] = nil
		g.free = append(g.free, cs.slot)
	}
}

// heaviest returns the n terms with the largest weight·idf, ties by term,
// heaviest first.
func heaviest[N int | float64](terms map[string]N, idf func(string) float64, n int) []string {
	return heaviestOf(func(yield func(string, float64) bool) {
		for t, w := range terms {
			if !yield(t, float64(w)*idf(t)) {
				return
			}
		}
	}, n)
}

// heaviestOf returns the n heaviest of the weighed terms, ties by term,
// heaviest first.
func heaviestOf(terms iter.Seq2[string, float64], n int) []string {
	var ts []string
	var ws []float64
	for t, w := range terms {
		ts, ws = append(ts, t), append(ws, w)
	}
	return heaviestIn(ts, ws, n)
}

// heaviestIn returns the n heaviest of terms, each weighing its weights
// entry, ties by term, heaviest first. It keeps the best n, by index,
// while it reads the terms rather than sorting them all: an article has a
// few hundred terms and wants thirty.
func heaviestIn(terms []string, weights []float64, n int) []string {
	top := heaviestAt(terms, weights, n)
	out := make([]string, len(top))
	for k, i := range top {
		out[k] = terms[i]
	}
	return out
}

// heaviestAt is heaviestIn returning the terms' indexes.
func heaviestAt(terms []string, weights []float64, n int) []int32 {
	if n <= 0 {
		return []int32{}
	}
	better := func(i, j int32) bool {
		return weights[i] > weights[j] || weights[i] == weights[j] && terms[i] < terms[j]
	}
	top := make([]int32, 0, n+1)
	for i := range int32(len(terms)) {
		if len(top) == n && !better(i, top[n-1]) {
			continue
		}
		k := len(top)
		for k > 0 && better(i, top[k-1]) {
			k--
		}
		top = append(top, 0)
		copy(top[k+1:], top[k:])
		top[k] = i
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}

// articleKeysOf returns the numbers of an article's articleKeys heaviest
// terms by count·idf, from the IDFs its comparisons weigh it by
// (heaviest(an.Terms, w.IDF, n) without looking each term's IDF up again).
func articleKeysOf(w *briefing.Weights, an *briefing.Analysis) []int32 {
	terms, counts, idf := w.Terms(an)
	return numbersAt(heaviestTimes(terms, counts, idf, articleKeys), w.TermNumbers(an))
}

// storyKeysOf returns the numbers of a story's storyKeys heaviest terms by
// weight·idf under w: heaviest(p.Terms, w.IDF, storyKeys), from the terms,
// weights and IDFs the profile keeps in order rather than looking each up.
func storyKeysOf(w *briefing.Weights, p *briefing.Profile) []int32 {
	terms, weights, idf := w.ProfileTerms(p)
	return numbersAt(heaviestTimes(terms, weights, idf, storyKeys), w.ProfileNumbers(p))
}

// numbersAt replaces each of at, an index into ids, with its id.
func numbersAt(at, ids []int32) []int32 {
	for k, i := range at {
		at[k] = ids[i]
	}
	return at
}

// heaviestTimes is heaviestAt weighing each term by x·idf.
func heaviestTimes(terms []string, x, idf []float64, n int) []int32 {
	weights := make([]float64, len(terms))
	for i := range terms {
		weights[i] = x[i] * idf[i]
	}
	return heaviestAt(terms, weights, n)
}

// assign places an article (its analysis, outlet and times) in a story and
// returns the story's id, creating the story's row when it is new: place,
// then storyID.
func (b *groupBatch) assign(ctx context.Context, an *briefing.Analysis, source string, when, ingested int64) (int64, error) {
	return b.storyID(ctx, b.place(an, source, when, ingested))
}

// storyID returns the id of a story place returned, inserting its row
// first when it is new. The writer calls it for the batch's articles in
// order (the order place saw them in), so stories get their ids in the
// order they started.
func (b *groupBatch) storyID(ctx context.Context, cs *cachedStory) (int64, error) {
	if cs.id == 0 {
		id, err := b.tx.insertID(ctx, `INSERT INTO stories (profile) VALUES (?)`, "id", []byte{})
		if err != nil {
			return 0, fmt.Errorf("new story: %w", err)
		}
		cs.id = id
	}
	return cs.id, nil
}

// place puts an article (its analysis, outlet and times) in the story
// briefing.Assign picks among the cached candidates, or in a new one, and
// returns it. It touches memory only, not the store: a batch's grouping
// runs on a goroutine of its own beside the writer's inserts (see
// Store.write), and never reads a story's id, which the writer gives it.
func (b *groupBatch) place(an *briefing.Analysis, source string, when, ingested int64) *cachedStory {
	g := b.g
	keys := articleKeysOf(b.w, an)
	need := minSharedKeys
	if len(keys) < 2*minSharedKeys {
		need = 1
	}
	b.found, b.shared = g.sharing(keys, need, b.found[:0], b.shared[:0])
	cands := topShared(b.shared, need, maxStoryCandidates)
	profiles := make([]*briefing.Profile, len(cands))
	for i, c := range cands {
		profiles[i] = c.profile
	}
	var cs *cachedStory
	if i := b.w.Assign(an, profiles); i >= 0 {
		cs = cands[i]
		b.w.Join(cs.profile, an)
		// A story's key terms settle as it grows: recompute them at 2, 4,
		// 8... reports, not at every one.
		if n := cs.profile.Articles; n&(n-1) == 0 {
			g.reindex(cs, b.w)
		}
	} else {
		cs = &cachedStory{order: g.next, profile: &briefing.Profile{}, outlets: map[string]int{}, first: when, last: when}
		g.next++
		b.w.Join(cs.profile, an)
		g.put(cs, b.w)
	}
	g.tick++
	cs.used = g.tick
	cs.dirty = true
	if !cs.unsaved {
		cs.unsaved = true
		g.unsaved = append(g.unsaved, cs)
	}
	cs.reports++
	if when < cs.first || cs.first == 0 {
		cs.first = when
	}
	if when >= cs.last {
		cs.last = when
	}
	// The headline is the earliest report's; an article without a title
	// lends its first sentence.
	if cs.headline == "" || when <= cs.first {
		if h := storyHeadline(an); h != "" {
			cs.headline = h
		}
	}
	cs.ingested = max(cs.ingested, ingested)
	if source != "" {
		cs.outlets[source]++
		if cs.newOut == nil {
			cs.newOut = map[string]int{}
		}
		cs.newOut[source]++
	}
	return cs
}

// sharing appends to shared the cached stories that share at least need of
// keys (an article's key terms), each with how many it shares
// (cachedStory.shared), in the order the index meets them; found is
// scratch space, returned for reuse.
func (g *grouper) sharing(keys []int32, need int, found []int32, shared []*cachedStory) ([]int32, []*cachedStory) {
	// Count the keys each story shares with the article, marking the
	// stories met rather than keeping a map of them.
	g.probe++
	if g.probe == 0 { // wrapped: the marks made at the first probes go
		clear(g.marks)
		g.probe = 1
	}
	marks, probe := g.marks, uint64(g.probe)<<32
	for _, k := range keys {
		if int(k) >= len(g.index) {
			continue // a key of no story's
		}
		for _, slot := range g.index[k] {
			m := marks[slot]
			if m&^0xffffffff != probe {
				m = probe
				found = append(found, slot)
			}
			marks[slot] = m + 1
		}
	}
	for _, slot := range found {
		if n := int(uint32(g.marks[slot])); n >= need {
			cs := g.slots[slot]
			cs.shared = n
			shared = append(shared, cs)
		}
	}
	return found, shared
}

// topShared returns the (at most) k of the found stories sharing the most
// key terms with an article (cachedStory.shared), at least need: most shared first, then the newest
// story, a deterministic order (Assign gives ties to the earlier
// candidate). It selects them in one pass rather than sorting every story
// that shares a term: with many stories in the cache, hundreds share one
// of an article's keys, and sorting them was a third of grouping's time.
func topShared(found []*cachedStory, need, k int) []*cachedStory {
	before := func(a, b *cachedStory) bool {
		return a.shared > b.shared || (a.shared == b.shared && a.order > b.order)
	}
	top := make([]*cachedStory, 0, k)
	for _, c := range found {
		if c.shared < need || k == 0 || (len(top) == k && !before(c, top[k-1])) {
			continue
		}
		if len(top) < k {
			top = append(top, c)
		} else {
			top[k-1] = c
		}
		for i := len(top) - 1; i > 0 && before(top[i], top[i-1]); i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	return top
}

// storyHeadline is an article's cleaned title, else its first sentence
// shortened.
func storyHeadline(an *briefing.Analysis) string {
	if an.Title != "" {
		return an.Title
	}
	if len(an.Sentences) > 0 {
		return cutWords(an.Sentences[0].Text, 120)
	}
	return ""
}

// finish writes the batch's changed stories and its document frequencies.
func (b *groupBatch) finish(ctx context.Context) error {
	if err := b.g.saveStories(ctx, b.tx); err != nil {
		return err
	}
	return b.finishDF(ctx)
}

// finishDF ends the batch and writes its document frequencies, leaving
// its changed stories to saveStories: a transaction of several batches
// saves a story they all change once, at its commit (see writeTx.commit).
// The batch's stories may be evicted from now on, as if saved.
func (b *groupBatch) finishDF(ctx context.Context) error {
	if b.docs > 0 {
		if err := b.saveDF(ctx); err != nil {
			return err
		}
	}
	for _, cs := range b.g.unsaved {
		cs.dirty = false
	}
	b.ok = true
	return nil
}

// saveStories writes the cached stories changed since they were last
// saved (their rows and the outlet counts they gained), in tx, and marks
// them saved.
func (g *grouper) saveStories(ctx context.Context, tx *Tx) error {
	return writeStories(ctx, tx, g.takeUnsaved())
}

// savedStory is a changed story's row as saveStories writes it, taken
// from the grouper (takeUnsaved): a bulk ingest writes it while the next
// batch's placing changes the story again (see bulkWriter.write).
type savedStory struct {
	id                    int64
	headline              string
	first, last, ingested int64
	reports, outlets      int
	profile               []byte
	sources               []string // outlets gained since it was last saved, sorted
	gained                []int    // how many articles each
}

// takeUnsaved returns the rows of the cached stories changed since they
// were last saved, by id, and marks them saved: a later batch saves what
// changes next (and adds only its own outlet counts). The caller writes
// them (writeStories) or, failing, resets the grouper.
func (g *grouper) takeUnsaved() []savedStory {
	dirty := g.unsaved
	if len(dirty) == 0 {
		return nil
	}
	sort.Slice(dirty, func(i, j int) bool { return dirty[i].id < dirty[j].id })
	// The profiles are encoded on every core, the rows written in order.
	rows := make([]savedStory, len(dirty))
	eachOnCores(len(dirty), func(next func() (int, bool)) {
		for i, ok := next(); ok; i, ok = next() {
			rows[i].profile = encodeProfile(dirty[i].profile)
		}
	})
	for i, cs := range dirty {
		r := &rows[i]
		r.id, r.headline, r.first, r.last, r.ingested = cs.id, cs.headline, cs.first, cs.last, cs.ingested
		r.reports, r.outlets = cs.reports, len(cs.outlets)
		r.sources = make([]string, 0, len(cs.newOut))
		for src := range cs.newOut {
			r.sources = append(r.sources, src)
		}
		sort.Strings(r.sources)
		r.gained = make([]int, len(r.sources))
		for k, src := range r.sources {
			r.gained[k] = cs.newOut[src]
		}
		cs.dirty, cs.unsaved, cs.newOut = false, false, nil
	}
	g.unsaved = nil
	return rows
}

// writeStories writes the rows of changed stories (takeUnsaved) in tx.
func writeStories(ctx context.Context, tx *Tx, rows []savedStory) error {
	if len(rows) == 0 {
		return nil
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE stories SET headline = ?, first_seen = ?, last_update = ?, ingested = ?,
		reports = ?, outlets = ?, profile = ? WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("save stories: %w", err)
	}
	defer upd.Close()
	out, err := tx.PrepareContext(ctx, `INSERT INTO story_outlets (story_id, source, articles) VALUES (?, ?, ?)
		ON CONFLICT (story_id, source) DO UPDATE SET articles = story_outlets.articles + excluded.articles`)
	if err != nil {
		return fmt.Errorf("save stories: %w", err)
	}
	defer out.Close()
	for i := range rows {
		r := &rows[i]
		if _, err := upd.ExecContext(ctx, r.headline, r.first, r.last, r.ingested, r.reports, r.outlets, r.profile, r.id); err != nil {
			return fmt.Errorf("save story %d: %w", r.id, err)
		}
		for k, src := range r.sources {
			if _, err := out.ExecContext(ctx, r.id, src, r.gained[k]); err != nil {
				return fmt.Errorf("save story %d: %w", r.id, err)
			}
		}
	}
	return nil
}

// saveDF adds the batch's document frequencies as a row, or, when there are
// many rows, replaces them all with one holding the totals.
func (b *groupBatch) saveDF(ctx context.Context) error {
	g := b.g
	docs, counts := b.docs, b.dfDelta
	if g.dfRows+1 > dfCompactRows {
		if _, err := b.tx.ExecContext(ctx, `DELETE FROM doc_freq`); err != nil {
			return fmt.Errorf("save document frequencies: %w", err)
		}
		docs, counts, g.dfRows = g.df.N, g.df.DF, 0
	}
	data, err := encodeDF(counts)
	if err != nil {
		return err
	}
	if _, err := b.tx.ExecContext(ctx, `INSERT INTO doc_freq (docs, data) VALUES (?, ?)`, docs, data); err != nil {
		return fmt.Errorf("save document frequencies: %w", err)
	}
	g.dfRows++
	return nil
}

// encodeDF writes term counts as compressed "term count" lines, sorted.
func encodeDF(counts map[string]int) ([]byte, error) {
	terms := make([]string, 0, len(counts))
	size := 0
	for t := range counts {
		terms = append(terms, t)
		size += len(t) + 8
	}
	slices.Sort(terms)
	// Appended rather than printed (fmt.Fprintf): the writer encodes
	// every batch's thousands of terms, and formatting them was half of
	// it.
	raw := make([]byte, 0, size)
	for _, t := range terms {
		raw = append(raw, t...)
		raw = append(raw, ' ')
		raw = strconv.AppendInt(raw, int64(counts[t]), 10)
		raw = append(raw, '\n')
	}
	return deflate(raw)
}

// decodeDFs adds up the document frequencies of rows written by encodeDF.
// The rows are decompressed on every core, and the counts added into a map
// made with room for the largest row's terms (at 100k articles, 150k
// terms and some thirty rows of a batch's thousands): grown from empty, it
// was rebuilt again and again on the way.
func decodeDFs(rows [][]byte) (map[string]int, error) {
	texts := make([]string, len(rows))
	errs := make([]error, len(rows))
	eachOnCores(len(rows), func(next func() (int, bool)) {
		for i, ok := next(); ok; i, ok = next() {
			var raw []byte
			if raw, errs[i] = inflate(rows[i]); errs[i] == nil {
				// One string for the whole list: the terms are pieces
				// of it, not a string each.
				texts[i] = string(raw)
			}
		}
	})
	size := 0
	for i, text := range texts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		size = max(size, strings.Count(text, "\n"))
	}
	df := make(map[string]int, size+size/8)
	for _, text := range texts {
		if err := parseDF(text, df); err != nil {
			return nil, err
		}
	}
	return df, nil
}

// parseDF adds the counts of an encodeDF list, decompressed, to into.
func parseDF(text string, into map[string]int) error {
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		sp := strings.LastIndexByte(line, ' ')
		if sp <= 0 {
			continue
		}
		n, err := strconv.Atoi(line[sp+1:])
		if err != nil {
			return fmt.Errorf("document frequency %q: %w", line, err)
		}
		into[line[:sp]] += n
	}
	return nil
}

// zipJSON and unzipJSON keep values (analyses, profiles) as compressed
// JSON: the JSON of an analysis is about twice the article's text, and
// DEFLATE halves it.
func zipJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return deflate(raw)
}

func unzipJSON(data []byte, v any) error {
	raw, err := inflate(data)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

func deflate(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := flateWriters.Get().(*flate.Writer)
	defer flateWriters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// flateReaders keeps decompressors for reuse: a new one allocates some
// 40 KB of window and tables, a hundred times the few hundred bytes of a
// typical analysis, and a briefing reads hundreds of analyses.
var flateReaders = sync.Pool{New: func() any { return flate.NewReader(nil) }}

func inflate(data []byte) ([]byte, error) {
	r := flateReaders.Get().(io.ReadCloser)
	defer flateReaders.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(data), nil); err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, 4*len(data)))
	_, err := out.ReadFrom(r)
	return out.Bytes(), err
}

// engineArticle is an article as the engine sees it.
func engineArticle(a Article) briefing.Article {
	return briefing.Article{ID: a.ID, Title: a.Title, Source: a.Source, URL: a.URL, Published: a.Published, Body: a.Body}
}
