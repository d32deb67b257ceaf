package data

import (
	"context"
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

// termKey is one row of the word lists an article counts in: its key and
// how it is shown.
type termKey struct{ key, display string }

// addArticle counts an article's words.
func (c termCounts) addArticle(a Article) { c.addTerms(articleTerms(a)) }

// addTerms counts the rows of one article.
func (c termCounts) addTerms(ts []termKey) {
	for _, t := range ts {
		tc := c[t.key]
		if tc == nil {
			tc = &termCount{display: t.display}
			c[t.key] = tc
		}
		tc.n++
	}
}

// articleTerms lists the rows an article counts in, each once: the
// content words of its title and the names at the start of its body.
func articleTerms(a Article) []termKey {
	var out []termKey
	seen := map[string]bool{}
	count := func(key, display string) {
		if !seen[key] {
			seen[key] = true
			out = append(out, termKey{key, display})
		}
	}
	add := func(display string) {
		key := strings.ToLower(display)
		if utf8.RuneCountInString(key) < 3 || utf8.RuneCountInString(key) > 60 {
			return
		}
		count(key, display)
		// A name is also found by its later words: "wit" offers "Steve
		// Witkoff". What follows termTailSep keeps such rows apart.
		for tail := key; ; {
			sp := strings.IndexByte(tail, ' ')
			if sp < 0 {
				break
			}
			tail = tail[sp+1:]
			count(tail+termTailSep+key, display)
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
	return out
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
	eachField(text, func(f string) {
		w := runWord(f)
		r, _ := utf8.DecodeRuneInString(w)
		// The tests that make no copy of w come first: most words are
		// not capitalized, and every ingested article is scanned.
		if w != "" && unicode.IsUpper(r) && upperChanges(w) && !suggestStopWord(w) {
			run = append(run, w)
		} else {
			flush()
		}
		if w != f && strings.ContainsAny(f, ".,;:!?") {
			flush()
		}
	})
	flush()
	return out
}

// runWord is a field of text as capitalizedRuns reads it: without the
// punctuation around it, nor a possessive "'s".
func runWord(f string) string {
	// Most words begin and end with a letter or digit, which the cut
	// sets do not hold: the trimming, which reads the sets rune by rune
	// (they are not ASCII), is skipped for them.
	w := f
	if n := len(w); n > 0 && !asciiLetterDigit(rune(w[n-1])) {
		w = strings.TrimRight(w, ".,;:!?\"'”’)")
	}
	if len(w) > 0 && !asciiLetterDigit(rune(w[0])) {
		w = strings.TrimLeft(w, "\"'“‘(")
	}
	return strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
}

// suggestStopWord is suggestStop[strings.ToLower(w)], lower-casing a short
// ASCII w (nearly every name) on the stack rather than in a copy: every
// capitalized word of every article's lead is looked up.
func suggestStopWord(w string) bool {
	var buf [32]byte
	if len(w) > len(buf) {
		return suggestStop[strings.ToLower(w)]
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return suggestStop[strings.ToLower(w)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return suggestStop[string(buf[:len(w)])]
}

// upperChanges reports whether strings.ToUpper(w) != w (w is not written
// all in capitals), without making the upper-case copy.
func upperChanges(w string) bool {
	for _, r := range w {
		if r == utf8.RuneError {
			// Invalid UTF-8 (or U+FFFD itself): strings.ToUpper would
			// rewrite it; let it say.
			return strings.ToUpper(w) != w
		}
		if unicode.ToUpper(r) != r {
			return true
		}
	}
	return false
}

// scopedTerms are term counts per word list: "" is the shared list (the
// terms table), a guild ID that server's own (guild_terms), so one server's
// autocomplete never offers words only another server's articles carry.
type scopedTerms map[string]termCounts

// addArticle counts an article's words in each of the lists.
func (sc scopedTerms) addArticle(a Article, lists []string) {
	if len(lists) > 0 {
		sc.addTerms(articleTerms(a), lists)
	}
}

// addTerms counts an article's rows (articleTerms) in each of the lists.
func (sc scopedTerms) addTerms(ts []termKey, lists []string) {
	for _, l := range lists {
		c := sc[l]
		if c == nil {
			c = termCounts{}
			sc[l] = c
		}
		c.addTerms(ts)
	}
}

func (sc scopedTerms) save(ctx context.Context, tx *Tx) error {
	lists := make([]string, 0, len(sc))
	for l := range sc {
		lists = append(lists, l)
	}
	sort.Strings(lists)
	for _, l := range lists {
		if err := sc[l].save(ctx, tx, l); err != nil {
			return err
		}
	}
	return nil
}

// termSaveRows is how many rows one statement of termCounts.save adds:
// one statement for many rows spends the per-statement work (binding,
// stepping through database/sql) once for them all.
const termSaveRows = 200

func (c termCounts) save(ctx context.Context, tx *Tx, guild string) error {
	if len(c) == 0 {
		return nil
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// The keys are distinct, as PostgreSQL requires of the rows of one
	// INSERT ... ON CONFLICT DO UPDATE.
	insert := func(rows int) string {
		if guild == "" {
			return `INSERT INTO terms (term, display, n) VALUES (?, ?, ?)` + strings.Repeat(", (?, ?, ?)", rows-1) + `
		ON CONFLICT (term) DO UPDATE SET n = terms.n + excluded.n`
		}
		return `INSERT INTO guild_terms (guild_id, term, display, n) VALUES (?, ?, ?, ?)` + strings.Repeat(", (?, ?, ?, ?)", rows-1) + `
		ON CONFLICT (guild_id, term) DO UPDATE SET n = guild_terms.n + excluded.n`
	}
	var full *Stmt
	if len(keys) >= termSaveRows {
		var err error
		if full, err = tx.PrepareContext(ctx, insert(termSaveRows)); err != nil {
			return fmt.Errorf("save terms: %w", err)
		}
		defer full.Close()
	}
	args := make([]any, 0, 4*termSaveRows)
	for len(keys) > 0 {
		chunk := keys[:min(termSaveRows, len(keys))]
		keys = keys[len(chunk):]
		args = args[:0]
		for _, k := range chunk {
			if guild != "" {
				args = append(args, guild)
			}
			args = append(args, k, c[k].display, c[k].n)
		}
		var err error
		if len(chunk) == termSaveRows {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insert(len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("save terms: %w", err)
		}
	}
	return nil
}

// remove takes the counts of deleted (or no longer shared) articles off
// each list's stored ones, and drops the terms no article there has any
// more.
func (sc scopedTerms) remove(ctx context.Context, tx *Tx) error {
	for l, c := range sc {
		if err := c.remove(ctx, tx, l); err != nil {
			return err
		}
	}
	return nil
}

// remove takes the counts off the list of guild ("" the shared one).
func (c termCounts) remove(ctx context.Context, tx *Tx, guild string) error {
	if len(c) == 0 {
		return nil
	}
	if guild == "" {
		// A count still pending is not in the table to be taken off.
		if n, err := pendingTermDeltas(ctx, tx); err != nil {
			return err
		} else if n > 0 {
			if err := mergeTermDeltas(ctx, tx); err != nil {
				return err
			}
		}
	}
	upd, del := `UPDATE terms SET n = n - ? WHERE term = ?`, `DELETE FROM terms WHERE term = ? AND n <= 0`
	if guild != "" {
		upd = `UPDATE guild_terms SET n = n - ? WHERE term = ? AND guild_id = ?`
		del = `DELETE FROM guild_terms WHERE term = ? AND n <= 0 AND guild_id = ?`
	}
	stmt, err := tx.PrepareContext(ctx, upd)
	if err != nil {
		return fmt.Errorf("remove terms: %w", err)
	}
	defer stmt.Close()
	drop, err := tx.PrepareContext(ctx, del)
	if err != nil {
		return fmt.Errorf("remove terms: %w", err)
	}
	defer drop.Close()
	for k, tc := range c {
		args, dargs := []any{tc.n, k}, []any{k}
		if guild != "" {
			args, dargs = append(args, guild), append(dargs, guild)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("remove terms: %w", err)
		}
		if _, err := drop.ExecContext(ctx, dargs...); err != nil {
			return fmt.Errorf("remove terms: %w", err)
		}
	}
	return nil
}

// Suggest offers completions for what a user has typed so far: the words
// and names most frequent in the articles the scope sees that start with
// prefix (or, with an empty prefix, the most frequent overall). Discord
// shows at most 25.
func (s *Store) Suggest(ctx context.Context, sc Scope, prefix string, limit int) ([]string, error) {
	if limit <= 0 || limit > 25 {
		limit = 25
	}
	p := strings.ToLower(strings.TrimSpace(prefix))
	if len(p) > 100 {
		p = p[:100]
	}
	// Each list's best rows, merged: a server's own words add to the
	// shared counts of the same word.
	type cand struct {
		display string
		n       int
	}
	byTerm := map[string]*cand{}
	var order []string
	for _, list := range sc.termScopes() {
		table, where, args := "terms", "", []any{}
		switch list {
		case "":
		case allGuildTerms:
			table = "guild_terms"
		default:
			table, where, args = "guild_terms", "guild_id = ? AND ", []any{list}
		}
		var q string
		if p == "" {
			q = `SELECT term, display, n FROM ` + table + ` WHERE ` + where + `n > 1 AND term NOT LIKE ? ORDER BY n DESC, term LIMIT ?`
			if list != "" {
				// A server's own articles are few: a word one of them
				// carries is worth offering.
				q = strings.Replace(q, "n > 1 AND ", "", 1)
			}
			args = append(args, "%"+termTailSep+"%", limit)
		} else {
			q = `SELECT term, display, n FROM ` + table + ` WHERE ` + where + `term >= ? AND term < ? ORDER BY n DESC, term LIMIT ?`
			args = append(args, p, p+"\U0010FFFF", limit)
		}
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("suggest: %w", err)
		}
		for rows.Next() {
			var term, d string
			var n int
			if err := rows.Scan(&term, &d, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("suggest: %w", err)
			}
			if c := byTerm[term]; c != nil {
				c.n += n
				continue
			}
			byTerm[term] = &cand{display: d, n: n}
			order = append(order, term)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("suggest: %w", err)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := byTerm[order[i]], byTerm[order[j]]
		if a.n != b.n {
			return a.n > b.n
		}
		return order[i] < order[j]
	})
	var out []string
	seen := map[string]bool{}
	for _, t := range order {
		d := byTerm[t].display
		if !seen[strings.ToLower(d)] {
			seen[strings.ToLower(d)] = true
			out = append(out, d)
		}
		if len(out) == limit {
			break
		}
	}
	return out, nil
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
