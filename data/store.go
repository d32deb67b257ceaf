package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"
)

// ErrNotFound is returned when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

// Store keeps articles, their full-text index, scheduled briefings and the
// record of posts, in an SQLite file or a PostgreSQL database. It is safe for
// concurrent use, and on PostgreSQL for use by several processes at once.
type Store struct {
	db    *DB
	now   func() time.Time
	group grouper
	prep  prepCaches
}

// Option adjusts Open.
type Option func(*openConfig)

type openConfig struct {
	now func() time.Time
}

// WithClock sets the clock that stamps ingestion times; tests use it.
func WithClock(now func() time.Time) Option { return func(c *openConfig) { c.now = now } }

// Open opens the store dsn names and brings its schema up to date: a
// postgres:// or postgresql:// URL is a PostgreSQL database, anything else
// the path of an SQLite file (created if needed). The sample articles are
// never stored (see SampleStore); those an earlier release stored are
// removed.
func Open(dsn string, opts ...Option) (*Store, error) {
	var cfg openConfig
	for _, o := range opts {
		o(&cfg)
	}
	ctx := context.Background()
	db, err := openDB(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", RedactDSN(dsn), err)
	}
	if err := migrate(ctx, db, db.d.migrations()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: schema: %w", RedactDSN(dsn), err)
	}
	s := newStore(db, cfg)
	if err := s.upgrade(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: upgrade: %w", RedactDSN(dsn), err)
	}
	if err := s.removeLegacySamples(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: remove the sample articles an earlier release stored: %w", RedactDSN(dsn), err)
	}
	// Autocomplete counts an interrupted ingest left pending.
	if err := s.mergeTermDeltasNow(ctx, nil); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", RedactDSN(dsn), err)
	}
	return s, nil
}

func newStore(db *DB, cfg openConfig) *Store {
	if cfg.now == nil {
		cfg.now = time.Now
	}
	return &Store{db: db, now: cfg.now}
}

// HasArticles reports whether the store holds any article, cheaply at any
// size.
func (s *Store) HasArticles(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM articles LIMIT 1) AS one`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count articles: %w", err)
	}
	return n > 0, nil
}

// Engine names the database engine: "sqlite" or "postgres".
func (s *Store) Engine() string { return s.db.d.name() }

// Close closes the database.
func (s *Store) Close() error {
	s.prep.stop()
	return s.db.Close()
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// articleColumns and scanArticle read an article row the same way everywhere.
const articleColumns = `id, title, source, url, author, published, ingested, body`

type scanner interface{ Scan(...any) error }

// scanArticle reads articleColumns, then any extra columns into extra.
func scanArticle(r scanner, extra ...any) (Article, error) {
	var a Article
	var pub, ing int64
	if err := r.Scan(append([]any{&a.ID, &a.Title, &a.Source, &a.URL, &a.Author, &pub, &ing, &a.Body}, extra...)...); err != nil {
		return a, err
	}
	a.Published = timeOrZero(pub)
	a.Ingested = timeOrZero(ing)
	// The link as stored is what the outlet gave; what is shown has no
	// tracking parameters, in every article read back, old ones included.
	a.URL = CleanLink(a.URL)
	return a, nil
}

// when is the time an article counts as from: its publication time, or when
// it was ingested if the outlet gave none.
const whenExpr = `coalesce(nullif(published, 0), ingested)`

// recentScan bounds how many of the newest articles Recent reads looking
// for ones a filter lets through.
const recentScan = 5000

// Recent returns the newest articles the scope sees within opt's Since and
// IngestedSince that pass its filter, newest first, at most opt.Limit
// (zero: 50); it is what a topic-less briefing is built from.
func (s *Store) Recent(ctx context.Context, opt SearchOptions) ([]Article, error) {
	limit := opt.Limit
	if limit <= 0 {
		limit = 50
	}
	scan := limit
	if opt.Filter != nil {
		scan = recentScan
	}
	visible, vargs := opt.Scope.visibleSQL("a")
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles a
		WHERE `+whenExpr+` >= ? AND ingested >= ? AND `+visible+` ORDER BY `+whenExpr+` DESC, seq DESC LIMIT ?`,
		append(append([]any{unixOrZero(opt.Since), unixOrZero(opt.IngestedSince)}, vargs...), scan)...)
	if err != nil {
		return nil, fmt.Errorf("recent articles: %w", err)
	}
	defer rows.Close()
	var out []Article
	for rows.Next() && len(out) < limit {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("recent articles: %w", err)
		}
		if opt.Filter.Match(a) {
			out = append(out, a)
		}
	}
	return out, rows.Err()
}

