package data

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// AddResult says what Add did with a batch.
type AddResult struct {
	Added      int
	Duplicates int
	// DuplicateOf lists the first few duplicates found, for reports.
	DuplicateOf []Duplicate
}

// Duplicate names an article that was not added because the store has it.
type Duplicate struct {
	Title    string
	Existing string // ID of the stored article
	Reason   string // "same URL" or "same text"
}

const maxReportedDuplicates = 20

// Add stores articles that are not already stored. An article is already
// stored when its canonical URL or its normalized text matches one that is,
// so re-ingesting the same files adds nothing. Articles are normalized and
// given IDs here; the batch is one transaction.
//
// What Add stores is the owner's, shared by every server (see Scope).
func (s *Store) Add(ctx context.Context, arts []Article) (AddResult, error) {
	res, _, err := s.add(ctx, arts, false, sharedVisibility)
	return res, err
}

// add is Add for articles that vis may read; normalized says the articles
// come from Parse and need no second normalization. An article already
// stored is made visible to vis too. seqs holds, for each article, the row
// it is stored as (new or the existing duplicate), or 0 when it was skipped
// for having no text.
func (s *Store) add(ctx context.Context, arts []Article, normalized bool, vis visibility) (res AddResult, seqs []int64, err error) {
	if len(arts) == 0 {
		return res, nil, nil
	}
	prepared, err := s.prepareBatch(ctx, arts, normalized, 0, nil)
	if err != nil {
		return res, nil, fmt.Errorf("add articles: %w", err)
	}
	return s.write(ctx, nil, prepared, vis, nil)
}

// storedArticle is a stored article a new one duplicates.
type storedArticle struct {
	id     string
	seq    int64
	shared bool
}

// write stores prepared articles in one transaction, on conn (nil: any
// connection): the database writer's part of add, which is SQL and story
// grouping (which must see the batch in order). termDocs, when not nil, is
// batchTermDocs of the batch (see writeTx.add).
func (s *Store) write(ctx context.Context, conn *Conn, prepared []preparedArticle, vis visibility, termDocs map[string]int) (res AddResult, seqs []int64, err error) {
	w, err := s.beginWrite(ctx, conn, vis, false)
	if err != nil {
		return res, nil, err
	}
	if seqs, err = w.add(ctx, prepared, termDocs); err != nil {
		w.rollback()
		return res, nil, err
	}
	res, err = w.commit(ctx)
	return res, seqs, err
}

// writeTx is a write transaction of one or more batches (a bulk ingest
// keeps one open over a few: see bulkWriter). It holds the grouper from
// beginWrite until commit or rollback: batches group one at a time, and
// never wait on each other while holding a transaction.
type writeTx struct {
	s      *Store
	tx     *Tx
	vis    visibility
	bulk   bool
	res    AddResult
	counts termMoves
	// index holds the full-text rows of the transaction's new articles,
	// written at commit (see commit).
	index []ftsRow
	// grouped says a batch was grouped: the grouper's memory is ahead of
	// the store until the commit.
	grouped  bool
	articles int       // articles added
	began    time.Time // when the transaction began
}

// beginWrite takes the grouper and begins a transaction on conn (nil: any
// connection) for articles vis may read; bulk defers the shared
// autocomplete counts (see suggest_deltas.go): the caller merges them
// when its run of batches ends.
func (s *Store) beginWrite(ctx context.Context, conn *Conn, vis visibility, bulk bool) (*writeTx, error) {
	// The grouper before the transaction: see grouper.
	s.group.mu.Lock()
	w, err := s.beginHeld(ctx, conn, vis, bulk)
	if err != nil {
		s.group.mu.Unlock()
	}
	return w, err
}

