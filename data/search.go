package data

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// SearchOptions narrow a search.
type SearchOptions struct {
	// Since keeps only articles published (or, undated, ingested) at or
	// after this time. Zero keeps all.
	Since time.Time
	// IngestedSince keeps only articles stored at or after this time: what
	// is new to the bot, whatever date the outlet put on it. Zero keeps all.
	IngestedSince time.Time
	// Limit caps the hits; zero means 20.
	Limit int
	// Now is the reference for recency; zero means the store's clock.
	Now time.Time
	// Scope is whose articles are read; the zero Scope is the shared ones.
	Scope Scope
	// Filter keeps only the articles it matches (nil: all); Limit counts
	// the articles that pass.
	Filter *Matcher
}

// Hit is one article found by Search.
type Hit struct {
	Article
	// Score orders hits: text relevance weighted by recency, higher is better.
	Score float64
	// Snippet is the sentence-sized piece of the body that best shows why
	// the article matched.
	Snippet string
}

const (
	maxQueryTerms  = 16
	maxQueryLength = 1000
	// titleWeight makes a match in the title count as much as this many in
	// the body: the headline says what the story is about.
	titleWeight = 5.0
	// recencyHalfLife is the age at which recency halves an article's boost.
	recencyHalfLife = 7 * 24 * time.Hour
)

// Search finds the stored articles that match query, best first. Any user
// text is a safe query: it is reduced to its words, so quotes, operators,
// parentheses and emoji never reach FTS5's query syntax. All words must match;
// if that finds nothing, any word may. Ranking is BM25 (title weighted
// higher) combined with recency.
func (s *Store) Search(ctx context.Context, query string, opt SearchOptions) ([]Hit, error) {
	var words []string
	return searchEach(ctx, s, query, &opt, func(groups [][]string) {
		for _, g := range groups {
			words = append(words, g...)
		}
	}, func(list []candidate) ([]Hit, error) { return s.hits(ctx, list, words, opt) })
}

// searchEach is what Search and FindStories share: query reduced to its
// words (given to prepare), opt's defaults set, the matches of all words
// ranked and read by read, and if that reads nothing, the matches of any
// word.
func searchEach[T any](ctx context.Context, s *Store, query string, opt *SearchOptions, prepare func([][]string), read func([]candidate) ([]T, error)) ([]T, error) {
	if opt.Limit <= 0 {
		opt.Limit = 20
	}
	if opt.Now.IsZero() {
		opt.Now = s.now()
	}
	// Stored text is NFC (NormalizeText); so is what it is searched for.
	groups := queryGroups(norm.NFC.String(query))
	if len(groups) == 0 {
		return nil, nil
	}
	prepare(groups)
	var out []T
	for _, all := range []bool{true, false} {
		list, err := s.match(ctx, groups, all, *opt)
		if err != nil {
			return nil, err
		}
		if out, err = read(list); err != nil || len(out) > 0 || len(groups) == 1 {
			return out, err
		}
	}
	return out, nil
}

// Ranking reaches every match without reading every match (see
// searchindex.go): a word in at most fullRankLimit articles is ranked over
// all of them; a commoner one over the articles in which it weighs most (its
// top focus tiers, at least minCandidates of them) and its newest
// recentWindow matches, since a briefing is also about what is happening now.
//
// They are variables so a test can show the tiers at work on a small store.
var (
	// fullRankLimit is what the tiers below rank at most (maxCandidates
	// and recentWindow): ranking a word whole never costs more than
	// ranking its tiers would. Measured on the generated 20k, 100k and
	// 300k stores over the 24 reachQueries, 1,000 instead of 3,000 finds
	// the same five stories first for every query, and the same true top
	// 10 articles (240/240, 240/240, 239/240).
	fullRankLimit = 1000
	minCandidates = 300
	recentWindow  = 200
	// maxCandidates caps the tiers ranked, newest first: a word that weighs
	// that much in more articles than this is everywhere. Within a tier
	// bm25 differs by a few percent and recency by up to a factor of two,
	// so past a few hundred the older articles of a tier rarely place:
	// measured on the generated 100k and 300k stores over the 24
	// reachQueries, 800 finds the same true top 10 and top 200 as 1,500
	// (239/240 and 3,382/4,800 at 300k, 240/240 and 4,158/4,800 at 100k)
	// for about half the ranking cost; 600 starts to lose some (3,362).
	maxCandidates = 800
)

