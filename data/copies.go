package data

import (
	"context"
	"fmt"
)

// Copies. A report whose text the store already holds but that came from
// another link (the same wire report carried by another outlet, or sent
// again later) is not stored a second time: one text is searched and read
// once. But it is still a report of its story that a reader was sent, so
// it is kept as a copy of the stored article (its link, outlet, headline
// and time) and a briefing cites it among the story's sources with the
// report it repeats. A copy is visible to the servers whose feeds brought
// it (or to every one, when the owner's sources did), like an article.

// addCopy records a as a copy of the stored article seq, visible to vis.
// Adding the same copy again changes nothing.
func addCopy(ctx context.Context, tx *Tx, seq int64, a Article, vis visibility) error {
	guilds := vis.guilds
	if vis.shared {
		guilds = []string{""}
	}
	for _, g := range guilds {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_copies (seq, url, guild_id, title, source, published)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			seq, a.URL, g, a.Title, a.Source, unixOrZero(a.Published)); err != nil {
			return fmt.Errorf("copy of article %d: %w", seq, err)
		}
	}
	return nil
}

// copiesVisibleSQL is the condition that the article_copies row named
// alias is visible in the scope, and its arguments.
func (sc Scope) copiesVisibleSQL(alias string) (string, []any) {
	switch {
	case sc.all:
		return "1 = 1", nil
	case sc.guild == "":
		return alias + ".guild_id = ''", nil
	}
	return "(" + alias + ".guild_id = '' OR " + alias + ".guild_id = ?)", []any{sc.guild}
}

// StoryCopies returns the copies of a story's articles that the scope may
// read, newest first, each as a source-only report: link, outlet, headline
// and time, no text, and in the story (see briefing.Article.Story). Seen
// more than once (by the owner and by a server), a copy is listed once.
func (s *Store) StoryCopies(ctx context.Context, storyID int64, sc Scope) ([]Article, error) {
	return s.storyCopies(ctx, storyID, sc, nil)
}

// storyCopies is StoryCopies leaving out the copies keep refuses (given
// each with the text it repeats), when keep is set.
func (s *Store) storyCopies(ctx context.Context, storyID int64, sc Scope, keep func(Article) bool) ([]Article, error) {
	visible, vargs := sc.visibleSQL("a")
	cvisible, cargs := sc.copiesVisibleSQL("c")
	body := `''`
	if keep != nil {
		body = `a.body`
	}
	rows, err := s.db.cachedQuery(ctx, `SELECT DISTINCT c.url, c.title, c.source, c.published, a.id, `+body+`
		FROM article_copies c JOIN articles a ON a.seq = c.seq
		WHERE a.story_id = ? AND `+visible+` AND `+cvisible+`
		ORDER BY c.published DESC, c.url`,
		append(append([]any{storyID}, vargs...), cargs...)...)
	if err != nil {
		return nil, fmt.Errorf("story %d copies: %w", storyID, err)
	}
	defer rows.Close()
	var out []Article
	for rows.Next() {
		var a Article
		var published int64
		var of string
		if err := rows.Scan(&a.URL, &a.Title, &a.Source, &published, &of, &a.Body); err != nil {
			return nil, fmt.Errorf("story %d copies: %w", storyID, err)
		}
		a.Published = timeOrZero(published)
		a.ID = of + "#copy:" + a.URL
		a.StoryID = storyID
		if keep != nil && !keep(a) {
			continue
		}
		a.Body = ""
		a.URL = CleanLink(a.URL)
		out = append(out, a)
	}
	return out, rows.Err()
}
