package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// Story is one stored story: the reports of one event, grouped as they
// arrived (storygroup.go).
type Story struct {
	ID       int64
	Headline string
	// FirstSeen and LastUpdate span its reports' times (publication, or
	// storage for undated reports).
	FirstSeen, LastUpdate time.Time
	// Ingested is when its newest report was stored.
	Ingested time.Time
	Reports  int
	Outlets  int
}

// storyColumns and scanStory read a story row the same way everywhere.
const storyColumns = `s.id, s.headline, s.first_seen, s.last_update, s.ingested, s.reports, s.outlets`

func scanStory(r scanner) (Story, error) {
	var st Story
	var first, last, ing int64
	err := r.Scan(&st.ID, &st.Headline, &first, &last, &ing, &st.Reports, &st.Outlets)
	st.FirstSeen, st.LastUpdate, st.Ingested = timeOrZero(first), timeOrZero(last), timeOrZero(ing)
	return st, err
}

// StoryOptions narrow a listing of stories.
type StoryOptions struct {
	// Since keeps the stories with a report stored at or after it.
	Since time.Time
	// Limit caps the stories; zero means 50.
	Limit int
}

// Stories lists the stories updated most recently first: those with a
// report stored since opt.Since. Coverage counts every report, whoever may
// read it: this is the owner's view (the command line).
func (s *Store) Stories(ctx context.Context, opt StoryOptions) ([]Story, error) {
	if opt.Limit <= 0 {
		opt.Limit = 50
	}
	return s.queryStories(ctx, `WHERE s.ingested >= ? AND s.reports > 0 ORDER BY s.last_update DESC, s.id DESC LIMIT ?`,
		unixOrZero(opt.Since), opt.Limit)
}

// queryStories reads the stories rows selects (the SQL after FROM stories s).
func (s *Store) queryStories(ctx context.Context, where string, args ...any) ([]Story, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+storyColumns+` FROM stories s `+where, args...)
	return readStories(rows, err)
}