type candidate struct {
	seq   int64
	score float64
}

// match ranks the matches of groups (all of them, or any) within opt's
// limits, best first: at most opt.Limit, unless opt.Filter may refuse some.
func (s *Store) match(ctx context.Context, groups [][]string, all bool, opt SearchOptions) ([]candidate, error) {
	d := s.db.d
	expr := d.ftsExpr(groups, all)
	cands := map[int64]float64{}
	n, err := s.countMatches(ctx, expr, fullRankLimit+1)
	if err != nil {
		return nil, err
	}
	if n <= fullRankLimit || !d.focusRanks() {
		if err := s.rank(ctx, cands, expr, 0, opt); err != nil {
			return nil, err
		}
	} else {
		// The heaviest tiers, from the top down until they hold enough
		// articles to rank (but not more than maxCandidates), ranked in
		// one query: bm25() reads every phrase's whole list once a query.
		low, total := 0, 0
		for tier := len(focusTiers); tier >= 1 && total < minCandidates; tier-- {
			toks := focusTokens(groups, tier, tier)
			if len(toks) == 0 {
				break
			}
			n, err := s.countMatches(ctx, d.ftsFocus(toks, expr), maxCandidates-total+1)
			if err != nil {
				return nil, err
			}
			if total+n > maxCandidates && low > 0 {
				break
			}
			low, total = tier, total+n
		}
		if low > 0 {
			e := d.ftsFocus(focusTokens(groups, low, len(focusTiers)), expr)
			newest := 0
			if total > maxCandidates {
				// Even the top tier is too big: its newest articles.
				newest = maxCandidates
			}
			if err := s.rank(ctx, cands, e, newest, opt); err != nil {
				return nil, err
			}
		}
		// Too few, and the next tier down too big to rank whole: its
		// newest articles (within a tier bm25 differs little, and recency
		// favours the newest).
		if next := low - 1; total < minCandidates && next >= 1 {
			e := d.ftsFocus(focusTokens(groups, next, next), expr)
			if err := s.rank(ctx, cands, e, maxCandidates-total, opt); err != nil {
				return nil, err
			}
		}
		if err := s.rank(ctx, cands, expr, recentWindow, opt); err != nil {
			return nil, err
		}
		// A time limit or the scope can leave too few of those: then every
		// match within them is ranked.
		if len(cands) < opt.Limit {
			if err := s.rank(ctx, cands, expr, 0, opt); err != nil {
				return nil, err
			}
		}
	}
	list := make([]candidate, 0, len(cands))
	for seq, sc := range cands {
		list = append(list, candidate{seq, sc})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		return list[i].seq > list[j].seq
	})
	if len(list) > opt.Limit && opt.Filter == nil {
		list = list[:opt.Limit]
	}
	return list, nil
}

// countMatches counts the articles matching expr, up to limit.
func (s *Store) countMatches(ctx context.Context, expr string, limit int) (int, error) {
	var n int
	err := s.db.cachedQueryRow(ctx, `SELECT count(*) FROM (`+s.db.d.ftsMatches()+` LIMIT ?) AS m`, expr, limit).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	return n, nil
}