// Get returns the article with the given ID.
func (s *Store) Get(ctx context.Context, id string) (Article, error) {
	a, err := scanArticle(s.db.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("article %s: %w", id, ErrNotFound)
	}
	return a, err
}

// Stats describes what the store holds.
type Stats struct {
	Articles       int
	Sources        int
	Oldest, Newest time.Time
	// TopSources are the outlets with the most articles, most first.
	TopSources []string
}

// Stats counts the articles the scope sees and their outlets, at the same
// cost at any size: counts of every article and of the shared ones are kept
// by triggers (migration 6); a server adds only what its own feeds brought;
// the oldest and newest are the first visible entries of the index on
// article times.
func (s *Store) Stats(ctx context.Context, sc Scope) (Stats, error) {
	var st Stats
	counter, column := "shared", "shared"
	if sc.All() {
		counter, column = "articles", "articles"
	}
	if err := s.db.QueryRowContext(ctx, `SELECT n FROM counters WHERE name = ?`, counter).Scan(&st.Articles); err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	bySource := map[string]int{}
	rows, err := s.db.QueryContext(ctx, `SELECT source, `+column+` FROM outlets WHERE source <> '' AND `+column+` > 0`)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	if err := scanCounts(rows, bySource); err != nil {
		return st, err
	}
	if g := sc.Guild(); g != "" {
		// The server's own articles: article_guilds holds only articles
		// that are not shared, with their outlets (migration 11, grant),
		// so they are counted from it alone.
		var own int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM article_guilds WHERE guild_id = ?`, g).Scan(&own); err != nil {
			return st, fmt.Errorf("stats: %w", err)
		}
		st.Articles += own
		rows, err := s.db.QueryContext(ctx, `SELECT source, count(*) FROM article_guilds
			WHERE guild_id = ? AND source <> '' GROUP BY source`, g)
		if err != nil {
			return st, fmt.Errorf("stats: %w", err)
		}
		if err := scanCounts(rows, bySource); err != nil {
			return st, err
		}
	}
	if st.Articles == 0 {
		return st, nil
	}
	visible, vargs := sc.visibleSQL("a")
	for _, end := range []struct {
		order string
		t     *time.Time
	}{{"", &st.Oldest}, {" DESC", &st.Newest}} {
		var when int64
		err := s.db.QueryRowContext(ctx, `SELECT `+whenExpr+` FROM articles a WHERE `+visible+`
			ORDER BY `+whenExpr+end.order+` LIMIT 1`, vargs...).Scan(&when)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return st, fmt.Errorf("stats: %w", err)
		}
		*end.t = timeOrZero(when)
	}
	sources := make([]string, 0, len(bySource))
	for src := range bySource {
		sources = append(sources, src)
	}
	sort.Slice(sources, func(i, j int) bool {
		if bySource[sources[i]] != bySource[sources[j]] {
			return bySource[sources[i]] > bySource[sources[j]]
		}
		return sources[i] < sources[j]
	})
	st.Sources = len(sources)
	st.TopSources = sources[:min(5, len(sources))]
	return st, nil
}

// scanCounts adds rows of (name, count) to counts.
func scanCounts(rows *sql.Rows, counts map[string]int) error {
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return fmt.Errorf("stats: %w", err)
		}
		counts[name] += n
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	return nil
}
