package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// termCounts gathers, over a batch of articles, the words and names that
// autocomplete offers: content words of titles and capitalized names (runs of
// two or three capitalized words) from the start of bodies.
type termCounts map[string]*termCount

// termTailSep separates, in a term's key, a later word of a name from the
// whole name (see addArticle). A control character sorts before every word
// character, and unlike NUL PostgreSQL text can hold it.
const termTailSep = "\x1f"

type termCount struct {
	display string
	n       int
}

// suggestScan is how much of a body is scanned for names: the lead is where
// a story names its actors.
const suggestScan = 1500

func (c termCounts) addArticle(a Article) {
	seen := map[string]bool{}
	add := func(display string) {
		key := strings.ToLower(display)
		if utf8.RuneCountInString(key) < 3 || utf8.RuneCountInString(key) > 60 {
			return
		}
		c.count(key, display, seen)
		// A name is also found by its later words: "wit" offers "Steve
		// Witkoff". What follows termTailSep keeps such rows apart.
		for tail := key; ; {
			sp := strings.IndexByte(tail, ' ')
			if sp < 0 {
				break
			}
			tail = tail[sp+1:]
			c.count(tail+termTailSep+key, display, seen)
		}
	}
	allCaps := strings.ToUpper(a.Title) == a.Title
	for _, w := range strings.FieldsFunc(a.Title, notWordRune) {
		lw := strings.ToLower(w)
		if suggestStop[lw] || isNumber(lw) {
			continue
		}
		if allCaps {
			w = lw
		}
		add(w)
	}
	body := a.Body
	if len(body) > suggestScan {
		body = body[:suggestScan]
	}
	for _, name := range capitalizedRuns(body) {
		add(name)
	}
}

// count adds one to key, once an article.
func (c termCounts) count(key, display string, seen map[string]bool) {
	if seen[key] {
		return
	}
	seen[key] = true
	tc := c[key]
	if tc == nil {
		tc = &termCount{display: display}
		c[key] = tc
	}
	tc.n++
}

func notWordRune(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-')
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '-' {
			return false
		}
	}
	return true
}

// capitalizedRuns finds names: two or three consecutive capitalized words,
// none a common word, within one clause ("Steve Witkoff", "Vladimir Putin").
func capitalizedRuns(text string) []string {
	var out []string
	var run []string
	flush := func() {
		if len(run) >= 2 && len(run) <= 3 {
			out = append(out, strings.Join(run, " "))
		}
		run = run[:0]
	}
	for _, f := range strings.Fields(text) {
		w := strings.TrimRight(f, ".,;:!?\"'”’)")
		w = strings.TrimLeft(w, "\"'“‘(")
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		r, _ := utf8.DecodeRuneInString(w)
		if w != "" && unicode.IsUpper(r) && !suggestStop[strings.ToLower(w)] && strings.ToUpper(w) != w {
			run = append(run, w)
		} else {
			flush()
		}
		if w != f && strings.ContainsAny(f, ".,;:!?") {
			flush()
		}
	}
	flush()
	return out
}

func (c termCounts) save(ctx context.Context, tx *Tx) error {
	if len(c) == 0 {
		return nil
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO terms (term, display, n) VALUES (?, ?, ?)
		ON CONFLICT (term) DO UPDATE SET n = terms.n + excluded.n`)
	if err != nil {
		return fmt.Errorf("save terms: %w", err)
	}
	defer stmt.Close()
	for _, k := range keys {
		if _, err := stmt.ExecContext(ctx, k, c[k].display, c[k].n); err != nil {
			return fmt.Errorf("save terms: %w", err)
		}
	}
	return nil
}

// remove takes the counts of deleted articles off the stored ones, and
// drops the terms no stored article has any more.
func (c termCounts) remove(ctx context.Context, tx *Tx) error {
	if len(c) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `UPDATE terms SET n = n - ? WHERE term = ?`)
	if err != nil {
		return fmt.Errorf("remove terms: %w", err)
	}
	defer stmt.Close()
	drop, err := tx.PrepareContext(ctx, `DELETE FROM terms WHERE term = ? AND n <= 0`)
	if err != nil {
		return fmt.Errorf("remove terms: %w", err)
	}
	defer drop.Close()
	for k, tc := range c {
		if _, err := stmt.ExecContext(ctx, tc.n, k); err != nil {
			return fmt.Errorf("remove terms: %w", err)
		}
		if _, err := drop.ExecContext(ctx, k); err != nil {
			return fmt.Errorf("remove terms: %w", err)
		}
	}
	return nil
}

// Suggest offers completions for what a user has typed so far: the words
// and names most frequent in the stored articles that start with prefix (or,
// with an empty prefix, the most frequent overall). Discord shows at most 25.
func (s *Store) Suggest(ctx context.Context, prefix string, limit int) ([]string, error) {
	if limit <= 0 || limit > 25 {
		limit = 25
	}
	p := strings.ToLower(strings.TrimSpace(prefix))
	if len(p) > 100 {
		p = p[:100]
	}
	var rows *sql.Rows
	var err error
	if p == "" {
		rows, err = s.db.QueryContext(ctx, `SELECT display FROM terms WHERE n > 1 AND term NOT LIKE ? ORDER BY n DESC, term LIMIT ?`,
			"%"+termTailSep+"%", limit)
	} else {
		rows, err = s.db.QueryContext(ctx, `SELECT display FROM terms WHERE term >= ? AND term < ?
			ORDER BY n DESC, term LIMIT ?`, p, p+"\U0010FFFF", limit)
	}
	if err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	defer rows.Close()
	var out []string
	seen := map[string]bool{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("suggest: %w", err)
		}
		if !seen[strings.ToLower(d)] {
			seen[strings.ToLower(d)] = true
			out = append(out, d)
		}
	}
	return out, rows.Err()
}

// suggestStop are words never worth offering as a topic.
var suggestStop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a about above after again against all also am an and any are as at
		be because been before being below between both but by can could did do does doing down during
		each few for from further had has have having he her here hers him his how i if in into is it its
		itself just me more most my no nor not now of off on once only or other our out over own same she
		should so some such than that the their them then there these they this those through to too under
		until up very was we were what when where which while who whom why will with would you your
		says said say new after amid over year years week weeks day days mr mrs ms dr st inc ltd corp co
		vs via per amp reuter reuters the monday tuesday wednesday thursday friday saturday sunday
		january february march april may june july august september october november december pct mln dlrs
		cts billion million`) {
		suggestStop[w] = true
	}
}