// rank scores the matches of expr (only the newest so many, when newest is
// not zero) within opt's time limits into cands.
func (s *Store) rank(ctx context.Context, cands map[int64]float64, expr string, newest int, opt SearchOptions) error {
	q := s.db.d.ftsRank()
	args := []any{expr}
	if newest > 0 {
		q += ` ORDER BY seq DESC LIMIT ?`
		args = append(args, newest)
	}
	visible, vargs := opt.Scope.visibleSQL("a")
	args = append(append(args, unixOrZero(opt.Since), unixOrZero(opt.IngestedSince)), vargs...)
	rows, err := s.db.cachedQuery(ctx, `SELECT m.seq, m.score, `+whenExpr+`
		FROM (`+q+`) AS m
		JOIN `+s.db.d.articlesBySeq()+` ON a.seq = m.seq
		WHERE `+whenExpr+` >= ? AND a.ingested >= ? AND `+visible, args...)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq, when int64
		var rel float64
		if err := rows.Scan(&seq, &rel, &when); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		cands[seq] = relevance(rel, when, opt.Now)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// relevance combines the text score (higher is better) with recency.
// Recency can at most double a score, so an old exact match still beats a
// fresh passing mention.
func relevance(rel float64, when int64, now time.Time) float64 {
	age := now.Sub(time.Unix(when, 0))
	if age < 0 {
		age = 0
	}
	return rel * (1 + math.Exp2(-float64(age)/float64(recencyHalfLife)))
}

// hits reads the articles of ranked candidates.
func (s *Store) hits(ctx context.Context, list []candidate, words []string, opt SearchOptions) ([]Hit, error) {
	hits := make([]Hit, 0, min(len(list), opt.Limit))
	if len(list) == 0 {
		return hits, nil
	}
	stmt, err := s.db.PrepareContext(ctx, `SELECT `+articleColumns+`, story_id FROM articles WHERE seq = ?`)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer stmt.Close()
	var a0 Article
	for _, c := range list {
		if len(hits) == opt.Limit {
			break
		}
		a, err := scanArticle(stmt.QueryRowContext(ctx, c.seq), &a0.StoryID)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		a.StoryID = a0.StoryID
		if !opt.Filter.Match(a) {
			continue
		}
		hits = append(hits, Hit{Article: a, Score: c.score, Snippet: snippet(a.Body, words)})
	}
	return hits, nil
}

// queryGroups reduces user text to groups of word tokens: each group is one
// word of the query, a hyphenated word giving several tokens ("cease-fire" →
// [cease fire]). Anything that is not a letter or digit separates words, so
// no FTS5 syntax survives.
func queryGroups(q string) [][]string {
	if len(q) > maxQueryLength {
		q = q[:maxQueryLength]
		for !utf8.ValidString(q) {
			q = q[:len(q)-1]
		}
	}
	var groups [][]string
	seen := map[string]bool{}
	for _, field := range strings.FieldsFunc(q, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '’')
	}) {
		var parts []string
		for _, p := range strings.FieldsFunc(field, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r))
		}) {
			parts = append(parts, strings.ToLower(p))
		}
		if len(parts) == 0 {
			continue
		}
		// "Putin's" is the word Putin.
		if len(parts) == 2 && parts[1] == "s" && strings.ContainsAny(field, "'’") {
			parts = parts[:1]
		}
		key := strings.Join(parts, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		groups = append(groups, parts)
		if len(groups) == maxQueryTerms {
			break
		}
	}
	return groups
}

// snippet picks the first sentence-sized piece of body that mentions a query
// word (by prefix, to roughly follow the index's stemming), else the start.
func snippet(body string, words []string) string {
	const size = 200
	lower := strings.ToLower(body)
	best := -1
	for _, w := range words {
		stemmed := w
		if len(stemmed) > 5 {
			stemmed = stemmed[:len(stemmed)-2]
		}
		if i := strings.Index(lower, stemmed); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	start := 0
	if best > 0 {
		// Back up to the start of the sentence or paragraph.
		start = strings.LastIndexAny(body[:best], ".!?\n") + 1
		if best-start > size/2 {
			start = best - size/2
			if sp := strings.IndexByte(body[start:best], ' '); sp >= 0 {
				start += sp + 1
			}
		}
	}
	for start > 0 && start < len(body) && !utf8.RuneStart(body[start]) {
		start++
	}
	end := min(len(body), start+4*size)
	for end < len(body) && !utf8.RuneStart(body[end]) {
		end++
	}
	return cutWords(collapseSpace(body[start:end]), size)
}

// cutWords shortens s to at most n bytes at a word boundary, marking the cut.
func cutWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := s[:n]
	if sp := strings.LastIndexByte(cut, ' '); sp > n/2 {
		cut = cut[:sp]
	}
	for !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}
