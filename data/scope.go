package data

import (
	"context"
	"fmt"
)

// Scope is whose articles a read may see. What the bot's owner stores
// (BRIEFBOT_FEEDS, the articles folder, `briefbot ingest`) is shared by
// every server; what a server's own feeds bring is that server's, and also
// any other server's whose feeds bring the same article.
//
// The zero Scope sees the shared articles only, which is what a DM sees, so
// a read that forgets its scope can never show one server's articles to
// another.
type Scope struct {
	guild string
	all   bool
}

// AllArticles is the owner's view, for the command line: every article.
func AllArticles() Scope { return Scope{all: true} }

// SharedOnly is a DM's view: the owner's shared articles only. It is the
// zero Scope.
func SharedOnly() Scope { return Scope{} }

// GuildScope is a server's view: the shared articles and the server's own.
// An empty ID is SharedOnly.
func GuildScope(guildID string) Scope { return Scope{guild: guildID} }

// Guild is the server the scope reads for; empty for the shared and the
// owner's views.
func (sc Scope) Guild() string {
	if sc.all {
		return ""
	}
	return sc.guild
}

// All reports whether the scope is the owner's view of every article.
func (sc Scope) All() bool { return sc.all }

// String names the scope for logs.
func (sc Scope) String() string {
	switch {
	case sc.all:
		return "all"
	case sc.guild == "":
		return "shared"
	}
	return "guild " + sc.guild
}

// visibleSQL is the SQL condition that the articles row named alias is
// visible in the scope, and its arguments, to be placed where the
// condition's ? placeholders go. Shared articles need no lookup; a server's
// own are one primary-key probe.
func (sc Scope) visibleSQL(alias string) (string, []any) {
	switch {
	case sc.all:
		return "1 = 1", nil
	case sc.guild == "":
		return alias + ".shared = 1", nil
	}
	return "(" + alias + ".shared = 1 OR EXISTS (SELECT 1 FROM article_guilds ag WHERE ag.guild_id = ? AND ag.seq = " +
		alias + ".seq))", []any{sc.guild}
}

// allGuildTerms stands for every server's word list in termScopes.
const allGuildTerms = "\x00all"

// termScopes are the autocomplete word lists a scope reads: "" is the
// shared list, a guild ID that server's own, allGuildTerms every server's.
func (sc Scope) termScopes() []string {
	switch {
	case sc.all:
		return []string{"", allGuildTerms}
	case sc.guild != "":
		return []string{"", sc.guild}
	}
	return []string{""}
}

// visibility is who may read articles as they are stored: everyone (the
// owner's sources) or the servers whose feed brought them.
type visibility struct {
	shared bool
	guilds []string
}

// sharedVisibility is the visibility of what the owner stores.
var sharedVisibility = visibility{shared: true}

// grant makes a stored article visible to vis, given whether it is shared
// already. It returns how the article's autocomplete words move: the word
// lists ("" shared, else a guild ID) that now count it, and those that no
// longer do (the servers that owned an article the owner's sources now
// share: its words count in the shared list alone, as a shared article's
// do, so pruning it later takes them off the right list).
func grant(ctx context.Context, tx *Tx, seq int64, shared bool, vis visibility) (added, removed []string, err error) {
	if shared {
		return nil, nil, nil
	}
	if vis.shared {
		owners, err := articleGuilds(ctx, tx, seq)
		if err != nil {
			return nil, nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET shared = 1 WHERE seq = ?`, seq); err != nil {
			return nil, nil, fmt.Errorf("share article %d: %w", seq, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_guilds WHERE seq = ?`, seq); err != nil {
			return nil, nil, fmt.Errorf("share article %d: %w", seq, err)
		}
		return []string{""}, owners, nil
	}
	for _, g := range vis.guilds {
		r, err := tx.ExecContext(ctx, `INSERT INTO article_guilds (guild_id, seq, source)
			SELECT ?, seq, source FROM articles WHERE seq = ? ON CONFLICT DO NOTHING`, g, seq)
		if err != nil {
			return nil, nil, fmt.Errorf("article %d for guild %s: %w", seq, g, err)
		}
		if n, _ := r.RowsAffected(); n > 0 {
			added = append(added, g)
		}
	}
	return added, nil, nil
}

// termMoves collects, within one transaction, the autocomplete counts that
// change as articles are stored, shared or given to servers.
type termMoves struct{ add, drop scopedTerms }

func newTermMoves() termMoves { return termMoves{add: scopedTerms{}, drop: scopedTerms{}} }

// move counts a's words in the lists added and takes them off removed.
func (m termMoves) move(a Article, added, removed []string) {
	if len(added)+len(removed) > 0 {
		m.moveTerms(articleTerms(a), added, removed)
	}
}

// moveTerms is move for an article's rows (articleTerms).
func (m termMoves) moveTerms(ts []termKey, added, removed []string) {
	m.add.addTerms(ts, added)
	m.drop.addTerms(ts, removed)
}

func (m termMoves) save(ctx context.Context, tx *Tx) error {
	if err := m.add.save(ctx, tx); err != nil {
		return err
	}
	return m.drop.remove(ctx, tx)
}

// newArticleScopes are the word lists a newly stored article counts in.
func (v visibility) newArticleScopes() []string {
	if v.shared {
		return []string{""}
	}
	return v.guilds
}

// articleGuilds lists the servers that see an article that is not shared.
func articleGuilds(ctx context.Context, tx *Tx, seq int64) ([]string, error) {
	out, err := queryStrings(ctx, tx, `SELECT guild_id FROM article_guilds WHERE seq = ? ORDER BY guild_id`, seq)
	if err != nil {
		return nil, fmt.Errorf("servers of article %d: %w", seq, err)
	}
	return out, nil
}

// queryStrings runs a query of one text column and returns its values.
func queryStrings(ctx context.Context, tx *Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