// readStories reads the stories rows holds (err: the query's).
func readStories(rows *sql.Rows, err error) ([]Story, error) {
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	defer rows.Close()
	var out []Story
	for rows.Next() {
		st, err := scanStory(rows)
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	return out, nil
}

// StoryOutlets lists a story's outlets, most reports first.
func (s *Store) StoryOutlets(ctx context.Context, id int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source FROM story_outlets WHERE story_id = ? AND articles > 0
		ORDER BY articles DESC, source`, id)
	if err != nil {
		return nil, fmt.Errorf("story outlets: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var src string
		if err := rows.Scan(&src); err != nil {
			return nil, fmt.Errorf("story outlets: %w", err)
		}
		out = append(out, src)
	}
	return out, rows.Err()
}

// ReportOptions say how StoryReports reads a story's reports.
type ReportOptions struct {
	// Texts is how many reports are read with their text, the ones in
	// Prefer first, then the newest (zero: every report): each with its
	// stored analysis, or its body when it has none from this engine. The
	// others carry neither, as briefing.Article expects of a story's
	// reports it only cites.
	Texts int
	// Prefer lists reports by ID to read first (a topic's best matches,
	// best first).
	Prefer []string
	// Keep, when set, leaves out the reports it refuses (it is given each
	// report with its body).
	Keep func(Article) bool
	// Later, when set, is given work StoryReports would otherwise do
	// before it returns, to run on another goroutine while the caller
	// reads on: decoding the stored analyses of the reports it returns (a
	// /brief's 160 took about 1.4 ms of the 12 that reading its five
	// stories took at 300k stored articles, the second core idle). It
	// reads the database only for a report whose stored analysis cannot
	// be read (its body): a second connection's page cache holds the same
	// pages again, and reading a /brief on two doubled SQLite's page reads.
	// The reports' Analysis (or that Body) is set once work has run: the
	// caller runs it once, before it reads those fields, and its error is
	// StoryReports'.
	Later func(work func() error)
}

// StoryReports returns every report of a story that the scope may read,
// newest first, then the copies of them it may read (see StoryCopies), the
// first opt.Texts by preference with their text (see
// ReportOptions), and the story with its coverage counted over what the
// scope sees. A story's title, outlet, link and times are read for every
// report, so a briefing cites them all; its text only for the reports a
// briefing reads.
func (s *Store) StoryReports(ctx context.Context, id int64, sc Scope, opt ReportOptions) (Story, []Article, error) {
	st, err := scanStory(s.db.cachedQueryRow(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil, fmt.Errorf("story %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return st, nil, fmt.Errorf("story %d: %w", id, err)
	}
	// Only what a briefing cites is read (the body only for opt.Keep): a
	// story can have thousands of reports, and the driver takes the
	// connection's mutex for every column of every row.
	cols := `a.seq, a.id, a.title, a.source, a.url, a.published, a.ingested`
	if opt.Keep != nil {
		cols += `, a.body`
	}
	visible, vargs := sc.visibleSQL("a")
	rows, err := s.db.cachedQuery(ctx, `SELECT `+cols+`
		FROM articles a WHERE a.story_id = ? AND `+visible+` ORDER BY `+whenExpr+` DESC, a.seq DESC`,
		append([]any{id}, vargs...)...)
	if err != nil {
		return st, nil, fmt.Errorf("story %d: %w", id, err)
	}
	defer rows.Close()
	// The stored count is every report of the story: what the scope sees
	// is at most that, so the lists are sized once.
	arts := make([]Article, 0, st.Reports)
	seqs := make([]int64, 0, st.Reports)
	outlets := map[string]bool{}
	var first, last time.Time
	var a Article
	var seq, pub, ing int64
	dest := []any{&seq, &a.ID, &a.Title, &a.Source, &a.URL, &pub, &ing}
	if opt.Keep != nil {
		dest = append(dest, &a.Body)
	}
	for rows.Next() {
		a = Article{}
		if err := rows.Scan(dest...); err != nil {
			return st, nil, fmt.Errorf("story %d: %w", id, err)
		}
		a.Published, a.Ingested, a.StoryID = timeOrZero(pub), timeOrZero(ing), id
		if a.Source != "" {
			outlets[a.Source] = true
		}
		when := a.Published
		if when.IsZero() {
			when = a.Ingested
		}
		if first.IsZero() || when.Before(first) {
			first = when
		}
		if when.After(last) {
			last = when
		}
		if opt.Keep != nil && !opt.Keep(a) {
			continue
		}
		a.Body = ""
		a.URL = CleanLink(a.URL)
		arts = append(arts, a)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return st, nil, fmt.Errorf("story %d: %w", id, err)
	}
	rows.Close()
	// What this reader sees of the story.
	if !sc.All() {
		st.Reports, st.Outlets, st.FirstSeen, st.LastUpdate = len(seqs), len(outlets), first, last
	}
	analyses, err := s.readTexts(ctx, arts, seqs, opt)
	if err != nil {
		return st, nil, fmt.Errorf("story %d: %w", id, err)
	}
	// The copies of its reports (see copies.go), cited with them.
	copies, err := s.storyCopies(ctx, id, sc, opt.Keep)
	if err != nil {
		return st, nil, err
	}
	out := append(arts, copies...)
	decode := func() error {
		if err := s.decodeTexts(ctx, out, analyses); err != nil {
			return fmt.Errorf("story %d: %w", id, err)
		}
		return nil
	}
	if opt.Later != nil && len(analyses) > 0 {
		opt.Later(decode)
	} else if err := decode(); err != nil {
		return st, nil, err
	}
	return st, out, nil
}

// storedAnalysis is a report's stored analysis, read but not yet decoded:
// arts[i]'s, of the report with seq.
type storedAnalysis struct {
	i    int
	seq  int64
	data []byte
}

// decodeTexts gives arts their stored analyses; a report whose analysis
// cannot be read is given its body instead.
func (s *Store) decodeTexts(ctx context.Context, arts []Article, analyses []storedAnalysis) error {
	var bad map[int64]int
	for _, sa := range analyses {
		an, err := decodeAnalysis(sa.data)
		if err != nil {
			if bad == nil {
				bad = map[int64]int{}
			}
			bad[sa.seq] = sa.i
			continue
		}
		arts[sa.i].Analysis = an
	}
	return s.readBodies(ctx, arts, bad)
}

// readTexts gives the reports ReportOptions chooses their text: the stored
// analysis when this engine made it (returned undecoded, for decodeTexts),
// else the body.
func (s *Store) readTexts(ctx context.Context, arts []Article, seqs []int64, opt ReportOptions) ([]storedAnalysis, error) {
	n := opt.Texts
	if n <= 0 || n > len(arts) {
		n = len(arts)
	}
	// The preferred reports' places among arts: a map of the few preferred
	// IDs, looked up for each report, where a map of every report's ID
	// cost about 0.4 ms for a /brief's 4,000 reports.
	rank := make(map[string]int, len(opt.Prefer))
	for r, id := range opt.Prefer {
		if _, ok := rank[id]; !ok {
			rank[id] = r
		}
	}
	preferred := make([]int, len(opt.Prefer))
	for r := range preferred {
		preferred[r] = -1
	}
	for i, a := range arts {
		if r, ok := rank[a.ID]; ok {
			preferred[r] = i
		}
	}
	chosen := make([]bool, len(arts))
	var list []int64
	bySeq := map[int64]int{}
	choose := func(i int) {
		if !chosen[i] && len(list) < n {
			chosen[i] = true
			bySeq[seqs[i]] = i
			list = append(list, seqs[i])
		}
	}
	for _, i := range preferred {
		if i >= 0 {
			choose(i)
		}
	}
	for i := range arts {
		choose(i)
	}
	if len(list) == 0 {
		return nil, nil
	}
	// The analyses first: only the reports without one are read from
	// their rows, each a page of its own (the text is inline).
	rows, err := s.analysesIn(ctx, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	analyses := make([]storedAnalysis, 0, len(list))
	for rows.Next() {
		sa := storedAnalysis{}
		if err := rows.Scan(&sa.seq, &sa.data); err != nil {
			return nil, err
		}
		sa.i = bySeq[sa.seq]
		analyses = append(analyses, sa)
		delete(bySeq, sa.seq)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return analyses, s.readBodies(ctx, arts, bySeq)
}

// readBodies gives the reports at is given (by seq, their index in arts)
// their bodies.
func (s *Store) readBodies(ctx context.Context, arts []Article, at map[int64]int) error {
	if len(at) == 0 {
		return nil
	}
	list := make([]string, 0, len(at))
	for seq := range at {
		list = append(list, strconv.FormatInt(seq, 10))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, body FROM articles WHERE seq IN (`+strings.Join(list, ",")+`)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var body string
		if err := rows.Scan(&seq, &body); err != nil {
			return err
		}
		arts[at[seq]].Body = body
	}
	return rows.Err()
}

// textsIn is how many seqs analysesIn asks for through its prepared
// statement: a story's briefing reads briefing.MaxStoryTexts reports.
const textsIn = briefing.MaxStoryTexts

// analysesTextsQuery is analysesIn's statement: textsIn placeholders,
// those not needed given a seq no row has (seqs start at 1).
var analysesTextsQuery = `SELECT seq, data FROM analyses WHERE version = ? AND seq IN (?` + strings.Repeat(`, ?`, textsIn-1) + `)`

// analysesIn reads the analyses of this engine's version of the articles
// seqs names, as rows of seq and data. Up to textsIn of them (every story
// a briefing reads) go through one statement prepared once, as
// cachedQuery's do: parsing and planning a query with the seqs written
// into it cost as much as reading the analyses of a small story.
func (s *Store) analysesIn(ctx context.Context, seqs []int64) (*sql.Rows, error) {
	if len(seqs) > textsIn {
		list := make([]string, len(seqs))
		for i, seq := range seqs {
			list[i] = strconv.FormatInt(seq, 10)
		}
		return s.db.QueryContext(ctx, `SELECT seq, data FROM analyses WHERE version = ? AND seq IN (`+strings.Join(list, ",")+`)`,
			briefing.AnalysisVersion)
	}
	args := make([]any, 1, 1+textsIn)
	args[0] = briefing.AnalysisVersion
	for _, seq := range seqs {
		args = append(args, seq)
	}
	for len(args) < cap(args) {
		args = append(args, int64(-1))
	}
	return s.db.cachedQuery(ctx, analysesTextsQuery, args...)
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// analyzedColumns and scanAnalyzed read articleColumns with the article's
// seq and stored analysis (from analyses n joined to articles a); an
// analysis made by another version of the engine is left out (the engine
// analyses the body again).
var analyzedColumns = prefixed("a", articleColumns) + `, a.seq, coalesce(n.version, 0), n.data`

func scanAnalyzed(r scanner) (Article, int64, error) {
	var seq int64
	var version int
	var data []byte
	a, err := scanArticle(r, &seq, &version, &data)
	if err != nil {
		return a, 0, err
	}
	if version == briefing.AnalysisVersion && len(data) > 0 {
		if an, err := decodeAnalysis(data); err == nil {
			a.Analysis = an
		}
	}
	return a, seq, nil
}

// StoryHit is a story found for a topic.
type StoryHit struct {
	Story
	// Score orders the stories: relevance of its best matching reports
	// weighted by recency (as Search scores them), and its coverage.
	Score float64
	// Best are the IDs of its reports that match the topic best, best
	// first (none for the top stories).
	Best []string
}

// storySearchHits is how many of the best matching reports are grouped into
// stories for a topic.
const storySearchHits = 200

// matchedReport is a report found for a topic, as FindStories needs it.
type matchedReport struct {
	id    string
	story int64
	score float64
}

// FindStories returns the stories that best match topic, best first, at
// most limit. The best matching reports (Search's ranking: every match
// considered, relevance and recency) are grouped by story, and a story
// scores the sum of its three best reports' scores (CombSUM, Fox & Shaw
// 1994: a story that several reports match well outranks one a single
// report matches as well), times a factor for its coverage (1 + 0.25 ln
// of its outlets + 0.1 ln of its reports).
func (s *Store) FindStories(ctx context.Context, topic string, opt SearchOptions, limit int) ([]StoryHit, error) {
	opt.Limit = storySearchHits
	hits, err := searchEach(ctx, s, topic, &opt, func([][]string) {}, func(list []candidate) ([]matchedReport, error) {
		return s.matchedReports(ctx, list, opt)
	})
	if err != nil {
		return nil, err
	}
	type agg struct {
		best  []float64
		ids   []string
		order int
	}
	byStory := map[int64]*agg{}
	var ids []int64
	for i, h := range hits {
		if h.story == 0 {
			continue
		}
		a := byStory[h.story]
		if a == nil {
			a = &agg{order: i}
			byStory[h.story] = a
			ids = append(ids, h.story)
		}
		if len(a.best) < 3 {
			a.best = append(a.best, h.score)
		}
		a.ids = append(a.ids, h.id)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	stories, err := s.storiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]StoryHit, 0, len(stories))
	for _, st := range stories {
		var sum float64
		for _, sc := range byStory[st.ID].best {
			sum += sc
		}
		cover := 1 + 0.25*logp(st.Outlets) + 0.1*logp(st.Reports)
		out = append(out, StoryHit{Story: st, Score: sum * cover, Best: byStory[st.ID].ids})
	}
	sortStoryHits(out, func(id int64) int { return byStory[id].order })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// matchedReports reads the IDs and stories of ranked candidates, in rank
// order, at most opt.Limit; with a filter, through the articles it lets
// through.
func (s *Store) matchedReports(ctx context.Context, list []candidate, opt SearchOptions) ([]matchedReport, error) {
	if opt.Filter != nil {
		hits, err := s.hits(ctx, list, nil, opt)
		out := make([]matchedReport, len(hits))
		for i, h := range hits {
			out[i] = matchedReport{h.ID, h.StoryID, h.Score}
		}
		return out, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	seqs := make([]int64, len(list))
	for i, c := range list {
		seqs[i] = c.seq
	}
	rows, err := s.queryKeysIn(ctx, `SELECT a.seq, a.id, a.story_id FROM `+s.db.d.articlesBySeq()+` WHERE a.seq IN (%s)`, seqs)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	found := make(map[int64]matchedReport, len(list))
	for rows.Next() {
		var seq int64
		var m matchedReport
		if err := rows.Scan(&seq, &m.id, &m.story); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		found[seq] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]matchedReport, 0, len(list))
	for _, c := range list {
		if m, ok := found[c.seq]; ok {
			m.score = c.score
			out = append(out, m)
		}
	}
	return out, nil
}

// storiesByID reads stories by id.
func (s *Store) storiesByID(ctx context.Context, ids []int64) ([]Story, error) {
	return readStories(s.queryKeysIn(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id IN (%s)`, ids))
}

