package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	rows, err := s.db.QueryContext(ctx, `SELECT `+storyColumns+` FROM stories s
		WHERE s.ingested >= ? AND s.reports > 0 ORDER BY s.last_update DESC, s.id DESC LIMIT ?`,
		unixOrZero(opt.Since), opt.Limit)
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
	return out, rows.Err()
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

// maxStoryReports bounds the reports a briefing reads from one story: far
// more than any briefing cites, so only a story that has run for months is
// cut, to its newest reports, and a briefing's cost stays bounded.
const maxStoryReports = 300

// StoryReports returns the reports of a story that the scope may read,
// newest first (at most maxStoryReports), each with its stored analysis,
// and the story with its coverage counted over those reports.
func (s *Store) StoryReports(ctx context.Context, id int64, sc Scope) (Story, []Article, error) {
	st, err := scanStory(s.db.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil, fmt.Errorf("story %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return st, nil, fmt.Errorf("story %d: %w", id, err)
	}
	visible, vargs := sc.visibleSQL("a")
	rows, err := s.db.QueryContext(ctx, `SELECT a.seq, `+prefixed("a", articleColumns)+`, coalesce(n.version, 0), n.data
		FROM articles a LEFT JOIN analyses n ON n.seq = a.seq
		WHERE a.story_id = ? AND `+visible+` ORDER BY `+whenExpr+` DESC, a.seq DESC LIMIT ?`,
		append(append([]any{id}, vargs...), maxStoryReports)...)
	if err != nil {
		return st, nil, fmt.Errorf("story %d: %w", id, err)
	}
	defer rows.Close()
	var arts []Article
	outlets := map[string]bool{}
	var first, last time.Time
	for rows.Next() {
		a, err := scanAnalyzed(rows)
		if err != nil {
			return st, nil, fmt.Errorf("story %d: %w", id, err)
		}
		a.StoryID = id
		arts = append(arts, a)
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
	}
	if err := rows.Err(); err != nil {
		return st, nil, fmt.Errorf("story %d: %w", id, err)
	}
	// What this reader sees of the story. A story cut at maxStoryReports
	// keeps its stored span and counts.
	if len(arts) < maxStoryReports && !sc.All() {
		st.Reports, st.Outlets, st.FirstSeen, st.LastUpdate = len(arts), len(outlets), first, last
	}
	return st, arts, nil
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// scanAnalyzed reads seq, articleColumns, the analysis version and data;
// an analysis made by another version of the engine is left out (the
// engine analyses the body again).
func scanAnalyzed(r scanner) (Article, error) {
	var a Article
	var seq, pub, ing int64
	var version int
	var data []byte
	if err := r.Scan(&seq, &a.ID, &a.Title, &a.Source, &a.URL, &a.Author, &pub, &ing, &a.Body, &version, &data); err != nil {
		return a, err
	}
	a.Published, a.Ingested = timeOrZero(pub), timeOrZero(ing)
	if version == briefing.AnalysisVersion && len(data) > 0 {
		an := &briefing.Analysis{}
		if err := unzipJSON(data, an); err == nil {
			a.Analysis = an
		}
	}
	return a, nil
}

// StoryHit is a story found for a topic.
type StoryHit struct {
	Story
	// Score orders the stories: relevance of its best matching reports
	// weighted by recency (as Search scores them), and its coverage.
	Score float64
}

// storySearchHits is how many of the best matching reports are grouped into
// stories for a topic.
const storySearchHits = 200

// FindStories returns the stories that best match topic, best first, at
// most limit. The best matching reports (Search: every match considered,
// relevance and recency) are grouped by story, and a story scores the sum
// of its three best reports' scores (CombSUM, Fox & Shaw 1994: a story that
// several reports match well outranks one a single report matches as
// well), times a factor for its coverage (1 + ln of its outlets, 0.1 of
// ln of its reports).
func (s *Store) FindStories(ctx context.Context, topic string, opt SearchOptions, limit int) ([]StoryHit, error) {
	opt.Limit = storySearchHits
	hits, err := s.Search(ctx, topic, opt)
	if err != nil {
		return nil, err
	}
	type agg struct {
		best  []float64
		order int
	}
	byStory := map[int64]*agg{}
	var ids []int64
	for i, h := range hits {
		if h.StoryID == 0 {
			continue
		}
		a := byStory[h.StoryID]
		if a == nil {
			a = &agg{order: i}
			byStory[h.StoryID] = a
			ids = append(ids, h.StoryID)
		}
		if len(a.best) < 3 {
			a.best = append(a.best, h.Score)
		}
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
		out = append(out, StoryHit{Story: st, Score: sum * cover})
	}
	sortStoryHits(out, func(id int64) int { return byStory[id].order })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// storiesByID reads stories by id.
func (s *Store) storiesByID(ctx context.Context, ids []int64) ([]Story, error) {
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id IN (`+strings.Join(list, ",")+`)`)
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
	return out, rows.Err()
}