// beginHeld is beginWrite for a caller that holds the grouper already, and
// keeps it when the transaction cannot begin.
func (s *Store) beginHeld(ctx context.Context, conn *Conn, vis visibility, bulk bool) (*writeTx, error) {
	var tx *Tx
	var err error
	if conn != nil {
		tx, err = conn.BeginTx(ctx, nil)
	} else {
		tx, err = s.db.BeginTx(ctx, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("add articles: %w", err)
	}
	return &writeTx{s: s, tx: tx, vis: vis, bulk: bulk, counts: newTermMoves(), began: time.Now()}, nil
}

// rollback gives up the transaction, and the grouper's memory of it.
func (w *writeTx) rollback() {
	w.tx.Rollback()
	if w.grouped {
		w.s.group.reset()
	}
	w.s.group.mu.Unlock()
}

// commit writes the transaction's autocomplete counts and full-text rows
// and commits, returning what its batches did. On failure it rolls back.
func (w *writeTx) commit(ctx context.Context) (AddResult, error) {
	var stories []savedStory
	if w.grouped {
		stories = w.s.group.takeUnsaved()
	}
	if err := w.save(ctx, stories); err != nil {
		w.rollback()
		return AddResult{}, err
	}
	w.s.group.mu.Unlock()
	return w.res, nil
}

// save writes the changed stories (taken from the grouper), the
// transaction's autocomplete counts and its full-text rows, and commits,
// keeping the grouper. On failure the caller rolls back.
func (w *writeTx) save(ctx context.Context, stories []savedStory) error {
	if err := writeStories(ctx, w.tx, stories); err != nil {
		return err
	}
	if err := w.s.saveCounts(ctx, w.tx, w.counts, w.bulk); err != nil {
		return err
	}
	// The full-text rows go last. FTS5 keeps a transaction's new rows in
	// memory and writes them as one segment at commit, but it writes them
	// out at every statement savepoint, which any later statement that may
	// need one opens (the article insert, whose triggers keep the counters,
	// does): indexed between articles, every article became a segment of
	// its own, to be merged again and again (a fifth of ingest's CPU).
	// https://www.sqlite.org/fts5.html#the_automerge_configuration_option
	if len(w.index) > 0 {
		insFTS, err := w.tx.PrepareContext(ctx, w.s.db.d.insertFTS())
		if err != nil {
			return fmt.Errorf("add articles: %w", err)
		}
		for _, r := range w.index {
			if _, err := insFTS.ExecContext(ctx, r.seq, r.titleIndex, r.bodyIndex, r.focus); err != nil {
				return fmt.Errorf("index %q: %w", r.title, err)
			}
		}
	}
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("add articles: %w", err)
	}
	return nil
}

// add stores a batch of prepared articles in the transaction and returns,
// for each, the row it is stored as (new or the existing duplicate), or 0
// when it was skipped for having no text. termDocs, when not nil, is
// batchTermDocs of the batch, counted before the writer's turn; add changes
// it. On failure the caller rolls back.
func (w *writeTx) add(ctx context.Context, prepared []preparedArticle, termDocs map[string]int) (seqs []int64, err error) {
	b, err := w.plan(ctx, prepared, termDocs)
	if err != nil {
		return nil, err
	}
	return w.store(ctx, b)
}

// addPlan is a batch between plan, which finds its duplicates (in the
// transaction plan ran in) and begins its grouping, and store, which
// inserts its new articles (perhaps in the next transaction: see
// bulkWriter.write).
type addPlan struct {
	prepared []preparedArticle
	seqs     []int64
	fresh    []int       // indexes of the new articles
	dupOf    map[int]int // index -> index of the earlier article it repeats
	copies   []int       // indexes of the same text from another link
	group    *groupBatch // nil when nothing is new
	ingested []int64     // each new article's ingest time
	placed   *placing    // the batch's placing, once started
}

// plan looks the batch's articles up among the stored ones, stores what
// its duplicates change (grants and autocomplete counts) and begins
// grouping its new articles. On failure the caller rolls back.
func (w *writeTx) plan(ctx context.Context, prepared []preparedArticle, termDocs map[string]int) (*addPlan, error) {
	s, tx, vis, counts, res := w.s, w.tx, w.vis, w.counts, &w.res
	b := &addPlan{prepared: prepared, seqs: make([]int64, len(prepared)), dupOf: map[int]int{}}
	byURL, byText, err := lookupStored(ctx, tx, prepared)
	if err != nil {
		return nil, fmt.Errorf("add articles: %w", err)
	}
	// Which articles are new. A duplicate of an article earlier in the batch
	// is found here too, as a duplicate of a stored one is.
	first := map[string]int{} // canonical URL or text key -> index in prepared
	for i := range prepared {
		p := &prepared[i]
		if p.Body == "" {
			continue
		}
		var stored storedArticle
		var found bool
		earlier, reason := -1, "same URL"
		if p.canon != "" {
			stored, found = byURL[p.canon]
			if j, ok := first["u"+p.canon]; ok && !found {
				earlier = j
			}
		}
		if !found && earlier < 0 {
			reason = "same text"
			stored, found = byText[p.key]
			if j, ok := first["t"+p.key]; ok && !found {
				earlier = j
			}
		}
		if (found || earlier >= 0) && reason == "same text" && p.URL != "" {
			b.copies = append(b.copies, i)
		}
		switch {
		case found:
			res.noteDuplicate(p.Title, stored.id, reason)
			// The same report from another source: whoever brought it
			// may read it, and its words join their autocomplete.
			added, removed, err := grant(ctx, tx, stored.seq, stored.shared, vis)
			if err != nil {
				return nil, err
			}
			counts.moveTerms(p.terms, added, removed)
			b.seqs[i] = stored.seq
		case earlier >= 0:
			// Stored by this batch, with the same visibility: nothing
			// to grant or count.
			res.noteDuplicate(p.Title, prepared[earlier].ID, reason)
			b.dupOf[i] = earlier
		default:
			b.fresh = append(b.fresh, i)
			if p.canon != "" {
				first["u"+p.canon] = i
			}
			first["t"+p.key] = i
		}
	}
	if len(b.fresh) == 0 {
		return b, nil
	}
	analyses := make([]*briefing.Analysis, len(b.fresh))
	for k, i := range b.fresh {
		analyses[k] = prepared[i].analysis
	}
	if termDocs != nil && len(b.fresh) < len(prepared) {
		// Only new articles count.
		isFresh := make([]bool, len(prepared))
		for _, i := range b.fresh {
			isFresh[i] = true
		}
		for i := range prepared {
			if p := &prepared[i]; !isFresh[i] && p.Body != "" && p.analysis != nil {
				addTermDocs(termDocs, p.analysis, -1)
			}
		}
	}
	if b.group, err = s.beginGroup(ctx, tx, analyses, termDocs); err != nil {
		return nil, err
	}
	w.grouped = true
	now := s.now().UTC()
	b.ingested = make([]int64, len(b.fresh))
	for k, i := range b.fresh {
		b.ingested[k] = now.Unix()
		if t := prepared[i].Ingested; !t.IsZero() {
			b.ingested[k] = t.Unix()
		}
	}
	return b, nil
}