// keysInList is how many keys (seqs, story ids) queryKeysIn binds: a
// topic's stories are found among its storySearchHits best matches, each
// read by seq, then their stories by id.
const keysInList = storySearchHits

// keysInPlaceholders is queryKeysIn's list: keysInList placeholders.
var keysInPlaceholders = `?` + strings.Repeat(`, ?`, keysInList-1)

// queryKeysIn runs query, whose %s is the list of an IN, for keys
// (positive, as seqs and ids are). Up to keysInList keys the list is
// always the same placeholders, those not needed bound to -1, which no
// row has: the query's text is the same for every topic, so cachedQuery
// prepares it once, where a list written into it was parsed and planned
// again each time (FindStories ran two such queries a topic, 0.4 ms of
// CPU at 300k). A longer list is written into a query run once.
func (s *Store) queryKeysIn(ctx context.Context, query string, keys []int64) (*sql.Rows, error) {
	if len(keys) > keysInList {
		list := make([]string, len(keys))
		for i, k := range keys {
			list[i] = strconv.FormatInt(k, 10)
		}
		return s.db.QueryContext(ctx, fmt.Sprintf(query, strings.Join(list, ",")))
	}
	args := make([]any, keysInList)
	for i := range args {
		args[i] = int64(-1)
		if i < len(keys) {
			args[i] = keys[i]
		}
	}
	return s.db.cachedQuery(ctx, fmt.Sprintf(query, keysInPlaceholders), args...)
}

