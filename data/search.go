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
	var words []string
	for _, g := range groups {
		words = append(words, g...)
	}
	hits, err := s.match(ctx, s.db.d.ftsExpr(groups, true), words, opt)
	if err != nil || len(hits) > 0 || len(groups) == 1 {
		return hits, err
	}
	return s.match(ctx, s.db.d.ftsExpr(groups, false), words, opt)
}

// rankWindow is how many of the newest matches are ranked.
const rankWindow = 500

func (s *Store) match(ctx context.Context, expr string, words []string, opt SearchOptions) ([]Hit, error) {
	// Only the newest rankWindow matches are ranked (see the dialects'
	// ftsMatch); Since, when set, and the scope filter inside the window.
	visible, vargs := opt.Scope.visibleSQL("a")
	rows, err := s.db.QueryContext(ctx, `SELECT m.seq, m.score, `+whenExpr+`
		FROM (`+s.db.d.ftsMatch()+`) AS m
		JOIN articles a ON a.seq = m.seq
		WHERE `+whenExpr+` >= ? AND a.ingested >= ? AND `+visible,
		append([]any{expr, rankWindow, unixOrZero(opt.Since), unixOrZero(opt.IngestedSince)}, vargs...)...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	type cand struct {
		seq   int64
		score float64
	}
	var cands []cand
	for rows.Next() {
		var c cand
		var rel float64
		var when int64
		if err := rows.Scan(&c.seq, &rel, &when); err != nil {
			rows.Close()
			return nil, fmt.Errorf("search: %w", err)
		}
		age := opt.Now.Sub(time.Unix(when, 0))
		if age < 0 {
			age = 0
		}
		// Recency can at most double a score, so an old exact match still
		// beats a fresh passing mention.
		c.score = rel * (1 + math.Exp2(-float64(age)/float64(recencyHalfLife)))
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].seq > cands[j].seq
	})
	if len(cands) > opt.Limit && opt.Filter == nil {
		cands = cands[:opt.Limit]
	}
	hits := make([]Hit, 0, min(len(cands), opt.Limit))
	stmt, err := s.db.PrepareContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE seq = ?`)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer stmt.Close()
	for _, c := range cands {
		if len(hits) == opt.Limit {
			break
		}
		a, err := scanArticle(stmt.QueryRowContext(ctx, c.seq))
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
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