// place starts placing the batch's new articles in stories, if it has
// any and they are not being placed yet.
func (b *addPlan) place() {
	if b.group != nil && b.placed == nil {
		b.placed = placeBatch(b.group, b.prepared, b.fresh, b.ingested)
	}
}

// stop ends the batch's placing, if it was started (see placing.stop).
func (b *addPlan) stop() {
	if b.placed != nil {
		b.placed.stop()
	}
}

// store inserts the new articles of a batch plan found, in this
// transaction, each in the story its placing gives it, and returns, for
// each article of the batch, the row it is stored as (see add). On
// failure the caller rolls back.
func (w *writeTx) store(ctx context.Context, b *addPlan) (seqs []int64, err error) {
	tx, vis, counts, res := w.tx, w.vis, w.counts, &w.res
	prepared, seqs := b.prepared, b.seqs
	if b.group != nil {
		group := b.group
		// The batch may have been planned in the transaction before.
		group.tx = tx
		w.grouped = true
		b.place()
		defer b.stop()
		ins, err := tx.prepareInsert(ctx, `INSERT INTO articles
		(id, title, source, url, canonical_url, author, published, ingested, text_key, body, shared, story_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, "seq")
		if err != nil {
			return nil, fmt.Errorf("add articles: %w", err)
		}
		insAnalysis, err := tx.PrepareContext(ctx, `INSERT INTO analyses (seq, version, data) VALUES (?, ?, ?)`)
		if err != nil {
			return nil, fmt.Errorf("add articles: %w", err)
		}
		for k, i := range b.fresh {
			p := &prepared[i]
			story, err := group.storyID(ctx, <-b.placed.stories)
			if err != nil {
				return nil, fmt.Errorf("add %q: %w", p.Title, err)
			}
			seq, err := ins.insertID(ctx, p.ID, p.Title, p.Source, p.URL, p.canon, p.Author,
				unixOrZero(p.Published), b.ingested[k], p.key, p.Body, vis.shared, story)
			if err != nil {
				return nil, fmt.Errorf("add %q: %w", p.Title, err)
			}
			if _, err := insAnalysis.ExecContext(ctx, seq, briefing.AnalysisVersion, p.stored); err != nil {
				return nil, fmt.Errorf("add %q: %w", p.Title, err)
			}
			w.index = append(w.index, ftsRow{seq: seq, title: p.Title, titleIndex: p.titleIndex, bodyIndex: p.bodyIndex, focus: p.focus})
			if !vis.shared {
				if _, _, err := grant(ctx, tx, seq, false, vis); err != nil {
					return nil, err
				}
			}
			counts.moveTerms(p.terms, vis.newArticleScopes(), nil)
			seqs[i] = seq
			res.Added++
			w.articles++
		}
		b.stop()
		if err := group.finishDF(ctx); err != nil {
			return nil, err
		}
	}
	for i, j := range b.dupOf {
		seqs[i] = seqs[j]
	}
	// The same text from another link is a copy its story cites.
	for _, i := range b.copies {
		if seqs[i] == 0 {
			continue
		}
		if err := addCopy(ctx, tx, seqs[i], prepared[i].Article, vis); err != nil {
			return nil, err
		}
	}
	return seqs, nil
}

// placing is a batch's grouping running on a goroutine of its own: the
// writer reads each article's story from stories, in the batch's order, as
// it inserts the article. Grouping (comparing an article with its candidate
// stories) and the inserts each took about half the writer's time, and the
// writer is the one goroutine every batch of an ingest waits for; grouping
// needs nothing from the inserts but the new stories' ids, which only the
// writer reads (see cachedStory.order).
type placing struct {
	stories <-chan *cachedStory
	quit    chan struct{}
	done    chan struct{}
}

// placeBatch starts placing the fresh articles of prepared in stories, in
// order; ingested holds each one's ingest time.
func placeBatch(group *groupBatch, prepared []preparedArticle, fresh []int, ingested []int64) *placing {
	stories := make(chan *cachedStory, len(fresh))
	p := &placing{stories: stories, quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for k, i := range fresh {
			select {
			case <-p.quit:
				return
			default:
			}
			a := &prepared[i]
			when := unixOrZero(a.Published)
			if when == 0 {
				when = ingested[k]
			}
			stories <- group.place(a.analysis, a.Source, when, ingested[k])
		}
	}()
	return p
}

// stop ends the placing, at once if the writer gave up on the batch, and
// waits for its goroutine: the grouper is the writer's again. Calling it
// again does nothing.
func (p *placing) stop() {
	select {
	case <-p.quit:
	default:
		close(p.quit)
	}
	<-p.done
}

// merge adds what another transaction did to r.
func (r *AddResult) merge(o AddResult) {
	r.Added += o.Added
	r.Duplicates += o.Duplicates
	for _, d := range o.DuplicateOf {
		if len(r.DuplicateOf) < maxReportedDuplicates {
			r.DuplicateOf = append(r.DuplicateOf, d)
		}
	}
}

// noteDuplicate counts a duplicate and names the first few.
func (r *AddResult) noteDuplicate(title, existing, reason string) {
	r.Duplicates++
	if len(r.DuplicateOf) < maxReportedDuplicates {
		r.DuplicateOf = append(r.DuplicateOf, Duplicate{Title: title, Existing: existing, Reason: reason})
	}
}

// ftsRow is an article's full-text index row, written at the end of its
// batch.
type ftsRow struct {
	seq                                 int64
	title, titleIndex, bodyIndex, focus string
}

// lookupChunk is how many values one lookup query binds: well under
// SQLite's and PostgreSQL's limits on parameters.
const lookupChunk = 500

// lookupStored finds the stored articles the batch's articles duplicate,
// by canonical URL and by text key, with a few queries for the whole batch
// rather than two for each article.
func lookupStored(ctx context.Context, tx *Tx, prepared []preparedArticle) (byURL, byText map[string]storedArticle, err error) {
	var urls, keys []any
	for _, p := range prepared {
		if p.Body == "" {
			continue
		}
		if p.canon != "" {
			urls = append(urls, p.canon)
		}
		keys = append(keys, p.key)
	}
	// The index on canonical_url is partial (non-empty URLs only): SQLite
	// uses it only when the query says the URL is not empty.
	if byURL, err = lookupBy(ctx, tx, "canonical_url", "canonical_url <> '' AND ", urls); err != nil {
		return nil, nil, err
	}
	if byText, err = lookupBy(ctx, tx, "text_key", "", keys); err != nil {
		return nil, nil, err
	}
	return byURL, byText, nil
}

// lookupBy reads the stored articles whose column is one of values.
func lookupBy(ctx context.Context, tx *Tx, column, cond string, values []any) (map[string]storedArticle, error) {
	out := map[string]storedArticle{}
	for len(values) > 0 {
		chunk := values[:min(lookupChunk, len(values))]
		values = values[len(chunk):]
		rows, err := tx.QueryContext(ctx, `SELECT `+column+`, id, seq, shared FROM articles WHERE `+cond+column+
			` IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, chunk...)
		if err != nil {
			return nil, fmt.Errorf("look up stored articles: %w", err)
		}
		for rows.Next() {
			var v string
			var a storedArticle
			if err := rows.Scan(&v, &a.id, &a.seq, &a.shared); err != nil {
				rows.Close()
				return nil, fmt.Errorf("look up stored articles: %w", err)
			}
			out[v] = a
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("look up stored articles: %w", err)
		}
	}
	return out, nil
}

// saveCounts saves a batch's autocomplete counts; bulk defers the shared
// list's to a delta, and merges the deltas once termDeltaMerge are pending.
func (s *Store) saveCounts(ctx context.Context, tx *Tx, counts termMoves, bulk bool) error {
	if !bulk || len(counts.add[""]) == 0 {
		return counts.save(ctx, tx)
	}
	shared := counts.add[""]
	delete(counts.add, "")
	if err := saveTermDelta(ctx, tx, shared); err != nil {
		return err
	}
	if err := counts.save(ctx, tx); err != nil {
		return err
	}
	n, err := pendingTermDeltas(ctx, tx)
	if err != nil || n < termDeltaMerge {
		return err
	}
	return mergeTermDeltas(ctx, tx)
}