// topCandidates is how many of the most recently updated stories the top
// stories are chosen from.
const topCandidates = 50

// TopStories returns the most important recent stories the scope sees, at
// most limit: of the topCandidates stories updated most recently (with a
// report stored since opt.IngestedSince and dated since opt.Since, when
// set), the most covered, by outlets then reports, then the most recent.
// Coverage is the stored one; callers count what a scope sees with
// StoryReports.
func (s *Store) TopStories(ctx context.Context, opt SearchOptions, limit int) ([]StoryHit, error) {
	visible, vargs := opt.Scope.visibleSQL("a")
	recent, err := s.queryStories(ctx, `WHERE s.last_update >= ? AND s.ingested >= ? AND s.reports > 0
		AND EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND `+visible+`)
		ORDER BY s.last_update DESC, s.id DESC LIMIT ?`,
		append(append([]any{unixOrZero(opt.Since), unixOrZero(opt.IngestedSince)}, vargs...), topCandidates)...)
	if err != nil {
		return nil, fmt.Errorf("top stories: %w", err)
	}
	out := make([]StoryHit, len(recent))
	for i, st := range recent {
		out[i] = StoryHit{Story: st, Score: float64(st.Outlets)}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Outlets != out[j].Outlets {
			return out[i].Outlets > out[j].Outlets
		}
		return out[i].Reports > out[j].Reports
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
